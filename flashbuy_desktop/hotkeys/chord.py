"""One key combination, read from the Qt portable text the settings store (no Qt needed).

The settings keep hotkeys as Qt's portable key-sequence text (``"Ctrl+F2"``, ``"Num+5"``,
``"Meta+Ctrl+Alt+Shift++"``): modifiers first, each followed by ``+``, then the key's name.
:func:`parse` reads such a text into a :class:`Chord`, which every system's mapping
(:mod:`.x11`, :mod:`.windows`, :mod:`.macos`) turns into its own key code and modifier bits.
"""

import string
from dataclasses import dataclass

# Qt's portable names of the modifiers, in the order Qt writes them.
_MODIFIERS = ("Meta", "Ctrl", "Alt", "Shift", "Num")

# Keys that are never text, whatever modifier goes with them.
FUNCTION_KEYS = tuple(f"F{n}" for n in range(1, 36))
NAVIGATION_KEYS = ("Ins", "Del", "Home", "End", "PgUp", "PgDown", "Left", "Up", "Right", "Down")
OTHER_KEYS = ("Print", "Pause", "ScrollLock", "Esc", "Tab", "Backspace", "Return", "Enter")
# Keys that type a character on a US keyboard (shifted or not); other layouts may put them
# elsewhere, which each system's mapping finds out.
TEXT_KEYS = (
    tuple(string.ascii_uppercase) + tuple(string.digits) + tuple("`-=[]\\;',./")
    + ("Space",) + tuple("~!@#$%^&*()_+{}|:\"<>?")
)  # fmt: skip


@dataclass(frozen=True)
class Chord:
    """A key and the modifiers held with it, as Qt names them."""

    key: str  # Qt's portable name: "F2", "R", "PgUp", ","
    ctrl: bool = False
    shift: bool = False
    alt: bool = False
    meta: bool = False
    keypad: bool = False  # the key on the numeric keypad ("Num+5")

    def types_text(self) -> bool:
        """Whether pressing it types a character in another program's text field.

        Such a chord cannot be taken from the whole system: the seller could no longer type
        that character anywhere (a ``R`` grabbed globally eats every "r" in the streaming
        software's chat box). With Ctrl, Alt or Meta it is a command, not text.
        """
        if self.ctrl or self.alt or self.meta:
            return False
        return self.keypad or self.key in TEXT_KEYS


def parse(text: str) -> Chord:
    """``text`` (Qt portable text of one key combination) as a Chord.

    Raises ValueError for an empty text or one with only modifiers.
    """
    held: set[str] = set()
    rest = text.strip()
    progress = True
    while progress:
        progress = False
        for name in _MODIFIERS:
            prefix = name + "+"
            # "Ctrl++" is Ctrl and the + key: a modifier needs a key after its "+".
            if rest.lower().startswith(prefix.lower()) and len(rest) > len(prefix):
                held.add(name)
                rest = rest[len(prefix) :]
                progress = True
    if not rest or (len(rest) > 1 and "+" in rest):  # "Ctrl+": a modifier, then no key
        raise ValueError(f"no key in {text!r}")
    if rest in _MODIFIERS or rest.lower() in {"ctrl", "shift", "alt", "meta"}:
        raise ValueError(f"only modifiers in {text!r}")
    key = rest.upper() if len(rest) == 1 else rest
    return Chord(
        key=key,
        ctrl="Ctrl" in held,
        shift="Shift" in held,
        alt="Alt" in held,
        meta="Meta" in held,
        keypad="Num" in held,
    )
