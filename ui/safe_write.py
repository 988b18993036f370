"""One way for pages to write through the core: a refusal (a StoreError) or a database
that cannot be written (locked by another program, read-only, full) is told in the
status bar — never a traceback — and nothing is half-changed (the session rolls back)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.exc import SQLAlchemyError

from alignwork.store import StoreError


def try_write(context, what: str, change: Callable) -> bool:
    """Run ``change(session)`` in one session; False (and a status message) if it did not happen.

    ``what`` names the action for the message: "Guide not saved", "Interview not finished"."""
    try:
        with context.session() as session:
            change(session)
    except StoreError as error:
        context.tell(str(error), 8000)
        return False
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", None) or error).splitlines()[0]
        context.tell(f"{what}: the database cannot be written just now ({reason}). "
                     "Nothing was changed; try again in a moment.", 10000)
        return False
    return True
