"""A page's status line that also follows background work: progress in words and,
when the work lasts, a Cancel button."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget
from shiboken6 import isValid

from alignwork_gui.tasks import run_task

SHOW_CANCEL_AFTER_MS = 600  # quick work never flashes a button


class TaskStatus(QWidget):
    def __init__(self, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        self.label = QLabel()
        self.label.setWordWrap(True)  # long states wrap instead of widening the page
        self.label.setMinimumWidth(80)
        self.label.setAccessibleName(name)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName(f"Cancel: {name}")
        self.cancel_button.setToolTip("Stop this work; nothing is changed")
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(lambda: self.cancel(said="Cancelled; nothing was changed."))
        layout.addWidget(self.label, 1)
        layout.addWidget(self.cancel_button)
        self.task = None
        self._timer = QTimer(self, singleShot=True, interval=SHOW_CANCEL_AFTER_MS,
                             timeout=lambda: self.cancel_button.setVisible(self.task is not None))

    def text(self) -> str:
        return self.label.text()

    def setText(self, text: str) -> None:  # noqa: N802 (Qt-style, used like a QLabel)
        self.label.setText(text)

    @property
    def busy(self) -> bool:
        return self.task is not None

    def run(self, work, message: str, *, on_done, on_error) -> None:
        """Run ``work(progress)`` off the GUI thread, replacing earlier work; only the newest
        work's signals reach the page."""
        self.cancel()
        self.setText(message)
        holder: dict[str, object] = {}

        def current(callback):
            def handle(*args):
                # work can outlive its page (a window closed meanwhile): then nobody is told
                if isValid(self) and self.task is not None and self.task is holder.get("task"):
                    callback(*args)
            return handle

        def finish(callback):
            def handle(*args):
                self._stop()
                callback(*args)
            return current(handle)

        holder["task"] = self.task = run_task(
            work, on_done=finish(on_done), on_error=finish(on_error),
            on_progress=current(lambda done, total, text: self.setText(f"{text or message} ({done}/{total})")))
        self._timer.start()

    def cancel(self, *, said: str = "") -> None:
        """Stop the running work (it writes nothing); ``said`` replaces the status text."""
        if self.task is not None:
            self.task.cancel()
            self._stop()
            if said:
                self.setText(said)

    def _stop(self) -> None:
        self.task = None
        self._timer.stop()
        self.cancel_button.hide()
