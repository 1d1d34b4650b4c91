"""What the seller sees of the flash-buy table: sort arrows, buyers, the picture large."""

import io
import os

import pytest
from PIL import Image
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QCursor, QGuiApplication
from PySide6.QtWidgets import QApplication, QStyle, QStyleFactory, QStyleOptionHeader
from pytestqt.qtbot import QtBot

from flashbuy_desktop.api.client import PlatformClient
from flashbuy_desktop.services.tasks import Tasks
from flashbuy_desktop.ui import theme
from flashbuy_desktop.ui.flashbuys import Column, FlashBuyPanel
from flashbuy_desktop.ui.sort_header import arrow_points_up, style_points_ascending_down
from tests.desktop.room.sales_data import ROOM, make_fb
from tests.desktop.ui.flashbuys.rows import Console, proxy_ids
from tests.support import World

SHOTS = os.environ.get("FLASHBUY_SHOTS", "")  # a folder to save screenshots in, if set


def shown_panel(qtbot: QtBot, panel: FlashBuyPanel, width: int = 1100, height: int = 420) -> None:
    screen = QGuiApplication.primaryScreen().availableGeometry()
    QCursor.setPos(screen.bottomRight() - QPoint(5, 5))
    panel.setGeometry(screen.left() + 40, screen.top() + 40, width, height)
    panel.show()
    qtbot.waitExposed(panel)


def click_header(qtbot: QtBot, panel: FlashBuyPanel, column: Column) -> None:
    header = panel.view.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2)
    )


def painted_arrow(panel: FlashBuyPanel, column: Column) -> str:
    """ "▲" or "▼": the sort arrow painted in ``column``'s header.

    In the area the style paints the arrow in, the pixels of each row unlike the header's
    background just left of it (a header's background changes from top to bottom only).
    """
    header = panel.view.horizontalHeader()
    option = QStyleOptionHeader()
    header.initStyleOption(option)
    option.rect = QRect(
        header.sectionViewportPosition(column), 0, header.sectionSize(column), header.height()
    )
    area = header.style().subElementRect(QStyle.SubElement.SE_HeaderArrow, option, header)
    assert area.width() > 0
    image = header.viewport().grab().toImage()

    def unlike(x: int, y: int) -> bool:
        a, b = image.pixelColor(x, y), image.pixelColor(area.left() - 2, y)
        return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue()) > 60

    rows = [
        sum(1 for x in range(area.left(), area.right() + 1) if unlike(x, y))
        for y in range(area.top(), area.bottom() + 1)
    ]
    inked = [n for n in rows if n]
    assert len(inked) >= 3, rows  # an arrow was painted
    assert inked[0] != inked[-1], rows
    return "▲" if inked[0] < inked[-1] else "▼"


def test_the_shape_of_an_arrow_says_which_way_it_points() -> None:
    assert arrow_points_up([1, 3, 5, 7]) is True  # ▲
    assert arrow_points_up([0, 7, 5, 3, 1, 0]) is False  # ▼
    assert arrow_points_up([0, 0]) is None
    assert arrow_points_up([4, 4, 4]) is None  # a square tells nothing


@pytest.mark.parametrize(("style", "turned"), [("Fusion", True), ("Windows", False)])
def test_the_header_turns_the_arrow_only_where_the_style_points_ascending_down(
    qapp: QApplication, style: str, turned: bool
) -> None:
    made = QStyleFactory.create(style)
    assert made is not None
    assert style_points_ascending_down(made) is turned  # Fusion ▼, Windows △ for ascending


def test_a_click_on_a_header_sorts_ascending_with_the_arrow_up(qtbot: QtBot) -> None:
    tasks = Tasks()
    panel = FlashBuyPanel(PlatformClient("http://127.0.0.1:9"), tasks, ROOM)
    qtbot.addWidget(panel)
    panel.reset(
        [make_fb(1, price_fen=999), make_fb(2, price_fen=128_800), make_fb(3, price_fen=10_000)]
    )
    shown_panel(qtbot, panel)
    header = panel.view.horizontalHeader()

    click_header(qtbot, panel, Column.PRICE)
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (
        Column.PRICE,
        Qt.SortOrder.AscendingOrder,
    )
    assert proxy_ids(panel.proxy) == [1, 3, 2]  # cheapest first
    assert painted_arrow(panel, Column.PRICE) == "▲"

    click_header(qtbot, panel, Column.PRICE)
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert proxy_ids(panel.proxy) == [2, 3, 1]
    assert painted_arrow(panel, Column.PRICE) == "▼"

    click_header(qtbot, panel, Column.CREATED)  # time: the newest first, said as such
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert proxy_ids(panel.proxy) == [3, 2, 1]
    assert painted_arrow(panel, Column.CREATED) == "▼"
    panel.close()
    assert tasks.wait()


def test_the_buyer_is_in_the_row(console: Console, world: World, qtbot: QtBot) -> None:
    panel = console.panel
    jade = world.create_flashbuy(title="3号 冰种翡翠手镯", piece_no="3")
    beads = world.create_flashbuy(title="南红手串", piece_no="5", stock=3, price_fen=52_000)
    buyers = [world.join(name)[0] for name in ("罗阿杰70", "Rose Lee 2024", "小李")]
    buyers[0].ok("POST", f"/flash-buys/{jade['id']}/orders", 201, json={"region": "浙江"})
    for buyer in buyers[1:]:
        buyer.ok("POST", f"/flash-buys/{beads['id']}/orders", 201, json={"region": "浙江"})
    with qtbot.waitSignal(panel.refreshed):
        panel.refresh()
    qtbot.waitUntil(lambda: len(panel.model.buyers(panel.model.row_of(beads["id"]))) == 2)
    shown_panel(qtbot, panel)

    def shown(fid: int, column: Column) -> str:
        at = panel.proxy.mapFromSource(panel.model.index(panel.model.row_of(fid), column))
        return str(at.data() or "")

    assert shown(jade["id"], Column.TITLE) == "3号 冰种翡翠手镯"  # the piece number once
    assert shown(beads["id"], Column.TITLE) == "#5 · 南红手串"
    assert shown(jade["id"], Column.BUYERS) == "罗阿杰70"
    assert shown(beads["id"], Column.BUYERS) == "Rose Lee 2024 +1"
    # The column is wide enough for the names: none is cut.
    metrics = panel.view.fontMetrics()
    assert panel.view.columnWidth(Column.BUYERS) > metrics.horizontalAdvance("Rose Lee 2024 +1")
    qtbot.waitUntil(lambda: panel.model.has_thumbnail(world.picture_id))
    if SHOTS:
        panel.grab().save(os.path.join(SHOTS, "flashbuy-table.png"))
    panel.close()
    assert console.errors == []


def two_colour_jpeg(width: int, height: int) -> bytes:
    """A picture red on the left half, blue on the right: its two sides can be told apart."""
    image = Image.new("RGB", (width, height), "red")
    image.paste(Image.new("RGB", (width // 2, height), "blue"), (width // 2, 0))
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=95)
    return buf.getvalue()


def test_a_click_on_the_thumbnail_shows_the_picture_large(
    console: Console, world: World, qtbot: QtBot
) -> None:
    panel = console.panel
    picture_id = world.creator.ok(
        "POST",
        "/pictures",
        201,
        data=two_colour_jpeg(900, 600),
        headers={"Content-Type": "image/jpeg"},
    )["id"]
    jade = world.create_flashbuy(picture_id=picture_id)
    with qtbot.waitSignal(panel.refreshed):
        panel.refresh()
    qtbot.waitUntil(lambda: panel.model.has_thumbnail(picture_id))
    shown_panel(qtbot, panel)
    at = panel.proxy.mapFromSource(
        panel.model.index(panel.model.row_of(jade["id"]), Column.PICTURE)
    )
    cell_rect = panel.view.visualRect(at)
    assert cell_rect.width() < 80  # a thumbnail

    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=cell_rect.center())
    qtbot.waitUntil(lambda: panel.picture_popup is not None and panel.picture_popup.is_loaded())
    popup = panel.picture_popup
    assert popup is not None
    qtbot.waitExposed(popup)
    image = popup.grab().toImage()
    picture = popup.picture.geometry()
    assert picture.width() >= 400  # large, its shape kept
    assert picture.height() >= 260
    assert abs(picture.width() / picture.height() - 1.5) < 0.05
    left = image.pixelColor(picture.left() + picture.width() // 4, picture.center().y())
    right = image.pixelColor(picture.right() - picture.width() // 4, picture.center().y())
    assert left.red() > 200
    assert left.blue() < 60
    assert right.blue() > 200
    assert right.red() < 60
    # Beside the thumbnail, never over it.
    thumb = QRect(panel.view.viewport().mapToGlobal(cell_rect.topLeft()), cell_rect.size())
    assert not popup.frameGeometry().intersects(thumb)
    if SHOTS:
        popup.grab().save(os.path.join(SHOTS, "picture-large.png"))
        screen = QGuiApplication.primaryScreen()
        screen.grabWindow(0).save(os.path.join(SHOTS, "picture-large-beside-table.png"))

    qtbot.keyClick(popup, Qt.Key.Key_Escape)  # Esc closes it
    qtbot.waitUntil(lambda: panel.picture_popup is None)

    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=cell_rect.center())
    qtbot.waitUntil(lambda: panel.picture_popup is not None and panel.picture_popup.is_loaded())
    popup = panel.picture_popup
    assert popup is not None
    qtbot.mouseClick(popup, Qt.MouseButton.LeftButton, pos=popup.rect().center())  # so does a click
    qtbot.waitUntil(lambda: panel.picture_popup is None)

    # A click elsewhere in the row selects it and opens nothing.
    title = panel.proxy.mapFromSource(
        panel.model.index(panel.model.row_of(jade["id"]), Column.TITLE)
    )
    qtbot.mouseClick(
        panel.view.viewport(), Qt.MouseButton.LeftButton, pos=panel.view.visualRect(title).center()
    )
    assert panel.picture_popup is None
    assert panel.selected_flashbuy() is not None
    panel.close()
    assert console.errors == []


def test_active_sold_out_and_ended_rows_are_told_apart_by_the_palette(
    console: Console, world: World, qtbot: QtBot
) -> None:
    panel = console.panel
    beads = world.create_flashbuy(title="南红手串", piece_no="5", stock=3, price_fen=52_000)
    jade = world.create_flashbuy(title="3号 冰种翡翠手镯", piece_no="3")
    pearl = world.create_flashbuy(title="Akoya 珍珠项链", piece_no="A12", price_fen=88_800)
    for name, bought in (("小王", jade), ("Rose Lee 2024", beads)):
        buyer, _ = world.join(name)
        buyer.ok("POST", f"/flash-buys/{bought['id']}/orders", 201, json={"region": "浙江"})
    world.creator.ok("POST", f"/flash-buys/{pearl['id']}/end")
    with qtbot.waitSignal(panel.refreshed):
        panel.refresh()
    qtbot.waitUntil(lambda: panel.model.has_thumbnail(world.picture_id))
    qtbot.waitUntil(lambda: len(panel.model.buyers(panel.model.row_of(jade["id"]))) == 1)
    shown_panel(qtbot, panel)
    assert panel.counts_text() == "进行中 1 · 已售罄 1 · 已结束 1"

    image = panel.view.viewport().grab().toImage()

    def status_cell(fid: int) -> QColor:
        """The colour just inside the status cell's corner: its badge, or the row's base."""
        at = panel.proxy.mapFromSource(panel.model.index(panel.model.row_of(fid), Column.STATUS))
        rect = panel.view.visualRect(at)
        ratio = image.devicePixelRatio()
        return image.pixelColor(int((rect.left() + 2) * ratio), int((rect.top() + 2) * ratio))

    assert status_cell(jade["id"]).name() == theme.colour("sold_out").name()
    assert status_cell(pearl["id"]).name() == theme.colour("ended").name()
    active = status_cell(beads["id"]).name()
    assert active not in (theme.colour("sold_out").name(), theme.colour("ended").name())
    if SHOTS:
        panel.grab().save(os.path.join(SHOTS, "flashbuy-table-states.png"))
    panel.close()
    assert console.errors == []
