"""The seller's desk as a stream preview shows it: an order card with a written number and a
jade piece beside it, painted by Qt for the capture benchmarks to grab (needs PySide6)."""

from PySide6.QtCore import QPointF, QRect, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

# A handwritten "37", in fractions of the card's width and height.
_THREE = (
    (0.2, 0.2),
    (0.4, 0.05),
    (0.47, 0.4),
    (0.28, 0.48),
    (0.48, 0.55),
    (0.43, 0.88),
    (0.2, 0.8),
)
_SEVEN = ((0.57, 0.2), (0.83, 0.19), (0.63, 0.83))


class DeskScene(QWidget):
    """A frameless window painting the card and the piece; ``painted`` counts its paints."""

    def __init__(
        self, card: QRect, piece: QPointF, radii: tuple[float, float], *, focus: bool = True
    ) -> None:
        flags = Qt.WindowType.FramelessWindowHint
        if not focus:  # beside a console that must keep the keyboard
            flags |= Qt.WindowType.WindowDoesNotAcceptFocus
        super().__init__(None, flags)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, not focus)
        self.card, self.piece, self.radii = card, piece, radii
        self.painted = 0

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        card = self.card

        def at(fx: float, fy: float) -> QPointF:
            return QPointF(card.x() + fx * card.width(), card.y() + fy * card.height())

        p = QPainter(self)
        p.fillRect(self.rect(), QColor(36, 38, 40))
        p.fillRect(card, QColor(250, 248, 245))
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        path = QPainterPath(at(*_THREE[0]))
        path.cubicTo(at(*_THREE[1]), at(*_THREE[2]), at(*_THREE[3]))
        path.cubicTo(at(*_THREE[4]), at(*_THREE[5]), at(*_THREE[6]))
        path.moveTo(at(*_SEVEN[0]))
        path.lineTo(at(*_SEVEN[1]))
        path.lineTo(at(*_SEVEN[2]))
        p.setPen(QPen(QColor(20, 20, 20), max(card.width() * 0.03, 4)))
        p.drawPath(path)
        p.setPen(Qt.PenStyle.NoPen)
        rx, ry = self.radii
        p.setBrush(QColor(60, 160, 70))
        p.drawEllipse(self.piece, rx, ry)
        p.setBrush(QColor(130, 220, 140))  # a highlight on the jade
        p.drawEllipse(self.piece - QPointF(rx * 0.2, ry * 0.3), rx * 0.25, ry * 0.2)
        p.end()
        self.painted += 1
