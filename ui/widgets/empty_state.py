"""An empty state: what this place is for and what to do next, with the actions to do it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.actions import name_button


def make_primary(button) -> None:
    """The one accent colour: the primary action of a place."""
    palette = button.palette()
    palette.setColor(QPalette.ColorRole.Button, palette.color(QPalette.ColorRole.Highlight))
    palette.setColor(QPalette.ColorRole.ButtonText, palette.color(QPalette.ColorRole.HighlightedText))
    button.setPalette(palette)
    if isinstance(button, QPushButton):
        button.setDefault(True)


class EmptyState(QWidget):
    def __init__(self, title: str, text: str, actions: list[QAction], parent: QWidget | None = None):
        """The first action is the primary one (the default, accent-coloured button)."""
        super().__init__(parent)
        self.title = QLabel(title)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.text = QLabel(text)
        self.text.setWordWrap(True)
        self.text.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.text.setFixedWidth(480)
        for label in (self.title, self.text):
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setAccessibleName(title)

        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        buttons.addStretch(1)
        self.buttons: list[QPushButton] = []
        for index, action in enumerate(actions):
            button = QPushButton(action.icon(), action.text().replace("&", ""))
            name_button(button, action)
            button.clicked.connect(action.trigger)
            if index == 0:
                make_primary(button)
            buttons.addWidget(button)
            self.buttons.append(button)
        buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setSpacing(16)
        layout.addStretch(2)
        layout.addWidget(self.title, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.text, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addLayout(buttons)
        layout.addStretch(3)
