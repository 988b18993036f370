"""Run long work off the GUI thread; progress, result and errors come back by signal.

    task = run_task(lambda progress: backtest(..., progress=progress), on_done=..., on_error=...)
    task.cancel()

The function runs in the global QThreadPool with a ``Progress``; it must open its
own database session and never touch a widget.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from alignwork.progress import Cancelled, Progress


class TaskSignals(QObject):
    progress = Signal(int, int, str)
    done = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    finished = Signal()  # after any of the three above


class Task(QRunnable):
    def __init__(self, function: Callable[[Progress], Any]):
        super().__init__()
        self.setAutoDelete(False)  # the caller keeps it to cancel it
        self.signals = TaskSignals()
        self.function = function
        self.progress = Progress(lambda done, total, message: self.signals.progress.emit(done, total, message))

    def cancel(self) -> None:
        self.progress.cancel()

    def run(self) -> None:
        try:
            result = self.function(self.progress)
        except Cancelled:
            self.signals.cancelled.emit()
        except Exception as error:  # shown to the user as one line; details on stderr
            traceback.print_exc()
            self.signals.failed.emit(str(error) or error.__class__.__name__)
        else:
            self.signals.done.emit(result)
        self.signals.finished.emit()


_running: set[Task] = set()


def run_task(function: Callable[[Progress], Any], *, on_done: Callable[[Any], None] | None = None,
             on_error: Callable[[str], None] | None = None,
             on_progress: Callable[[int, int, str], None] | None = None,
             on_cancelled: Callable[[], None] | None = None) -> Task:
    task = Task(function)
    if on_done:
        task.signals.done.connect(on_done)
    if on_error:
        task.signals.failed.connect(on_error)
    if on_progress:
        task.signals.progress.connect(on_progress)
    if on_cancelled:
        task.signals.cancelled.connect(on_cancelled)
    _running.add(task)
    task.signals.finished.connect(lambda: _running.discard(task))
    QThreadPool.globalInstance().start(task)
    return task


def wait_for_tasks(timeout_ms: int = 10000) -> bool:
    """Block until background work finishes (used at exit and by tests)."""
    return QThreadPool.globalInstance().waitForDone(timeout_ms)
