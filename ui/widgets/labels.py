"""Plain-text labels in the house style: wrapped, optionally bold, larger or muted."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel


def make_label(text: str = "", *, bold: bool = False, muted: bool = False, size: float = 0,
               wrap: bool = True) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(wrap)
    label.setTextFormat(Qt.TextFormat.PlainText)  # user text is never read as HTML
    font = label.font()
    font.setBold(bold)
    if size:
        font.setPointSizeF(font.pointSizeF() * size)
    label.setFont(font)
    if muted:
        label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label
