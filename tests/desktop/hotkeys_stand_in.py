"""The streaming software holding the keyboard focus, for the global-hotkey tests.

    python tests/desktop/hotkeys_stand_in.py LOG

Run as a program of its own, it shows one window with a text field (where the seller would
type in the chat box) and appends what it receives to LOG, one line each: ``ready <window
id>``, ``focus in`` / ``focus out``, and ``key <Qt portable text>``.
"""

import sys
from pathlib import Path

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QLineEdit

TITLE = "Streaming software stand-in"


class Recorder(QObject):
    """Writes the window's key presses and focus changes to the log."""

    def __init__(self, log: Path) -> None:
        super().__init__()
        self.log = log

    def write(self, line: str) -> None:
        with self.log.open("a", encoding="utf-8") as out:
            out.write(line + "\n")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            combo = QKeySequence(event.keyCombination())
            self.write("key " + combo.toString(QKeySequence.SequenceFormat.PortableText))
        elif event.type() == QEvent.Type.FocusIn:
            self.write("focus in")
        elif event.type() == QEvent.Type.FocusOut:
            self.write("focus out")
        return False


def main() -> None:
    app = QApplication([sys.argv[0]])
    recorder = Recorder(Path(sys.argv[1]))
    field = QLineEdit()
    field.setWindowTitle(TITLE)
    field.setPlaceholderText("chat")
    field.installEventFilter(recorder)
    field.setGeometry(1500, 800, 320, 60)  # away from the console's windows
    field.show()
    recorder.write(f"ready {int(field.winId())}")
    app.exec()


if __name__ == "__main__":
    main()
