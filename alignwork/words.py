"""Plain-English wording shared by the core and the pages: counted nouns ("1 rep",
"12 reps", never a maybe-plural such as “(s)”). Imports nothing: the window uses it at
start-up, before any page needs the interview or kit modules (and their tables)."""

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
