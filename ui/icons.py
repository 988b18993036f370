"""Icons from resources/icons (one consistent SVG set of 24-px grey line icons, drawn for
light and dark palettes alike); a missing file gives an empty icon."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from alignwork.paths import resource

SELECTED_STROKE = "#ffffff"  # on the accent colour of a selected row


@cache
def icon(name: str) -> QIcon:
    path = resource("icons", f"{name}.svg")
    return QIcon(str(path)) if path.exists() else QIcon()


@cache
def list_icon(name: str) -> QIcon:
    """An icon for list rows: white while its row is selected (Qt's own tint washes grey out)."""
    path = resource("icons", f"{name}.svg")
    if not path.exists():
        return QIcon()
    from PySide6.QtCore import QBuffer, QByteArray, QSize
    from PySide6.QtGui import QImageReader, QPixmap

    result = QIcon(str(path))
    svg = QByteArray(path.read_bytes().replace(b'stroke="#808080"', f'stroke="{SELECTED_STROKE}"'.encode()))
    for size in (16, 24, 32, 48):
        buffer = QBuffer(svg)
        reader = QImageReader(buffer, QByteArray(b"svg"))
        reader.setScaledSize(QSize(size, size))
        result.addPixmap(QPixmap.fromImage(reader.read()), QIcon.Mode.Selected)
    return result
