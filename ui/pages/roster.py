"""The roster of reps to interview (filled in by the foundation issue)."""

from PySide6.QtWidgets import QLabel, QVBoxLayout

from ui.pages import Page


class RosterPage(Page):
    def __init__(self, context, parent=None):
        super().__init__(context, parent)
        layout = QVBoxLayout(self)
        self.label = QLabel()
        layout.addWidget(self.label)

    def reload(self) -> None:
        self.label.setText(f"Workshop {self.workshop_id}")
