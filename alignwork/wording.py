"""Counted nouns in plain English — one way to say "1 rep" / "12 reps" for the core,
the CLI and the pages alike (never a maybe-plural with "(s)")."""

from __future__ import annotations

_IRREGULAR = {"person": "people", "company": "companies", "criterion": "criteria"}


def plural(noun: str, number: int) -> str:
    """The noun as it goes with ``number``: "rep" for 1, "reps" otherwise."""
    if number == 1:
        return noun
    if noun in _IRREGULAR:
        return _IRREGULAR[noun]
    return noun + "es" if noun.endswith(("s", "x", "ch", "sh")) else noun + "s"


def counted(number: int, noun: str) -> str:
    """ "1 minute", "20 minutes": a count in plain English."""
    return f"{number} {plural(noun, number)}"
