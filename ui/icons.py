"""Icons from resources/icons (one consistent SVG set of 24-px grey line icons, drawn for
light and dark palettes alike); a missing file gives an empty icon."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QIconEngine, QPainter, QPixmap

from alignwork.paths import resource

SELECTED_STROKE = "#ffffff"  # on the accent colour of a selected row


@cache
def icon(name: str) -> QIcon:
    path = resource("icons", f"{name}.svg")
    return QIcon(str(path)) if path.exists() else QIcon()


class _WhiteWhenSelected(QIconEngine):
    """The icon as drawn normally, but white in a selected row: its grey lines washed out on the
    accent colour. The white copy is tinted from the normal rendering when first painted, at the
    size and pixel ratio asked, so building a list costs nothing extra at start-up."""

    def __init__(self, normal: QIcon):
        super().__init__()
        self._normal = normal
        self._white: dict[tuple[int, int, float], QPixmap] = {}

    def _white_pixmap(self, size: QSize, ratio: float) -> QPixmap:
        key = (size.width(), size.height(), ratio)
        if key not in self._white:
            pixmap = self._normal.pixmap(size, ratio)
            painter = QPainter(pixmap)
            painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
            painter.fillRect(pixmap.rect(), QColor(SELECTED_STROKE))  # keeps the lines' shape and alpha
            painter.end()
            self._white[key] = pixmap
        return self._white[key]

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        if mode != QIcon.Mode.Selected:
            self._normal.paint(painter, rect, Qt.AlignmentFlag.AlignCenter, mode, state)
            return
        painter.drawPixmap(rect, self._white_pixmap(rect.size(), painter.device().devicePixelRatioF()))

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        if mode != QIcon.Mode.Selected:
            return self._normal.pixmap(size, mode, state)
        return self._white_pixmap(size, 1.0)

    def actualSize(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QSize:  # noqa: N802 (Qt name)
        return self._normal.actualSize(size, mode, state)

    def clone(self) -> QIconEngine:
        return _WhiteWhenSelected(self._normal)


@cache
def list_icon(name: str) -> QIcon:
    """An icon for list rows: white while its row is selected (Qt's own tint washes grey out)."""
    normal = icon(name)
    return QIcon(_WhiteWhenSelected(normal)) if not normal.isNull() else normal
