"""The seller's desk as a stream preview shows it: an order card and a jade piece beside it,
painted by Qt for the capture benchmarks to grab (needs PySide6).

The card shows a handwritten "37" in strokes, or, once given lines (``set_card``), what a host
writes on it ("37号" / "¥1288") in a brush-like Chinese font found on the machine (AR PL UKai,
AR PL KaitiM, else WenQuanYi Micro Hei; without any, the lines in Latin form in the default
font). ``card_image`` renders the card as it should be on the screen, so a caller can wait
until a new card has reached the screen before it captures.
"""

from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QImage,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
)
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

# Brush-like first (a host writes the card by hand), then a plain CJK one.
CARD_FAMILIES = ("AR PL UKai CN", "AR PL KaitiM GB", "WenQuanYi Micro Hei")
INK_COLOURS = {
    "black": QColor(22, 22, 26),
    "blue": QColor(24, 44, 130),  # a ballpoint or marker
    "red": QColor(176, 24, 28),
}
_PAPER = QColor(250, 248, 245)


def card_family() -> str | None:
    """The first of CARD_FAMILIES installed here (None: no CJK font)."""
    installed = set(QFontDatabase.families())
    return next((f for f in CARD_FAMILIES if f in installed), None)


def latin_form(line: str) -> str:
    """A line without Chinese characters, for a machine with no CJK font ("37号" -> "#37")."""
    if line.endswith("号"):
        return "#" + line[:-1]
    if line.endswith("元"):
        return "¥" + line[:-1]
    return line


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
        self.lines: tuple[str, ...] = ()  # empty: the "37" in strokes
        self.ink = "black"
        self.family = card_family()

    def set_card(self, lines: Sequence[str], ink: str = "black") -> None:
        """Write ``lines`` on the card instead of what it said (repainted at once)."""
        self.lines = tuple(lines if self.family else map(latin_form, lines))
        self.ink = ink
        self.update()

    def card_image(self) -> QImage:
        """The card as this scene paints it now, in device pixels (RGB32)."""
        ratio = self.devicePixelRatioF()
        image = QImage(
            round(self.card.width() * ratio),
            round(self.card.height() * ratio),
            QImage.Format.Format_RGB32,
        )
        image.setDevicePixelRatio(ratio)
        p = QPainter(image)
        p.translate(-self.card.x(), -self.card.y())
        self._paint_card(p)
        p.end()
        return image

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(36, 38, 40))
        self._paint_card(p)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(Qt.PenStyle.NoPen)
        rx, ry = self.radii
        p.setBrush(QColor(60, 160, 70))
        p.drawEllipse(self.piece, rx, ry)
        p.setBrush(QColor(130, 220, 140))  # a highlight on the jade
        p.drawEllipse(self.piece - QPointF(rx * 0.2, ry * 0.3), rx * 0.25, ry * 0.2)
        p.end()
        self.painted += 1

    def _paint_card(self, p: QPainter) -> None:
        p.fillRect(self.card, _PAPER)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        if self.lines:
            self._write(p)
        else:
            self._strokes(p)

    def _strokes(self, p: QPainter) -> None:
        card = self.card

        def at(fx: float, fy: float) -> QPointF:
            return QPointF(card.x() + fx * card.width(), card.y() + fy * card.height())

        path = QPainterPath(at(*_THREE[0]))
        path.cubicTo(at(*_THREE[1]), at(*_THREE[2]), at(*_THREE[3]))
        path.cubicTo(at(*_THREE[4]), at(*_THREE[5]), at(*_THREE[6]))
        path.moveTo(at(*_SEVEN[0]))
        path.lineTo(at(*_SEVEN[1]))
        path.lineTo(at(*_SEVEN[2]))
        p.setPen(QPen(QColor(20, 20, 20), max(card.width() * 0.03, 4)))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(path)

    def _write(self, p: QPainter) -> None:
        """The lines, one under the other, each as large as fits (a host writes big)."""
        card = QRectF(self.card)
        inner = card.adjusted(card.width() * 0.07, card.height() * 0.08, -card.width() * 0.07, 0)
        slot = (card.height() * 0.84) / len(self.lines)
        font = QFont(self.family) if self.family else QFont()
        font.setBold(self.family is None or "Hei" in self.family)
        p.setPen(INK_COLOURS.get(self.ink, INK_COLOURS["black"]))
        for row, line in enumerate(self.lines):
            font.setPixelSize(max(8, round(slot * 0.8)))
            width = QFontMetricsF(font).horizontalAdvance(line)
            if width > inner.width():  # a long price: smaller, still on one line
                font.setPixelSize(max(8, int(font.pixelSize() * inner.width() / width)))
            p.setFont(font)
            box = QRectF(inner.x(), inner.y() + row * slot, inner.width(), slot)
            p.drawText(box, Qt.AlignmentFlag.AlignCenter, line)
