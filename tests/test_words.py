"""Counted nouns read as English: "1 rep", "12 reps" — never "rep(s)"."""

import re
from pathlib import Path

from alignwork.workshops.bundle import ImportResult
from alignwork.store import WorkshopCounts
from alignwork.words import counted, plural

ROOT = Path(__file__).resolve().parents[1]


def test_counted_and_plural():
    assert [counted(n, "rep") for n in (0, 1, 12)] == ["0 reps", "1 rep", "12 reps"]
    assert counted(1, "overdue item") == "1 overdue item" and counted(3, "overdue item") == "3 overdue items"
    assert (plural("criterion", 2), plural("person", 2), plural("box", 2), plural("company", 1)) == \
        ("criteria", "people", "boxes", "company")


def test_core_messages_count_properly():
    result = ImportResult(workshop_id=3, name="Q3", participants=1, interviews=2, answers=1, notes=0)
    assert result.describe() == "workshop 3 'Q3': 1 rep, 2 interviews, 1 answer, 0 notes"
    counts = WorkshopCounts(participants=1, interviews=1, done=1, answers=12, notes=1)
    assert counts.describe() == "1 rep, 1 interview (1 done) with 12 answers and 1 note"


def test_no_maybe_plural_in_user_text():
    offenders = []
    for path in [*ROOT.glob("alignwork/**/*.py"), *ROOT.glob("ui/**/*.py")]:
        relative = path.relative_to(ROOT).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            if re.search(r"\w\(s\)", code) and ('"' in code or "'" in code):
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert offenders == []
