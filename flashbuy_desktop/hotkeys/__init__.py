"""Global hotkeys: the console's keys taken from the whole desktop, free of Qt.

The seller's focus is in the streaming software, so the console's "new full flash-buy" and
"pause comments" keys must reach it from there. Each system has its own way: X11 a passive
key grab (:mod:`.x11`), Windows ``RegisterHotKey`` (:mod:`.windows`), macOS Carbon's
``RegisterEventHotKey`` (:mod:`.macos`); :mod:`.system` picks one by Qt's platform name.
Every one reads the settings' Qt portable text through :mod:`.chord` and says per hotkey why
it could not be taken (:class:`~.base.Refusal`). ``flashbuy_desktop.services.global_hotkeys`` is
the Qt side: it delivers presses on the GUI thread and puts the refusals into words.
"""

from flashbuy_desktop.hotkeys.base import Backend, Refusal, UnavailableError
from flashbuy_desktop.hotkeys.chord import Chord, parse

__all__ = ["Backend", "Chord", "Refusal", "UnavailableError", "parse"]
