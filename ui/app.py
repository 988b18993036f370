"""QApplication set-up: names, style, one copy per data folder, database, error hook, main window.

``--quit-after-ready`` is the non-interactive start-up check: it shows the window,
loads the workshop list, prints ``ready in N ms`` and exits. In that mode every
message that would be a dialog goes to stderr instead (a dialog would wait forever).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from pathlib import Path

_STARTED = time.perf_counter()

# Modules that must never load at start-up (they are imported lazily by the pages that need them).
HEAVY_MODULES = ("matplotlib", "docx", "reportlab", "polars")
# Hidden switch for the start-up test: with --quit-after-ready, also print which heavy modules loaded.
REPORT_MODULES_ENV = "ALIGNWORK_REPORT_HEAVY_MODULES"
ERROR_LOG = "errors.log"  # in the data folder
EXIT_DATABASE = 2
EXIT_ALREADY_RUNNING = 3


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=Path(argv[0]).name if argv else "alignwork-gui",
                                     description="Alignwork desktop app")
    parser.add_argument("--db", metavar="URL", default=None, help="database URL (default: the data folder's file)")
    parser.add_argument("--quit-after-ready", action="store_true",
                        help="show the window, load the workshop list, print 'ready in N ms' and exit")
    return parser.parse_args(argv[1:])


class Messenger:
    """Tells the user something: a dialog normally, a line on stderr when non-interactive."""

    def __init__(self, interactive: bool):
        self.interactive = interactive

    def warn(self, title: str, text: str, parent=None, critical: bool = False) -> None:
        if not self.interactive:
            print(f"alignwork: {title}: {text}", file=sys.stderr, flush=True)
            return
        from alignwork_gui.dialogs import Icon, tell

        tell(parent, title, text, icon=Icon.Critical if critical else Icon.Warning)

    def ask_continue(self, title: str, text: str) -> bool:
        """Quit (the default) or continue anyway; non-interactive runs always quit."""
        if not self.interactive:
            print(f"alignwork: {title}: {text}", file=sys.stderr, flush=True)
            return False
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Warning, title, text)
        quit_button = box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
        box.addButton("Continue anyway", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(quit_button)
        box.exec()
        return box.clickedButton() is not quit_button


def lock_path(folder: Path, db_url: str | None) -> Path:
    """The lock that guards one database: ``folder/alignwork.lock`` for the data folder's own file
    (or a server database), ``<file>.lock`` beside any other SQLite file chosen with --db."""
    from alignwork.db import sqlite_path

    try:
        path = sqlite_path(db_url) if db_url else None
    except Exception:  # not a URL: open_database says so in its own words
        path = None
    if path is None or path == (folder / "alignwork.db").resolve():
        return folder / "alignwork.lock"
    return path.with_name(f"{path.name}.lock")


def acquire_instance_lock(folder: Path, messenger: Messenger, path: Path | None = None):
    """Hold ``path`` (default ``folder/alignwork.lock``) while the app runs. Returns the lock (possibly
    not held, if the user chose to continue beside another copy) or None when the app must quit."""
    from PySide6.QtCore import QLockFile

    path = path or folder / "alignwork.lock"
    folder = path.parent
    lock = QLockFile(str(path))
    lock.setStaleLockTime(0)  # a lock of a dead process is stale; a live one never is
    previous = os.umask(0o077)  # QLockFile creates the file 0666 & ~umask: keep it private
    try:
        held = lock.tryLock(0)
    finally:
        os.umask(previous)
    if held:
        return lock
    if lock.error() == QLockFile.LockError.LockFailedError:
        pid, host, _app = lock.getLockInfo()
        owner = f" (process {pid} on {host})" if pid else ""
        text = (f"Alignwork is already running on the data folder {folder}{owner}.\n\n"
                "Two copies working on the same workshops can overwrite each other's changes. "
                "Switch to the open window, or quit it first.")
        return lock if messenger.ask_continue("Alignwork is already running", text) else None
    # Cannot even create the lock file (read-only folder…): say so, but do not block the user.
    messenger.warn("Alignwork", f"Could not create the lock file in {folder}; "
                   "a second copy of the app would not be detected.")
    return lock


def log_error(log: Path, kind, value, tb) -> bool:
    """Append the traceback to ``log`` (the app may run without a terminal); False if that failed."""
    from alignwork.atomic import append_private

    try:  # private (0600), never through a link
        append_private(log, f"--- {time.strftime('%Y-%m-%d %H:%M:%S')}\n"
                       + "".join(traceback.format_exception(kind, value, tb)))
        return True
    except OSError:
        return False


def install_excepthook(messenger: Messenger, parent_getter, log: Path) -> None:
    """An unexpected error in a slot shows a plain message instead of dying silently;
    the details go to stderr and to ``log``."""
    showing = False

    def hook(kind, value, tb) -> None:
        nonlocal showing
        traceback.print_exception(kind, value, tb)
        if issubclass(kind, KeyboardInterrupt) or showing:
            return
        where = f"Details were written to {log}." if log_error(log, kind, value, tb) else \
            "Details were written to the terminal."
        showing = True
        try:
            messenger.warn("Something went wrong",
                           f"{value or kind.__name__}\n\nEverything saved before this is safe; "
                           f"the last action may not have finished. {where}", parent_getter(), critical=True)
        finally:
            showing = False

    sys.excepthook = hook


def heavy_modules_loaded() -> list[str]:
    return sorted(name for name in HEAVY_MODULES if name in sys.modules)


def run(argv: list[str]) -> int:
    args = parse_args(argv)
    # The core (SQLAlchemy, SQLModel, the tables) is imported before PySide6 on purpose: once
    # PySide6 is loaded, its __feature__ import hook reads the source of every module imported
    # after it (to look for "PySide6"), which made these imports ~50 ms slower.
    import sqlalchemy.dialects.sqlite  # noqa: F401  (create_engine loads it for the default database)

    from alignwork import changes, store  # noqa: F401  (the tables the workshop list needs)
    from alignwork.db import DatabaseError, DatabaseTooNew, open_database
    from alignwork.paths import APP_NAME, data_dir

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(argv[:1])
    app.setOrganizationName(APP_NAME)
    app.setApplicationName(APP_NAME)
    app.setStyle("Fusion")
    messenger = Messenger(interactive=not args.quit_after_ready)
    try:
        folder = data_dir()
    except OSError as error:
        messenger.warn("Alignwork cannot open its data folder", f"{error.filename or ''}: "
                       f"{error.strerror or error}. Set ALIGNWORK_HOME to a folder you can write to.", critical=True)
        return EXIT_DATABASE
    from alignwork_gui.context import keep_qt_settings_in

    keep_qt_settings_in(folder)
    window = None
    install_excepthook(messenger, lambda: window, folder / ERROR_LOG)  # from here on, no silent deaths
    lock = acquire_instance_lock(folder, messenger, lock_path(folder, args.db or os.environ.get("ALIGNWORK_DB")))
    if lock is None:
        return EXIT_ALREADY_RUNNING
    database = None
    if args.db is None and not os.environ.get("ALIGNWORK_DB"):
        database = _open_team_database(messenger)  # the team database remembered on this machine, if any
    try:
        database = database or open_database(args.db)
    except DatabaseTooNew as error:
        messenger.warn("Alignwork needs an update", str(error), critical=True)
        return EXIT_DATABASE
    except DatabaseError as error:
        messenger.warn("Alignwork cannot open its database", str(error), critical=True)
        return EXIT_DATABASE
    from alignwork_gui.context import AppContext
    from alignwork_gui.icons import icon
    from alignwork_gui.main_window import MainWindow

    app.setWindowIcon(icon("workshop"))
    context = AppContext(database)
    window = MainWindow(context)
    window.show()
    window.reload_workshops()
    for notice in database.notices:
        messenger.warn("Alignwork started a new database", notice, window)
    if args.quit_after_ready:
        def report() -> None:
            print(f"ready in {round((time.perf_counter() - _STARTED) * 1000)} ms", flush=True)
            if os.environ.get(REPORT_MODULES_ENV):
                print(f"heavy modules: {', '.join(heavy_modules_loaded()) or 'none'}", flush=True)
                from alignwork.models.base import metadata  # the tables built so far (the rest wait)

                print(f"tables built: {', '.join(sorted(metadata.tables))}", flush=True)
            window.close()
            app.quit()

        QTimer.singleShot(0, report)
    # after the start-up figure: the window is shown and the list loaded before this looks further
    QTimer.singleShot(0, window.offer_resume)
    code = app.exec()
    from alignwork_gui.tasks import wait_for_tasks

    wait_for_tasks()
    context.stop_feed()
    database.dispose()
    lock.unlock()
    return code


def main() -> int:
    """The installed ``alignwork-gui`` command (a gui-script: no console window on Windows)."""
    return run(sys.argv)


def _open_team_database(messenger):
    """The team database remembered on this machine (password from the keyring, else asked), or None."""
    from alignwork.db import DatabaseError, DatabaseTooNew
    from alignwork.team import connect, load_settings

    if not load_settings().get("database_url"):
        return None
    from alignwork_gui.team_connect import saved_team_url

    url = saved_team_url()
    if url is None:
        return None
    try:
        return connect(url)
    except DatabaseTooNew:
        raise
    except DatabaseError as error:
        messenger.warn("The team database cannot be reached", f"{error} Alignwork opens this computer's own "
                       "database instead; File → Connect to team database… tries again.")
        return None


if __name__ == "__main__":
    sys.exit(main())
