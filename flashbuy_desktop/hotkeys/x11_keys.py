"""X11 key mapping, as pure functions: chord to keysym, keysym to keycode, modifier bits.

An X server names keys by keysym (what is printed on the key) and grabs them by keycode
(which key it is on this keyboard, with this layout) plus a modifier mask. The masks of Alt,
Super (Qt's Meta), NumLock and ScrollLock are not fixed: they come from the server's
modifier mapping, read once per registration by :mod:`.x11`.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from flashbuy_desktop.hotkeys.chord import Chord

SHIFT, LOCK, CONTROL = 1, 2, 4
MOD1, MOD2, MOD3, MOD4, MOD5 = 8, 16, 32, 64, 128
MODIFIER_BITS = 0xFF  # the state's bits above these are mouse buttons
NO_SYMBOL = 0

XK_F1 = 0xFFBE
XK_NUM_LOCK = 0xFF7F
XK_SCROLL_LOCK = 0xFF14
XK_ALT = (0xFFE9, 0xFFEA)  # Alt_L, Alt_R
XK_SUPER = (0xFFEB, 0xFFEC)  # Super_L, Super_R: the key Qt calls Meta on X11
XK_KP_0 = 0xFFB0

_NAMED = {
    "Ins": 0xFF63, "Del": 0xFFFF, "Home": 0xFF50, "End": 0xFF57, "PgUp": 0xFF55,
    "PgDown": 0xFF56, "Left": 0xFF51, "Up": 0xFF52, "Right": 0xFF53, "Down": 0xFF54,
    "Print": 0xFF61, "Pause": 0xFF13, "ScrollLock": XK_SCROLL_LOCK, "Esc": 0xFF1B,
    "Tab": 0xFF09, "Backspace": 0xFF08, "Return": 0xFF0D, "Enter": 0xFF8D, "Menu": 0xFF67,
    "Space": 0x20,
}  # fmt: skip
_KEYPAD = {"*": 0xFFAA, "+": 0xFFAB, "-": 0xFFAD, ".": 0xFFAE, "/": 0xFFAF, "Enter": 0xFF8D}


def keysym(chord: Chord) -> int | None:
    """The keysym of the chord's key; None for a key X11 has no keysym for here."""
    key = chord.key
    if chord.keypad:
        if key.isdigit() and len(key) == 1:
            return XK_KP_0 + int(key)
        return _KEYPAD.get(key)
    if key.startswith("F") and key[1:].isdigit() and 1 <= int(key[1:]) <= 35:
        return XK_F1 + int(key[1:]) - 1
    if key in _NAMED:
        return _NAMED[key]
    if len(key) == 1 and 0x21 <= ord(key) <= 0x7E:
        # Latin-1 keysyms are the characters' code points; a letter's key is its small one.
        return ord(key.lower())
    return None


@dataclass(frozen=True)
class KeyboardMap:
    """The server's keyboard mapping: for each keycode from ``first``, its keysyms."""

    first: int  # the setup's min_keycode
    per_keycode: int  # keysyms per keycode (columns: plain, shifted, then other groups)
    keysyms: Sequence[int]  # row by row

    def find(self, symbol: int) -> tuple[int, int] | None:
        """(keycode, column) of the key that types ``symbol``, its plain column first."""
        width = self.per_keycode
        rows = len(self.keysyms) // width if width else 0
        for column in range(width):
            for row in range(rows):
                if self.keysyms[row * width + column] == symbol:
                    return self.first + row, column
        return None

    def keycodes(self, symbols: Sequence[int]) -> set[int]:
        """Every keycode that has one of ``symbols`` in any column."""
        width = self.per_keycode
        return {
            self.first + index // width
            for index, value in enumerate(self.keysyms)
            if value != NO_SYMBOL and value in symbols
        }


@dataclass(frozen=True)
class Modifiers:
    """The masks of the modifiers whose bit depends on the server's modifier mapping."""

    alt: int = MOD1
    meta: int = MOD4
    num_lock: int = MOD2
    scroll_lock: int = 0  # usually on no modifier at all

    def of(self, chord: Chord) -> int:
        """The chord's modifiers as an X11 mask."""
        mask = 0
        if chord.shift:
            mask |= SHIFT
        if chord.ctrl:
            mask |= CONTROL
        if chord.alt:
            mask |= self.alt
        if chord.meta:
            mask |= self.meta
        return mask

    def locks(self) -> int:
        """The mask of every lock modifier (CapsLock, NumLock, ScrollLock)."""
        return LOCK | self.num_lock | self.scroll_lock

    def lock_variants(self) -> list[int]:
        """Each combination of the locks being on: a grab is per exact modifier state, so a
        hotkey grabbed only without locks would stop working whenever NumLock is on."""
        bits = sorted({LOCK, self.num_lock, self.scroll_lock} - {0})
        return sorted(
            sum(chosen) for size in range(len(bits) + 1) for chosen in combinations(bits, size)
        )


def modifiers_from_mapping(modmap: Sequence[Sequence[int]], keyboard: KeyboardMap) -> Modifiers:
    """The Alt, Super, NumLock and ScrollLock masks, from the server's modifier mapping.

    ``modmap`` lists, for each of the 8 modifiers (Shift, Lock, Control, Mod1..Mod5), the
    keycodes that set it. A modifier no key sets keeps its usual mask (ScrollLock: none).
    """

    def mask_of(symbols: Sequence[int], default: int) -> int:
        codes = keyboard.keycodes(symbols)
        for index, keycodes in enumerate(modmap):
            if index >= 3 and codes & {code for code in keycodes if code}:
                return 1 << index
        return default

    return Modifiers(
        alt=mask_of(XK_ALT, MOD1),
        meta=mask_of(XK_SUPER, MOD4),
        num_lock=mask_of((XK_NUM_LOCK,), MOD2),
        scroll_lock=mask_of((XK_SCROLL_LOCK,), 0),
    )


def needs_shift(chord: Chord, column: int) -> bool:
    """Whether the key's symbol sits in a shifted column (e.g. "!" on US keyboards).

    On the keypad the second column is NumLock's, which every lock variant covers already.
    """
    return column % 2 == 1 and not chord.keypad


class RepeatFilter:
    """Drops the presses that key auto-repeat makes while a hotkey is held down.

    X11 repeats a held key as release-press pairs with one timestamp; a press whose key was
    released at that very time is a repeat, not a new press (it must not toggle the comment
    pause ten times a second).
    """

    def __init__(self) -> None:
        self._released: dict[int, int] = {}

    def press(self, keycode: int, time: int) -> bool:
        """Whether this press is a real one."""
        return self._released.pop(keycode, None) != time

    def release(self, keycode: int, time: int) -> None:
        """Note a release (perhaps the first half of a repeat)."""
        self._released[keycode] = time
