"""One way for pages to write through the core: a refusal (a StoreError) or a database
that cannot be written (locked by another program, read-only, full) is told in the
status bar — never a traceback — and nothing is half-changed (the session rolls back)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.exc import SQLAlchemyError

from alignwork.store import EditConflict, StoreError


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

    ``what`` names the action for the message: "Guide not saved", "Interview not finished"."""
    try:
        with context.session() as session:
            change(session)
    except (StoreError, EditConflict) as error:
        context.tell(str(error), 8000)
        return False
    except SQLAlchemyError as error:
        context.tell(database_problem(error, what), 10000)
        return False
    return True
