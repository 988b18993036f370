"""An inline message under a field or above a table; hidden while there is nothing to say."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from alignwork_gui.widgets.labels import PROBLEM_COLOUR as ERROR_COLOUR


class InlineMessage(QLabel):
    def __init__(self, accessible_name: str):
        super().__init__()
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)  # messages quote user text
        self.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.setAccessibleName(accessible_name)
        self.hide()

    def show_error(self, message: str | None) -> None:
        self.setText(message or "")
        self.setVisible(bool(message))
