"""A stand-in for the streaming software's preview, in a process of its own.

    python tests/desktop/stream_preview.py X Y WIDTH HEIGHT

Paints the seller's desk (a dark cloth, a white order card saying "3号 ¥1288", a jade
bangle) in a frameless window at the given place, prints "shown" once it is on screen, and
runs until it is terminated. It never takes the keyboard from the console.
"""

import sys

from PySide6.QtCore import QRect, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QApplication, QWidget


class Desk(QWidget):
    """The desk as the camera shows it."""

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        w, h = self.width(), self.height()
        p.fillRect(self.rect(), QColor(36, 38, 40))
        card = QRect(int(w * 0.08), int(h * 0.2), int(w * 0.34), int(h * 0.5))
        p.fillRect(card, QColor(250, 248, 245))
        font = QFont()
        font.setPixelSize(max(12, card.height() // 5))
        font.setBold(True)
        p.setFont(font)
        p.setPen(QColor(20, 20, 20))
        p.drawText(card, Qt.AlignmentFlag.AlignCenter, "3号\n¥1288")
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(QPen(QColor(60, 160, 70), max(8, w // 40)))
        p.drawEllipse(int(w * 0.55), int(h * 0.2), int(w * 0.3), int(h * 0.5))
        p.end()


def main() -> None:
    x, y, width, height = (int(a) for a in sys.argv[1:5])
    app = QApplication(sys.argv[:1])
    desk = Desk(None, Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowDoesNotAcceptFocus)
    desk.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, True)
    desk.setWindowTitle("stream preview")
    desk.setGeometry(x, y, width, height)
    desk.show()

    def shown() -> None:
        print("shown", int(desk.winId()), flush=True)

    QTimer.singleShot(300, shown)  # mapped and painted by then; the test also checks pixels
    app.exec()


if __name__ == "__main__":
    main()
