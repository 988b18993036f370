"""The interview clock: elapsed against the promised length, amber at 80 %, red past 100 %,
pausable. Time while paused does not count."""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QToolButton, QWidget

from alignwork.interviews.flow import format_duration
from alignwork_gui.widgets.labels import PROBLEM_COLOUR, counted

AMBER, RED = "#c77c00", PROBLEM_COLOUR


class InterviewTimer(QWidget):
    ticked = Signal(int)  # elapsed seconds, every second while running
    paused_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.target_seconds = 20 * 60
        self._banked = 0.0  # seconds before the current run
        self._clock = QElapsedTimer()
        self._running = False
        self._last_whole = -1
        self.label = QLabel()
        self.label.setAccessibleName("Elapsed time against the promised length")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        font = self.label.font()
        font.setBold(True)
        self.label.setFont(font)
        self.bar = QProgressBar()
        self.bar.setTextVisible(False)
        self.bar.setFixedSize(120, 8)
        self.bar.setAccessibleName("Share of the promised time used")
        self.pause_button = QToolButton()
        self.pause_button.setAccessibleName("Pause or resume the clock")
        self.pause_button.setToolTip("Pause / resume the clock (Ctrl+Shift+Space)")
        self.pause_button.clicked.connect(self.toggle)
        self.pause_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.bar)
        layout.addWidget(self.label)
        layout.addWidget(self.pause_button)
        self._ticker = QTimer(self)
        self._ticker.setInterval(250)
        self._ticker.timeout.connect(self._tick)
        self._refresh()

    @property
    def running(self) -> bool:
        return self._running

    def elapsed(self) -> int:
        extra = self._clock.elapsed() / 1000 if self._running else 0
        return int(self._banked + extra)

    def start(self, elapsed_seconds: int = 0, target_minutes: int = 20, running: bool = True) -> None:
        self.target_seconds = max(60, target_minutes * 60)
        self._banked = float(elapsed_seconds)
        self._running = False
        self._ticker.stop()
        if running:
            self.resume()
        self._refresh()

    def pause(self) -> None:
        if self._running:
            self._banked += self._clock.elapsed() / 1000
            self._running = False
            self._ticker.stop()
            self._refresh()
            self.paused_changed.emit(True)
            self.ticked.emit(self.elapsed())

    def resume(self) -> None:
        if not self._running:
            self._clock.start()
            self._running = True
            self._ticker.start()
            self._refresh()
            self.paused_changed.emit(False)

    def toggle(self) -> None:
        self.pause() if self._running else self.resume()

    def stop(self) -> int:
        self.pause()
        return self.elapsed()

    def _tick(self) -> None:
        whole = self.elapsed()
        if whole != self._last_whole:
            self._last_whole = whole
            self._refresh()
            self.ticked.emit(whole)

    def _refresh(self) -> None:
        elapsed = self.elapsed()
        share = elapsed / self.target_seconds
        paused = "" if self._running or not elapsed else "  (paused)"
        self.label.setText(f"{format_duration(elapsed)} / {format_duration(self.target_seconds)}{paused}")
        self.bar.setRange(0, self.target_seconds)
        self.bar.setValue(min(elapsed, self.target_seconds))
        colour = RED if share > 1 else AMBER if share >= 0.8 else ""
        self.label.setStyleSheet(f"color: {colour};" if colour else "")
        self.bar.setStyleSheet(f"QProgressBar::chunk {{ background: {colour}; }}" if colour else "")
        self.state = "over" if share > 1 else "warning" if share >= 0.8 else "ok"
        self.pause_button.setText("Resume" if not self._running else "Pause")
        self.setToolTip(f"{round(share * 100)}% of the promised {counted(self.target_seconds // 60, 'minute')}")
