"""The window's side of reading the card, with a capture engine and a reader that never read.

The engine stand-in returns a fixed picture with a card image (tests/desktop/fakes.py); the
reader stand-in answers a scripted reading (the real reader is tested on a painted card in
tests/desktop/e2e/test_card_read_window.py). The window, the capture service, the platform
over HTTP and the keys (to the widget with the focus) are real.
"""

import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import requests
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QWidget

from flashbuy_desktop.api.client import PlatformClient
from flashbuy_desktop.capture.card_reading import CardReading, Image, ReadValue
from flashbuy_desktop.capture.types import Box, CaptureResult, Region
from flashbuy_desktop.services.capture_service import CaptureService
from flashbuy_desktop.services.tasks import Tasks
from flashbuy_desktop.ui import theme
from flashbuy_desktop.ui.new_flashbuy import LiveContext, NewFlashBuyDialog
from flashbuy_desktop.ui.theme import Tone
from tests.desktop.fakes import FakeEngine, FakeFrame, wait_ready
from tests.desktop.keyboard import focused
from tests.support import World

TIMEOUT = 20_000
SHOTS = os.environ.get("FLASHBUY_SHOTS", "")  # a folder to save screenshots in, if set
STAND_IN = Path(__file__).parents[2] / "hotkeys_stand_in.py"  # another application's window
CUT = Box(30, 60, 160, 200)  # where the card image was cut from the frame (= the picture)
PIECE_AT = Box(20, 30, 40, 36)  # on the card image
PRICE_AT = Box(20, 120, 110, 40)

pytestmark = pytest.mark.parametrize("platform", ["sqlite"], indirect=True)


def reading(
    piece: str | None = "3",
    price: str | None = "1288",
    *,
    price_conf: float = 0.99,
    piece_conf: float = 0.99,
) -> CardReading:
    return CardReading(
        piece=ReadValue(piece, piece_conf, PIECE_AT) if piece is not None else None,
        price=ReadValue(price, price_conf, PRICE_AT) if price is not None else None,
        text="",
        lines=(),
        engine="scripted",
        elapsed_ms=1.0,
    )


class CardEngine(FakeEngine):
    """The fixed picture, with its card cut out for the reader (a blank image: never read)."""

    with_card = True  # False: the card was not found (nothing to read)

    def __call__(self, region: Region, cancel: threading.Event) -> CaptureResult:
        result = super().__call__(region, cancel)
        if not self.with_card:
            return result
        return CaptureResult(
            jpeg=result.jpeg,
            width=result.width,
            height=result.height,
            crop=result.crop,
            card=result.card,
            piece=result.piece,
            sharpness=result.sharpness,
            card_image=np.zeros((CUT.height, CUT.width, 3), np.uint8),
            card_image_box=CUT,
        )


class ScriptedReader:
    """Answers ``answer`` (a reading, or an error to raise); held while the gate is shut."""

    def __init__(self) -> None:
        self.answer: CardReading | Exception = reading()
        self.gate = threading.Event()
        self.gate.set()
        self.calls = 0

    def __call__(self, image: Image) -> CardReading:
        self.calls += 1
        self.gate.wait(30)
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


@pytest.fixture
def reader() -> Iterator[ScriptedReader]:
    scripted = ScriptedReader()
    yield scripted
    scripted.gate.set()


@pytest.fixture
def tasks() -> Iterator[Tasks]:
    running = Tasks()
    yield running
    running.wait()


@pytest.fixture
def engine() -> Iterator[CardEngine]:
    card_engine = CardEngine()
    yield card_engine
    card_engine.gate.set()


@pytest.fixture
def capture(tasks: Tasks, engine: CardEngine, reader: ScriptedReader) -> Iterator[CaptureService]:
    service = CaptureService(FakeFrame(), tasks, engine, reader=reader)
    yield service
    service.cancel()
    reader.gate.set()
    assert service.wait_reads(), "a card read outlived its test"


@pytest.fixture
def client(world: World) -> Iterator[PlatformClient]:
    platform = PlatformClient(world.platform.url, world.creator.token)
    yield platform
    platform.close()


@pytest.fixture
def open_dialog(
    qtbot: Any, world: World, tasks: Tasks, capture: CaptureService, client: PlatformClient
) -> Iterator[Any]:
    dialogs: list[NewFlashBuyDialog] = []

    def open_(**kwargs: Any) -> NewFlashBuyDialog:
        dialog = NewFlashBuyDialog(client, tasks, capture, world.room_id, **kwargs)
        qtbot.addWidget(dialog)
        dialogs.append(dialog)
        dialog.show()
        wait_ready(qtbot, dialog)
        # The window takes the keyboard and gives it to the price field, as the seller sees.
        qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.price_edit, timeout=TIMEOUT)
        return dialog

    yield open_
    for dialog in dialogs:
        if dialog.isVisible():
            dialog.reject()
    QApplication.processEvents()
    tasks.wait()


def _read(qtbot: Any, dialog: NewFlashBuyDialog) -> None:
    qtbot.waitUntil(lambda: dialog.card_fill.last_fill is not None, timeout=TIMEOUT)


def _listed(world: World) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = world.creator.ok(
        "GET", "/flash-buys", params={"room_id": world.room_id}
    )["items"]
    return items


def test_a_read_fills_marks_and_outlines_and_the_seller_s_edit_makes_it_theirs(
    qtbot: Any, world: World, open_dialog: Any
) -> None:
    dialog = open_dialog()
    _read(qtbot, dialog)
    assert (dialog.piece_edit.text(), dialog.price_edit.text()) == ("3", "1288")
    assert theme.tone_of(dialog.piece_edit) is Tone.CARD
    assert theme.tone_of(dialog.price_edit) is Tone.CARD
    assert dialog.card_note.text() == "读自卡片，请核对"
    assert dialog.title_edit.text().startswith("3号")  # the title follows the piece read
    # The outlines: the read boxes moved by the cut (the picture is the whole frame here).
    assert dialog.preview.highlights() == [Box(50, 90, 40, 36), Box(50, 180, 110, 40)]
    before = dialog.preview.highlight_rects()[1]
    dialog.resize(dialog.width() + 300, dialog.height() + 200)
    qtbot.waitUntil(lambda: dialog.preview.highlight_rects()[1].width() > before.width())
    picture = dialog.preview.picture_rect()
    scale = picture.width() / 480
    assert dialog.preview.highlight_rects()[1].x() == pytest.approx(picture.x() + 50 * scale)

    assert dialog.price_edit.hasFocus()
    qtbot.keyClicks(focused(), "1500")  # the price read was selected: typing replaces it
    assert dialog.price_edit.text() == "1500"
    assert theme.tone_of(dialog.price_edit) is None  # the seller's now
    assert theme.tone_of(dialog.piece_edit) is Tone.CARD
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=TIMEOUT)
    [published] = _listed(world)
    assert (published["price_fen"], published["piece_no"]) == (150_000, "3")


def test_an_unsure_price_is_never_filled_and_the_note_says_to_type_it(
    qtbot: Any, open_dialog: Any, reader: ScriptedReader
) -> None:
    reader.answer = reading(price="1288", price_conf=0.5)
    dialog = open_dialog()
    _read(qtbot, dialog)
    assert dialog.piece_edit.text() == "3"
    assert dialog.price_edit.text() == ""
    assert dialog.card_note.text() == "件号读自卡片；价格未能读出，请输入价格"
    assert dialog.price_edit.hasFocus()
    assert dialog.preview.highlights() == [Box(50, 90, 40, 36)]  # only what was filled


def test_a_price_read_is_checked_like_a_typed_one(
    qtbot: Any, open_dialog: Any, reader: ScriptedReader
) -> None:
    reader.answer = reading(price="0")
    dialog = open_dialog()
    _read(qtbot, dialog)
    assert dialog.price_edit.text() == "0"
    assert not dialog.price_error.isHidden()  # refused as a typed 0 would be
    assert theme.tone_of(dialog.price_edit) is Tone.INVALID
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    assert dialog.isVisible()


def test_a_failed_read_says_the_card_could_not_be_read(
    qtbot: Any, open_dialog: Any, reader: ScriptedReader
) -> None:
    reader.answer = RuntimeError("the engine broke")
    dialog = open_dialog()
    _read(qtbot, dialog)
    assert dialog.card_note.text() == "卡片未能读出，请输入价格"
    assert (dialog.piece_edit.text(), dialog.price_edit.text()) == ("", "")
    assert dialog.price_edit.hasFocus()


def test_a_retake_replaces_the_earlier_read_and_empties_what_it_cannot_read(
    qtbot: Any, open_dialog: Any, reader: ScriptedReader, capture: CaptureService
) -> None:
    dialog = open_dialog()
    _read(qtbot, dialog)
    assert dialog.price_edit.text() == "1288"
    reader.answer = reading(piece="4", price=None)
    reader.gate.clear()
    qtbot.keyClick(focused(), Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: dialog.card_note.text() == "正在读取卡片…", timeout=TIMEOUT)
    assert dialog.preview.highlights() == []  # the old outlines went with the old picture
    assert (dialog.piece_edit.text(), dialog.price_edit.text()) == ("", "")  # and its values
    assert theme.tone_of(dialog.price_edit) is None
    with qtbot.waitSignal(capture.card_read, timeout=TIMEOUT):
        reader.gate.set()
    assert dialog.piece_edit.text() == "4"
    assert dialog.price_edit.text() == ""  # the old price was the old picture's
    assert dialog.card_note.text() == "件号读自卡片；价格未能读出，请输入价格"


def test_a_typed_price_survives_the_read_and_a_retake(
    qtbot: Any, open_dialog: Any, reader: ScriptedReader, capture: CaptureService
) -> None:
    reader.gate.clear()
    dialog = open_dialog()
    qtbot.waitUntil(lambda: reader.calls == 1, timeout=TIMEOUT)
    qtbot.keyClicks(focused(), "990")
    with qtbot.waitSignal(capture.card_read, timeout=TIMEOUT):
        reader.gate.set()
    assert (dialog.piece_edit.text(), dialog.price_edit.text()) == ("3", "990")
    reader.answer = reading(piece="4", price="1500")
    with qtbot.waitSignal(capture.card_read, timeout=TIMEOUT):
        qtbot.keyClick(focused(), Qt.Key.Key_F5)
    assert (dialog.piece_edit.text(), dialog.price_edit.text()) == ("4", "990")
    assert dialog.card_note.text() == "读自卡片，请核对"


def test_a_targeted_window_s_guessed_piece_gives_way_to_the_card_and_says_so(
    qtbot: Any, world: World, open_dialog: Any
) -> None:
    dialog = open_dialog(
        targets=[(world.viewer_ids[0], "viewer")], live=LiveContext(comment="8号多少钱")
    )
    _read(qtbot, dialog)
    assert dialog.piece_edit.text() == "3"
    assert dialog.card_note.text() == "读自卡片，请核对（原件号为 8）"
    assert dialog.price_edit.text() == "1288"


def test_reading_off_leaves_the_fields_to_the_seller(
    qtbot: Any, open_dialog: Any, reader: ScriptedReader, capture: CaptureService
) -> None:
    capture.set_reading(False)
    dialog = open_dialog()
    assert (dialog.piece_edit.text(), dialog.price_edit.text()) == ("", "")
    assert dialog.card_note.isHidden()
    assert reader.calls == 0


def test_a_field_filled_from_the_card_keeps_its_height(qtbot: Any, open_dialog: Any) -> None:
    dialog = open_dialog()
    _read(qtbot, dialog)
    assert theme.tone_of(dialog.price_edit) is Tone.CARD
    assert dialog.price_edit.sizeHint().height() == dialog.title_edit.sizeHint().height()


def test_a_retake_without_a_card_drops_the_values_of_the_earlier_card(
    qtbot: Any, open_dialog: Any, engine: CardEngine, reader: ScriptedReader
) -> None:
    dialog = open_dialog()
    _read(qtbot, dialog)
    first = dialog.captured_result()
    engine.with_card = False
    qtbot.keyClick(focused(), Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: dialog.captured_result() not in (None, first), timeout=TIMEOUT)
    assert (dialog.piece_edit.text(), dialog.price_edit.text()) == ("", "")
    assert dialog.card_note.text() == "卡片未能读出，请输入价格"
    assert reader.calls == 1


# --- a read never mixes two pictures, never changes what was sent, never takes the keyboard --


def _new_picture(qtbot: Any, dialog: NewFlashBuyDialog, before: CaptureResult | None) -> None:
    def new() -> bool:
        now = dialog.captured_result()
        return now is not None and now is not before  # the fake engine's pictures are equal

    qtbot.waitUntil(new, timeout=TIMEOUT)


def test_enter_between_a_retake_and_its_read_never_publishes_the_old_card_s_price(
    qtbot: Any, world: World, open_dialog: Any, reader: ScriptedReader, tasks: Tasks
) -> None:
    dialog = open_dialog()
    _read(qtbot, dialog)
    assert dialog.price_edit.text() == "1288"
    first = dialog.captured_result()
    reader.gate.clear()  # the new picture's card is still being read
    qtbot.keyClick(focused(), Qt.Key.Key_F5)
    _new_picture(qtbot, dialog, first)
    qtbot.waitUntil(lambda: reader.calls == 2, timeout=TIMEOUT)
    assert dialog.price_edit.text() == ""
    assert dialog.card_note.text() == "正在读取卡片…"
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    assert not dialog.publishing.sending  # an empty price is refused, as a typed one would be
    assert not dialog.price_error.isHidden()
    reader.gate.set()
    tasks.wait()  # the read and anything Enter could have started are over
    QApplication.processEvents()
    assert _listed(world) == []
    assert dialog.price_edit.text() == "1288"  # the new picture's own read


@pytest.mark.parametrize("lands", ["while-sending", "after-an-unconfirmed-send"])
def test_a_read_landing_after_enter_never_changes_what_was_sent(
    qtbot: Any,
    world: World,
    open_dialog: Any,
    reader: ScriptedReader,
    capture: CaptureService,
    client: PlatformClient,
    monkeypatch: pytest.MonkeyPatch,
    lands: str,
) -> None:
    real = client.session.request
    keys: list[str] = []
    held = threading.Event()  # the create request has reached the link
    release = threading.Event()
    offline = True

    def link(method: str, url: str, **kwargs: Any) -> requests.Response:
        if method == "POST" and url.endswith("/flash-buys"):
            keys.append(kwargs["headers"]["Idempotency-Key"])
            if offline:
                held.set()
                release.wait(TIMEOUT / 1000)
                raise requests.ConnectionError("no route to the platform")
        return real(method, url, **kwargs)

    monkeypatch.setattr(client.session, "request", link)
    reader.gate.clear()
    dialog = open_dialog()
    qtbot.waitUntil(lambda: reader.calls == 1, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: dialog.create_button.isEnabled(), timeout=TIMEOUT)
    qtbot.keyClicks(focused(), "990")
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    qtbot.waitUntil(held.is_set, timeout=TIMEOUT)
    if lands == "while-sending":
        with qtbot.waitSignal(capture.card_read, timeout=TIMEOUT):
            reader.gate.set()
        assert dialog.publishing.sending
        release.set()
    else:
        release.set()
    qtbot.waitUntil(lambda: "连不上平台" in dialog.status_label.text(), timeout=TIMEOUT)
    if lands != "while-sending":
        with qtbot.waitSignal(capture.card_read, timeout=TIMEOUT):
            reader.gate.set()
    # The form is exactly what was sent: the card's piece number did not land in it.
    assert (dialog.piece_edit.text(), dialog.price_edit.text()) == ("", "990")
    assert theme.tone_of(dialog.piece_edit) is None
    assert dialog.preview.highlights() == []
    assert dialog.card_note.text() != "正在读取卡片…"
    pending = dialog.pending_key()
    assert pending is not None
    assert pending == keys[0]
    offline = False
    with qtbot.waitSignal(dialog.created, timeout=TIMEOUT):
        qtbot.keyClick(focused(), Qt.Key.Key_Return)  # the retry: the same form, the same key
    assert keys[-1] == keys[0]
    [published] = _listed(world)
    assert (published["price_fen"], published["piece_no"]) == (99_000, "")


def test_an_emptied_field_stays_the_seller_s_through_a_retake(
    qtbot: Any, open_dialog: Any, capture: CaptureService
) -> None:
    dialog = open_dialog()
    _read(qtbot, dialog)
    assert dialog.price_edit.selectedText() == "1288"
    qtbot.keyClick(focused(), Qt.Key.Key_Delete)  # the seller deletes the wrong price
    assert dialog.price_edit.text() == ""
    with qtbot.waitSignal(capture.card_read, timeout=TIMEOUT):
        qtbot.keyClick(focused(), Qt.Key.Key_F5)  # the same card is read again
    assert dialog.price_edit.text() == ""  # it never comes back
    assert dialog.piece_edit.text() == "3"  # the field the seller left alone is filled
    assert dialog.preview.highlights() == [Box(50, 90, 40, 36)]


def test_editing_a_value_from_the_card_takes_its_outline_and_its_note_away(
    qtbot: Any, open_dialog: Any
) -> None:
    dialog = open_dialog()
    _read(qtbot, dialog)
    assert dialog.preview.highlights() == [Box(50, 90, 40, 36), Box(50, 180, 110, 40)]
    qtbot.keyClicks(focused(), "1500")
    assert dialog.preview.highlights() == [Box(50, 90, 40, 36)]  # the piece's is still there
    assert dialog.card_note.text() == "读自卡片，请核对"  # for the piece number
    _click(qtbot, dialog.piece_edit)
    qtbot.keyClick(focused(), Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(focused(), "5")
    assert dialog.piece_edit.text() == "5"
    assert dialog.preview.highlights() == []
    assert dialog.card_note.isHidden()
    _shot(dialog, "after-editing-both")


def test_a_retake_whose_card_cannot_be_read_says_the_piece_went_back_to_the_guess(
    qtbot: Any, world: World, open_dialog: Any, reader: ScriptedReader, capture: CaptureService
) -> None:
    dialog = open_dialog(
        targets=[(world.viewer_ids[0], "viewer")], live=LiveContext(comment="8号多少钱")
    )
    _read(qtbot, dialog)
    assert dialog.piece_edit.text() == "3"
    reader.answer = reading(piece="4", price=None, piece_conf=0.1)
    with qtbot.waitSignal(capture.card_read, timeout=TIMEOUT):
        qtbot.keyClick(focused(), Qt.Key.Key_F5)
    assert (dialog.piece_edit.text(), dialog.price_edit.text()) == ("8", "")
    assert dialog.card_note.text() == "卡片未能读出，件号已恢复为 8，请输入价格"
    assert dialog.price_edit.hasFocus()
    _shot(dialog, "piece-back-to-guess")


@pytest.fixture
def other_app(qtbot: Any, tmp_path: Path) -> Iterator[Path]:
    """Another application's window on screen (the streaming software); yields its log."""
    if QApplication.platformName() != "xcb" or shutil.which("xdotool") is None:
        pytest.fail("needs an X desktop with xdotool: run under scripts/pytest.sh")
    log = tmp_path / "stand-in.log"
    other = subprocess.Popen([sys.executable, str(STAND_IN), str(log)])
    try:
        qtbot.waitUntil(lambda: _stand_in_window(log) is not None, timeout=TIMEOUT)
        yield log
    finally:
        other.terminate()
        other.wait(30)


def test_a_read_while_another_application_is_active_leaves_the_seller_s_field_focused(
    qtbot: Any, open_dialog: Any, reader: ScriptedReader, capture: CaptureService, other_app: Path
) -> None:
    log = other_app
    reader.gate.clear()
    dialog = open_dialog()
    qtbot.waitUntil(lambda: reader.calls == 1, timeout=TIMEOUT)
    _click(qtbot, dialog.title_edit)  # the seller goes to the title
    assert focused() is dialog.title_edit
    _activate_stand_in(qtbot, log)  # the seller clicks into the streaming software
    with qtbot.waitSignal(capture.card_read, timeout=TIMEOUT):
        reader.gate.set()
    assert dialog.price_edit.text() == "1288"
    assert dialog.focusWidget() is dialog.title_edit  # where the keys go when back
    # Back in the console, the seller's keys still go to the title.
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=TIMEOUT)
    title = dialog.title_edit.text()
    qtbot.keyClicks(focused(), "x")
    assert dialog.title_edit.text() != title
    assert dialog.price_edit.text() == "1288"


def test_a_read_while_another_window_is_active_gives_the_price_the_keyboard(
    qtbot: Any, open_dialog: Any, reader: ScriptedReader, capture: CaptureService, other_app: Path
) -> None:
    log = other_app
    reader.gate.clear()
    dialog = open_dialog()
    qtbot.waitUntil(lambda: reader.calls == 1, timeout=TIMEOUT)
    _activate_stand_in(qtbot, log)
    with qtbot.waitSignal(capture.card_read, timeout=TIMEOUT):
        reader.gate.set()
    assert dialog.focusWidget() is dialog.price_edit  # it had the keyboard: it keeps it
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.price_edit, timeout=TIMEOUT)
    qtbot.keyClicks(focused(), "1500")  # the price read was selected: typing replaces it
    assert dialog.price_edit.text() == "1500"


def _activate_stand_in(qtbot: Any, log: Path) -> None:
    """The seller clicks into the other application: the console has no active window."""
    window = _stand_in_window(log)
    assert window is not None
    subprocess.run(["xdotool", "windowactivate", "--sync", window], check=True, timeout=15)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is None, timeout=TIMEOUT)


def _stand_in_window(log: Path) -> str | None:
    lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    ready = [line.split()[1] for line in lines if line.startswith("ready ")]
    return ready[0] if ready else None


def _click(qtbot: Any, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(8, widget.height() // 2))
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget, timeout=TIMEOUT)


def _shot(dialog: NewFlashBuyDialog, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        dialog.grab().save(str(Path(SHOTS) / f"{name}.png"))
