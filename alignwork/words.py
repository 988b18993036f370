"""Plain-English wording shared by the core and the pages. Imports nothing: the window uses it
at start-up, before any page needs the interview or kit modules (and their tables)."""

from __future__ import annotations


def counted(number: int, noun: str) -> str:
    """ "1 minute", "20 minutes": a count in plain English."""
    return f"{number} {noun}{'' if number == 1 else 's'}"
