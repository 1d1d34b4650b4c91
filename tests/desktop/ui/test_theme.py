"""The console's one look: every tone has a rule, a tone changes what is drawn, sizes hold."""

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import fields

import pytest
from PySide6.QtGui import QColor, QFont, QImage
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from flashbuy_desktop.api.client import PlatformClient
from flashbuy_desktop.services.tasks import Tasks
from flashbuy_desktop.settings import ConsoleSettings
from flashbuy_desktop.ui import theme
from flashbuy_desktop.ui.confirm import Confirm, Question
from flashbuy_desktop.ui.golive import GoLiveDialog
from flashbuy_desktop.ui.settings_window import SettingsWindow
from flashbuy_desktop.ui.signin import SignInDialog
from flashbuy_desktop.ui.theme import PALETTE, TONE, Palette, Tone

# --- the style sheet, with no QApplication --------------------------------------------------


def test_every_tone_has_a_rule_in_the_style_sheet() -> None:
    sheet = theme.style_sheet()
    for tone in Tone:
        assert f'[{TONE}="{tone.value}"]' in sheet, tone


def test_the_style_sheet_takes_its_colours_from_the_palette() -> None:
    loud = Palette(error="#123456", warning="#654321")
    sheet = theme.style_sheet(loud)
    assert "#123456" in sheet
    assert "#654321" in sheet
    assert PALETTE.error not in sheet


def test_every_palette_colour_is_a_valid_colour_and_unknown_names_are_refused() -> None:
    for field in fields(Palette):
        assert QColor(getattr(PALETTE, field.name)).isValid(), field.name
        assert theme.colour(field.name) == QColor(getattr(PALETTE, field.name))
    assert theme.colour("frame_rim").alpha() == 160  # #aarrggbb keeps its alpha
    with pytest.raises(KeyError):
        theme.colour("fuchsia")


# --- tones on real widgets -----------------------------------------------------------------


def _inked(image: QImage, background: QColor) -> Counter[str]:
    """How many pixels of each colour differ from ``background`` (the text's ink)."""
    counts: Counter[str] = Counter()
    for y in range(image.height()):
        for x in range(image.width()):
            colour = image.pixelColor(x, y)
            if colour.rgb() != background.rgb():
                counts[colour.name()] += 1
    return counts


@pytest.fixture
def label(qtbot: QtBot) -> Iterator[QLabel]:
    widget = QLabel("WWW")
    font = QFont(widget.font())
    font.setPixelSize(48)
    font.setBold(True)
    widget.setFont(font)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.close()


def test_a_tone_changes_the_colour_a_label_is_drawn_in(label: QLabel) -> None:
    background = label.palette().color(label.backgroundRole())
    plain = _inked(label.grab().toImage(), background)
    assert theme.tone_of(label) is None
    assert PALETTE.error not in plain

    theme.set_tone(label, Tone.ERROR)
    assert theme.tone_of(label) is Tone.ERROR
    red = _inked(label.grab().toImage(), background)
    # The strokes' solid insides are the palette's red exactly; the rest is anti-aliasing.
    assert red.most_common(1)[0][0] == PALETTE.error

    theme.set_tone(label, Tone.SUCCESS)
    assert _inked(label.grab().toImage(), background).most_common(1)[0][0] == PALETTE.success

    theme.set_tone(label, None)
    assert theme.tone_of(label) is None
    assert _inked(label.grab().toImage(), background) == plain


def test_a_banner_fills_its_box_with_the_palette_s_background(label: QLabel) -> None:
    theme.set_tone(label, Tone.BANNER)
    image = label.grab().toImage()
    inside = image.pixelColor(image.width() // 2, 3)  # inside the border, above the text
    assert inside.name() == PALETTE.error_background


def test_a_tone_that_changes_brings_its_whole_box_along(label: QLabel) -> None:
    # The header's badge goes from "not live" to "live": the padding of the live tone must
    # come with it, as if the label had been live from the start (a re-polish kept the old box).
    fresh = QLabel("WWW")
    fresh.setFont(label.font())
    theme.set_tone(fresh, Tone.LIVE)
    theme.set_tone(label, Tone.IDLE)
    theme.set_tone(label, Tone.LIVE)
    assert label.sizeHint() == fresh.sizeHint()
    theme.set_tone(label, Tone.IDLE)
    idle = QLabel("WWW")
    idle.setFont(label.font())
    theme.set_tone(idle, Tone.IDLE)
    assert label.sizeHint() == idle.sizeHint() != fresh.sizeHint()
    fresh.deleteLater()
    idle.deleteLater()


# --- the look changes nothing but the toned widgets ----------------------------------------


def _windows() -> list[tuple[str, Callable[[], QWidget]]]:
    client = PlatformClient("http://127.0.0.1:9")  # never called: the windows are only built
    tasks = Tasks()
    question = Question(
        title="结束直播",
        text="结束直播“翡翠专场”？",
        details="结束后观众不能再买。",
        act="结束直播",
        safe="继续直播",
    )
    return [
        ("settings", lambda: SettingsWindow(ConsoleSettings(), embedded_demo=True)),
        ("sign-in", lambda: SignInDialog(client, tasks)),
        ("go-live", lambda: GoLiveDialog(client, tasks, "翡翠专场")),
        ("confirm", lambda: Confirm.build(None, question)),
    ]


def _toned(widget: QWidget) -> bool:
    """Whether ``widget`` or a widget it sits in has a tone (and so the console's sheet)."""
    here: QWidget | None = widget
    while here is not None:
        if theme.tone_of(here) is not None:
            return True
        here = here.parentWidget()
    return False


Sizes = dict[str, list[tuple[str, str, tuple[int, int], bool]]]


def _sizes() -> Sizes:
    """Each window's widgets in order: class, object name, size hint, toned or not."""
    sizes: Sizes = {}
    for name, build in _windows():
        window = build()
        window.ensurePolished()
        for child in [window, *window.findChildren(QWidget)]:
            child.ensurePolished()
            hint = child.sizeHint()
            row = (type(child).__name__, child.objectName(), (hint.width(), hint.height()))
            sizes.setdefault(name, []).append((*row, _toned(child)))
        window.deleteLater()
    return sizes


def test_the_look_leaves_every_widget_without_a_tone_as_qt_draws_it(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    theme.apply(qapp)
    # Never application-wide: Qt would size every spin box differently (the settings' ones).
    assert qapp.styleSheet() == ""
    styled = _sizes()
    monkeypatch.setattr(theme, "set_tone", lambda _widget, _tone: None)
    bare = _sizes()
    for name, rows in styled.items():
        assert len(rows) == len(bare[name]), name
        untoned = [
            (row[:3], plain[:3]) for row, plain in zip(rows, bare[name], strict=True) if not row[3]
        ]
        assert untoned, name
        for mine, qts in untoned:
            assert mine == qts, name
    assert any(row[0] == "QSpinBox" and not row[3] for row in styled["settings"])
    assert any(row[3] for row in styled["settings"])  # its error labels carry the tone
