"""One banner for every result built from earlier steps: "Out of date — 1 new interview" and
the button that refreshes it. Hidden while the result is up to date."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QWidget

from alignwork.interviews.inputs import Staleness
from alignwork_gui.widgets.labels import make_label


class StaleBanner(QFrame):
    """``refresh_requested`` when its button is pressed; ``show_staleness`` shows or hides it."""

    refresh_requested = Signal()

    def __init__(self, since: str, action: str, tip: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.since = since  # "this draft was synthesized", "the risks were seeded" …
        self.setObjectName("staleBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("QFrame#staleBanner { background: palette(alternate-base); }")
        self.text = make_label("")
        self.text.setAccessibleName("Out of date")
        self.button = QPushButton(action)
        self.button.setToolTip(tip)
        self.button.setAccessibleName(action)
        self.button.clicked.connect(self.refresh_requested.emit)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(8)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.button)
        self.staleness = Staleness()
        self.hide()

    def show_staleness(self, staleness: Staleness | None, *, can_refresh: bool = True) -> None:
        self.staleness = staleness or Staleness()
        message = self.staleness.message()
        self.text.setText(f"{message} since {self.since}." if message else "")
        self.button.setVisible(can_refresh)
        self.setVisible(bool(message))
