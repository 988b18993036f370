"""An empty state: what this place is for and what to do next, with the actions to do it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QPalette
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from alignwork_gui.actions import name_button
from alignwork_gui.widgets.labels import make_label


def make_primary(button) -> None:
    """The one accent colour: the primary action of a place."""
    palette = button.palette()
    palette.setColor(QPalette.ColorRole.Button, palette.color(QPalette.ColorRole.Highlight))
    palette.setColor(QPalette.ColorRole.ButtonText, palette.color(QPalette.ColorRole.HighlightedText))
    button.setPalette(palette)
    if isinstance(button, QPushButton):
        button.setDefault(True)


def go_to_step(parent: QWidget, context, key: str, text: str) -> QAction:
    """An action that shows another step: empty states point the way to what comes first."""
    from alignwork_gui.pages import STEPS

    step = next(s for s in STEPS if s.key == key)
    action = QAction(text, parent)
    action.setToolTip(f"Show the {step.title} step ({step.shortcut})")
    action.triggered.connect(lambda: context.step_requested.emit(key))
    return action


class EmptyState(QWidget):
    def __init__(self, title: str, text: str, actions: list[QAction], parent: QWidget | None = None):
        """The first action is the primary one (the default, accent-coloured button)."""
        super().__init__(parent)
        self.title = make_label(title, bold=True, size=1.3)
        self.text = make_label(text, muted=True)
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

        # a column of limited width, so wrapped text gets the height it needs
        column = QWidget()
        column.setMaximumWidth(520)
        column_layout = QVBoxLayout(column)
        column_layout.setSpacing(16)
        column_layout.addWidget(self.title)
        column_layout.addWidget(self.text)
        column_layout.addLayout(buttons)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(column, 4)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addLayout(row)
        layout.addStretch(3)
