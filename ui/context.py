"""What every page gets: the database, the change bus, settings and the status bar."""

from __future__ import annotations

import os

from PySide6.QtCore import QObject, QSettings, QTime, Signal

from alignwork.atomic import open_private
from alignwork.changes import Changes
from alignwork.db import Database
from alignwork.paths import data_dir
from alignwork_gui.widgets.labels import sentence


def ui_settings() -> QSettings:
    """UI state (geometry, last workshop…) in an INI file in the data folder, so that
    ALIGNWORK_HOME moves it with the data (tests get a private one)."""
    path = data_dir() / "ui-settings.ini"
    if not os.path.lexists(path):  # QSettings keeps an existing file's mode when it rewrites it
        try:
            os.close(open_private(path, os.O_WRONLY | os.O_CREAT))
        except OSError:
            pass  # QSettings reports what it cannot write itself
    return QSettings(str(path), QSettings.Format.IniFormat)


def keep_qt_settings_in(folder) -> None:
    """Whatever Qt itself remembers (the file dialog's last folder and view, kept under the name
    "QtProject") goes to an INI file in the data folder too, never to the user's config folder."""
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)  # a plain QSettings(): an INI file, never the registry
    for kind in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):  # Qt's own use the native format
        QSettings.setPath(kind, QSettings.Scope.UserScope, str(folder))


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
    # colleagues' changes (team mode), emitted from the feed's thread, delivered on ours
    _from_colleagues = Signal(object)

    def __init__(self, database: Database, parent: QObject | None = None):
        super().__init__(parent)
        self.database = database
        self.workshop_id: int | None = None
        self.announcer: QObject | None = None  # who is announcing right now (it already shows the change)
        self.feed = None
        self._from_colleagues.connect(self.announce)
        if database.engine.dialect.name == "postgresql" or os.environ.get("ALIGNWORK_FEED") == "poll":
            self.start_feed()

    def start_feed(self) -> None:
        """Listen for other instances' changes (LISTEN/NOTIFY, else polling) and announce them."""
        from alignwork.team_feed import ChangeFeed

        if self.feed is None:
            self.feed = ChangeFeed(self.database.engine, self._from_colleagues.emit,
                                   poll_only=os.environ.get("ALIGNWORK_FEED") == "poll")

    def stop_feed(self) -> None:
        if self.feed is not None:
            self.feed.stop()
            self.feed = None

    def session(self):
        return self.database.session()

    def settings(self) -> QSettings:
        return ui_settings()

    def announce(self, changes: Changes, source: QObject | None = None) -> None:
        """Tell every view what changed; ``source`` (a page that already shows it) is not reloaded."""
        self.announcer = source
        try:
            self.changed.emit(changes)
        finally:
            self.announcer = None

    def saved(self, what: str = "Saved") -> None:
        """Silent save, visible in the status bar: "Saved 12:04"."""
        self.status.emit(f"{what} {QTime.currentTime().toString('HH:mm')}", 0)

    def tell(self, message: str, timeout_ms: int = 5000) -> None:
        # the core words its errors for the CLI ("alignwork: error: a question needs…"); the status
        # bar shows them as sentences
        self.status.emit(sentence(message), timeout_ms)
