"""The database errors, told to the user in one plain sentence (alignwork.db raises them; so does
alignwork.sqlite_file, which db.py uses: they live here so neither imports the other)."""

from __future__ import annotations


class DatabaseError(Exception):
    """A database problem told to the user in one plain sentence."""


class DatabaseTooNew(DatabaseError):
    pass


class DatabaseUnavailable(DatabaseError):
    pass


class DatabaseMissing(DatabaseUnavailable):
    """A read-only command was pointed at a SQLite file that does not exist (nothing was created)."""
