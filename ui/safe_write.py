"""One way for pages to write through the core: a refusal (a StoreError) or a database
that cannot be written (locked by another program, read-only, full) is told in the
status bar — never a traceback — and nothing is half-changed (the session rolls back).

Team mode adds one more answer a save can get: a colleague saved the same thing since
this page showed it (``EditConflict``). ``keep_or_reload`` turns that into the one choice
every page offers — "changed by Dana at 14:02 — reload or keep yours" — and keeps what
was typed on the clipboard when the facilitator takes theirs, so nothing typed is lost."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import SQLAlchemyError

from alignwork.store import EditConflict, StoreError

T = TypeVar("T")
KEEP_MINE, RELOAD = "Keep mine", "Reload"


def database_problem(error: Exception, what: str = "Not saved") -> str:
    """The status-bar sentence for a database that refused a write (locked, read-only, full)."""
    reason = (str(getattr(error, "orig", None) or error).strip().splitlines() or [type(error).__name__])[0]
    return f"{what}: the database cannot be written just now ({reason}); nothing was changed. Try again in a moment."


def plain_problem(error: Exception) -> str:
    """One sentence for an import or export that failed: the database's in plain words, else the
    error's own (already plain) message."""
    if isinstance(error, SQLAlchemyError):
        return database_problem(error, "Nothing was changed")
    return str(error) or type(error).__name__


def try_write(context, what: str, change: Callable) -> bool:
    """Run ``change(session)`` in one session; False (and a status message) if it did not happen.

    ``what`` names the action for the message: "Guide not saved", "Interview not finished".
    A colleague's save meanwhile (EditConflict) goes up, to ``keep_or_reload`` around it."""
    try:
        with context.session() as session:
            change(session)
    except StoreError as error:
        context.tell(str(error), 8000)
        return False
    except SQLAlchemyError as error:
        context.tell(database_problem(error, what), 10000)
        return False
    return True


def ask_keep_mine(parent, conflict: EditConflict, typed: str = "") -> bool:
    """Ask the one team-mode question; True: save mine over theirs. On Reload, ``typed`` (what
    the facilitator typed, in words) goes to the clipboard and the status bar says so."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    box = QMessageBox(QMessageBox.Icon.Question, f"{conflict.what} changed meanwhile", f"{conflict}.", parent=parent)
    kept = " (what you typed is copied to the clipboard)" if typed.strip() else ""
    box.setInformativeText(f"{RELOAD} shows their version{kept}; {KEEP_MINE} saves yours over it.")
    keep = box.addButton(KEEP_MINE, QMessageBox.ButtonRole.AcceptRole)
    reload = box.addButton(RELOAD, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(reload)  # Enter and Esc overwrite nobody: theirs shows, mine is on the clipboard
    box.setEscapeButton(reload)
    box.exec()
    if box.clickedButton() is keep:
        return True
    if typed.strip():
        QApplication.clipboard().setText(typed)
    return False


def keep_or_reload(parent, attempt: Callable[[int | None], T], expected: int | None, *, typed: str = "",
                   on_reload: Callable[[], None] | None = None) -> T | None:
    """``attempt(expected_version)`` (it opens its own session) and its result; when a colleague
    saved meanwhile, ask: Keep mine runs it again over their version, Reload calls ``on_reload``
    (the caller shows theirs) and returns None. Other failures go up to the caller's own
    handling, as before."""
    while True:
        try:
            return attempt(expected)
        except EditConflict as conflict:
            if not ask_keep_mine(parent, conflict, typed):
                if on_reload is not None:
                    on_reload()
                return None
            expected = conflict.current_version
