"""What every system's global-hotkey backend offers, and why a hotkey may not become global."""

import enum
from collections.abc import Callable, Mapping
from typing import Protocol

from flashbuy_desktop.hotkeys.chord import Chord

# Called with the hotkey's name when it is pressed, from whatever thread the backend uses.
Activated = Callable[[str], None]


class Refusal(enum.Enum):
    """Why a hotkey could not be taken from the whole system (it still works in the console)."""

    TAKEN = "taken"  # another program holds this key combination
    TYPES_TEXT = "types_text"  # it would swallow that character in every other program
    NO_SUCH_KEY = "no_such_key"  # this keyboard or system has no key to grab for it
    UNSUPPORTED = "unsupported"  # the system gives programs no global hotkeys
    FAILED = "failed"  # the system said no for another reason


class UnavailableError(Exception):
    """The system cannot give global hotkeys at all (``str()`` says why, for the log)."""


class Backend(Protocol):
    """One system's way of taking hotkeys from the whole desktop."""

    def register(self, bindings: Mapping[str, Chord]) -> dict[str, Refusal]:
        """Take ``bindings`` (name to chord) instead of any taken before.

        Returns the names that could not be taken and why; the others now call the
        backend's ``on_activated`` with their name when pressed, wherever the focus is.
        """
        ...

    def close(self) -> None:
        """Release every hotkey and stop whatever the backend runs (idempotent)."""
        ...
