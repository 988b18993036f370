"""Plain-text labels in the house style: wrapped, optionally bold, larger or muted."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout

from alignwork.words import counted  # noqa: F401 (one way to count, for the pages too)

LONG_NAME = "Maya Lindqvist-Berg"  # columns and fields holding a person's name fit one this long

# the one red of the app (input not taken, overdue, over time); readable on light and dark backgrounds
PROBLEM_COLOUR = "#d9534f"


def sentence(message: object) -> str:
    """A core message ("a workshop named … already exists") as the start of a sentence."""
    text = str(message)
    return text[:1].upper() + text[1:]


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


def header_row(title: QLabel, subtitle: QLabel, right=None) -> QHBoxLayout:
    """A page header: title over a muted subtitle on the left, an optional widget top-right."""
    row = QHBoxLayout()
    row.setSpacing(16)
    titles = QVBoxLayout()
    titles.setSpacing(2)
    titles.addWidget(title)
    titles.addWidget(subtitle)
    row.addLayout(titles, 1)
    if right is not None:
        row.addWidget(right, 0, Qt.AlignmentFlag.AlignTop)
    return row
