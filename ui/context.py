"""What every page gets: the database, the change bus and the status bar."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTime, Signal

from alignwork.changes import Changes
from alignwork.db import Database


class AppContext(QObject):
    """Shared by the main window and its pages. Pages never reach into each other:
    they call the core, then ``announce(Changes(...))``; every page refreshes itself."""

    changed = Signal(object)  # Changes
    workshop_opened = Signal(object)  # int | None
    status = Signal(str, int)  # message, timeout ms
    # a page asks the window to start/open an interview for a rep (participant id)
    interview_requested = Signal(int)
    # a page asks the window to show another step, by PageSpec.key ("definition", …)
    step_requested = Signal(str)

    def __init__(self, database: Database, parent: QObject | None = None):
        super().__init__(parent)
        self.database = database
        self.workshop_id: int | None = None

    def session(self):
        return self.database.session()

    def announce(self, changes: Changes) -> None:
        self.changed.emit(changes)

    def saved(self, what: str = "Saved") -> None:
        """Silent save, visible in the status bar: "Saved 12:04"."""
        self.status.emit(f"{what} {QTime.currentTime().toString('HH:mm')}", 0)

    def tell(self, message: str, timeout_ms: int = 5000) -> None:
        self.status.emit(message, timeout_ms)
