"""A visible, adjustable countdown: mm:ss, a bar, −1/+1 minute, the phase length, pause."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QSpinBox, QVBoxLayout, QWidget

from alignwork_gui.widgets.buttons import action_button


def clock_text(seconds: int) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


class Countdown(QWidget):
    """Counts down once a second while running. It never moves the session on by itself:
    time up is shown, the facilitator decides."""

    tick = Signal(int)  # remaining seconds, every second while running
    length_changed = Signal(int)  # new phase length in minutes (from the spin box)
    pause_toggled = Signal(bool)  # True = pause requested

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.remaining = 0
        self.total = 0
        self.running = False
        self._timer = QTimer(self, interval=1000)
        self._timer.timeout.connect(self._on_timeout)

        self.time_label = QLabel("00:00")
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 2.2)
        font.setBold(True)
        self.time_label.setFont(font)
        self.time_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.time_label.setAccessibleName("Time left in this phase")
        self.bar = QProgressBar(textVisible=False, maximumHeight=6)
        self.bar.setAccessibleName("Share of the phase time left")
        self.state_label = QLabel()
        self.state_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.state_label.setWordWrap(True)
        self.minus = action_button("−1 min", "Take a minute off the clock", name="Remove one minute")
        self.plus = action_button("+1 min", "Add a minute to the clock", name="Add one minute")
        self.minus.clicked.connect(lambda: self.adjust(-60))
        self.plus.clicked.connect(lambda: self.adjust(60))
        self.length = QSpinBox(minimum=1, maximum=120, suffix=" min")
        self.length.setAccessibleName("Phase length in minutes")
        self.length.setToolTip("Length of this phase; changing it restarts the clock")
        self.length.editingFinished.connect(lambda: self.length_changed.emit(self.length.value()))
        self.pause_button = action_button("Pause", "Pause or resume the session", shortcut="Ctrl+P")
        self.pause_button.clicked.connect(lambda: self.pause_toggled.emit(self.running))

        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        buttons.addWidget(self.minus)
        buttons.addWidget(self.plus)
        length_row = QHBoxLayout()
        length_row.addWidget(QLabel("Length"))
        length_row.addWidget(self.length, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.time_label)
        layout.addWidget(self.bar)
        layout.addWidget(self.state_label)
        layout.addLayout(buttons)
        layout.addLayout(length_row)
        layout.addWidget(self.pause_button)

    def show_phase(self, remaining: int, minutes: int, running: bool) -> None:
        self.total = max(60, minutes * 60)
        self.remaining = max(0, remaining)
        self.length.blockSignals(True)
        self.length.setValue(minutes)
        self.length.blockSignals(False)
        self.set_running(running)
        self._render()

    def set_running(self, running: bool) -> None:
        self.running = running
        self.pause_button.setText("Pause" if running else "Resume")
        if running:
            self._timer.start()
        else:
            self._timer.stop()
        self._render()

    def adjust(self, seconds: int) -> None:
        self.remaining = max(0, self.remaining + seconds)
        self.total = max(self.total, self.remaining)
        self._render()
        self.tick.emit(self.remaining)

    def _on_timeout(self) -> None:
        if self.remaining > 0:
            self.remaining -= 1
            self._render()
        self.tick.emit(self.remaining)

    def _render(self) -> None:
        self.time_label.setText(clock_text(self.remaining))
        self.bar.setRange(0, max(1, self.total))
        self.bar.setValue(self.remaining)
        if not self.running:
            self.state_label.setText("Paused")
        elif self.remaining == 0:
            self.state_label.setText("Time is up: wrap up and go to the next step")
        else:
            self.state_label.setText("Running")
        self.time_label.setEnabled(self.running)
