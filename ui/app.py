"""QApplication set-up: names, style, database, main window."""

from __future__ import annotations

import argparse
import sys
import time

_STARTED = time.perf_counter()


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="main.py", description="Alignwork desktop app")
    parser.add_argument("--db", metavar="URL", default=None, help="database URL (default: the data folder's file)")
    parser.add_argument("--quit-after-ready", action="store_true",
                        help="show the window, load the workshop list, print 'ready in N ms' and exit")
    return parser.parse_args(argv[1:])


def run(argv: list[str]) -> int:
    args = parse_args(argv)
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from alignwork.db import DatabaseError, open_database
    from alignwork.paths import APP_NAME

    app = QApplication.instance() or QApplication(argv[:1])
    app.setOrganizationName(APP_NAME)
    app.setApplicationName(APP_NAME)
    app.setStyle("Fusion")
    try:
        database = open_database(args.db)
    except DatabaseError as error:
        QMessageBox.critical(None, "Alignwork cannot open its database", str(error))
        return 2
    from ui.context import AppContext
    from ui.main_window import MainWindow

    context = AppContext(database)
    window = MainWindow(context)
    window.show()
    window.reload_workshops()
    for notice in database.notices:
        QMessageBox.warning(window, "Alignwork", notice)
    if args.quit_after_ready:
        def report() -> None:
            print(f"ready in {round((time.perf_counter() - _STARTED) * 1000)} ms", flush=True)
            app.quit()

        QTimer.singleShot(0, report)
    code = app.exec()
    database.dispose()
    return code


if __name__ == "__main__":
    sys.exit(run(sys.argv))
