"""The console's one look: a palette of named colours and the tones widgets take from it.

A widget never sets a style sheet itself. It takes a :class:`Tone` (``set_tone(label,
Tone.ERROR)``), a dynamic property the console's style sheet (:func:`style_sheet`) selects
on, so an error reads in the same red in every window and a change of colour is made once,
here. Code that paints (delegates, the capture frame) asks :func:`colour` for the same
named colours; :func:`apply` (once, at start) chooses the palette of the run.

The sheet goes on the toned widgets only, never on the application: any application-wide
style sheet makes Qt draw every spin box through its style-sheet style, which sizes spin
boxes differently (shorter and wider under Fusion) even when no rule names them. A widget
without a tone is left exactly as Qt's style draws it.
"""

from dataclasses import dataclass, fields
from enum import StrEnum

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QWidget

TONE = "tone"  # the dynamic property the style sheet selects on


class Tone(StrEnum):
    """What a widget says by its look; the style sheet gives each one its colours."""

    ERROR = "error"  # a refusal or a failure: red text
    WARNING = "warning"  # worth a look, nothing refused: amber text
    SUCCESS = "success"  # done, or connected: green text
    MUTED = "muted"  # secondary words: grey text
    STRONG = "strong"  # a heading inside a form: bold
    BANNER = "banner"  # a boxed error across a window
    PILL = "pill"  # a small warm badge ("paused")
    LIVE = "live"  # the header's "on air" badge
    IDLE = "idle"  # the header's "not live" badge
    QUOTE = "quote"  # a viewer's words quoted in a window
    INVALID = "invalid"  # an input field whose value is refused: red border
    CHIP = "chip"  # a frame holding a chosen viewer
    CARD = "card"  # a value read from the order card: tinted field, its note, its outline


@dataclass(frozen=True)
class Palette:
    """Every colour the console uses, by what it means (``#rrggbb``, or ``#aarrggbb``)."""

    error: str = "#c5221f"
    error_background: str = "#fdecea"
    error_border: str = "#f5c2c0"
    warning: str = "#b06000"
    success: str = "#1e8e3e"
    muted: str = "#5f6368"
    faint: str = "#8c8c8c"  # text of rows that can no longer be bought
    quote: str = "#444444"
    quote_background: str = "#f4f4f4"
    warm_background: str = "#fff1d6"
    warm_text: str = "#7a3b00"
    warm_background_dark: str = "#4a3413"
    intent: str = "#b4400a"  # a comment that asks to buy
    intent_dark: str = "#ffb870"
    comment_time: str = "#808080"  # a comment's time: mid grey, read on light and dark alike
    live: str = "#e8453c"
    sold_out: str = "#d9363e"
    ended: str = "#e8e8e8"
    on_colour: str = "#ffffff"  # text on a coloured badge
    chip_background: str = "#e8f4ef"
    chip_border: str = "#9fd3bd"
    frame: str = "#ff2d78"  # vivid pink: reads on jade greens and pearl whites alike
    frame_locked: str = "#2ec4a0"  # jade: the capture frame is locked
    frame_rim: str = "#a0000000"  # a dark rim that keeps the frame readable on light video
    frame_label: str = "#be000000"  # behind the frame's size while it is resized
    # Alpha 1/255: invisible, yet a window painted with it still takes the mouse.
    frame_inside: str = "#01000000"
    backdrop: str = "#202124"  # behind a picture
    crop_shade: str = "#8c000000"  # over what a crop of a picture leaves out
    placeholder: str = "#eeeeee"  # a picture not loaded yet
    # Read from the order card: a blue no other meaning uses (not an error, not the frame).
    card: str = "#1a63d6"
    card_background: str = "#e8f0fe"


PALETTE = Palette()
_NAMES = frozenset(f.name for f in fields(Palette))


@dataclass
class _Look:
    """The palette of this run and the style sheet made from it (set by :func:`apply`)."""

    palette: Palette
    sheet: str = ""


_look = _Look(PALETTE)


def colour(name: str) -> QColor:
    """The palette's colour called ``name`` (a field of :class:`Palette`), for painting."""
    if name not in _NAMES:
        raise KeyError(f"no colour {name!r} in the palette")
    return QColor(getattr(_look.palette, name))


def style_sheet(palette: Palette = PALETTE) -> str:
    """The application's style sheet: one rule per tone, nothing else restyled."""
    p = palette
    rules = {
        Tone.ERROR: f"color: {p.error};",
        Tone.WARNING: f"color: {p.warning};",
        Tone.SUCCESS: f"color: {p.success}; font-weight: bold;",
        Tone.MUTED: f"color: {p.muted};",
        Tone.STRONG: "font-weight: bold;",
        Tone.BANNER: (
            f"background: {p.error_background}; color: {p.error};"
            f" border: 1px solid {p.error_border}; border-radius: 4px; padding: 6px;"
        ),
        Tone.PILL: (
            f"background: {p.warm_background}; color: {p.warm_text};"
            " border-radius: 4px; padding: 1px 6px;"
        ),
        Tone.LIVE: (
            f"color: {p.on_colour}; background: {p.live}; border-radius: 4px; padding: 2px 8px;"
        ),
        Tone.IDLE: f"color: {p.muted}; font-weight: bold;",
        Tone.QUOTE: f"color: {p.quote}; background: {p.quote_background}; padding: 4px;",
        Tone.CARD: f"color: {p.card};",
    }
    sheet = [f'QLabel[{TONE}="{tone.value}"] {{ {rule} }}' for tone, rule in rules.items()]
    sheet.append(f'QLineEdit[{TONE}="{Tone.INVALID.value}"] {{ border: 1px solid {p.error}; }}')
    sheet.append(
        # The padding keeps the field as tall as Qt's own (a styled border drops its frame):
        # a field filled from the card never moves the rows below it.
        f'QLineEdit[{TONE}="{Tone.CARD.value}"] {{ background: {p.card_background};'
        f" border: 1px solid {p.card}; color: {p.card}; padding: 2px 1px; }}"
    )
    sheet.append(
        f'QFrame[{TONE}="{Tone.CHIP.value}"] {{ background: {p.chip_background};'
        f" border: 1px solid {p.chip_border}; border-radius: 10px; }}"
    )
    return "\n".join(sheet)


def set_tone(widget: QWidget, tone: Tone | None) -> None:
    """Give ``widget`` a tone (``None``: its plain look) and restyle it at once."""
    value = "" if tone is None else tone.value
    sheet = "" if tone is None else _sheet()
    if widget.property(TONE) == value and widget.styleSheet() == sheet:
        return
    widget.setProperty(TONE, value)
    # A dynamic property is not watched by the style, and a re-polish applies a rule's colours
    # but not its box (padding, border): setting the sheet again makes Qt compute the rule
    # for the new tone whole. No sheet at all for the plain look: Qt's style, untouched.
    widget.setStyleSheet("")
    widget.setStyleSheet(sheet)
    widget.update()


def tone_of(widget: QWidget) -> Tone | None:
    """The tone ``widget`` has (``None`` for its plain look); what tests check."""
    value = widget.property(TONE)
    return Tone(value) if value else None


def _sheet() -> str:
    if not _look.sheet:
        _look.sheet = style_sheet(_look.palette)
    return _look.sheet


def apply(app: QApplication, palette: Palette = PALETTE) -> None:
    """Make ``palette`` the run's colours (at start); widgets already toned follow it."""
    if palette == _look.palette and _look.sheet:
        return
    _look.palette, _look.sheet = palette, style_sheet(palette)
    for widget in app.allWidgets():
        tone = tone_of(widget)
        if tone is not None:
            widget.setStyleSheet(_look.sheet)
