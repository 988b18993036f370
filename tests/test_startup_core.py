"""What the core does to keep start-up short, without changing what it answers: the other rooms'
tables are created on first use (and the metadata is still complete); the overview's counts come
from one query."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from alignwork import store
from alignwork.workshops import bundle

ROOT = Path(__file__).resolve().parent.parent

LAZY_TABLES = """
import sys
import alignwork.store
loaded = sorted(m for m in sys.modules if m.startswith("alignwork.models."))
print(" ".join(loaded))
from alignwork.models import RISK_CLASSES, BacktestRun  # any name of a later room loads them all
import alignwork.models
print(" ".join(sorted(alignwork.models.metadata.tables)))
print(BacktestRun.__tablename__, len(RISK_CLASSES))
"""


def test_start_builds_only_the_workshop_tables_and_the_metadata_stays_complete():
    result = subprocess.run([sys.executable, "-c", LAZY_TABLES], cwd=ROOT, capture_output=True, text=True,
                            check=True)
    at_start, tables, used = result.stdout.splitlines()
    assert at_start.split() == ["alignwork.models.base", "alignwork.models.workshop"]
    assert set(tables.split()) == {
        "workshop", "participant", "guidequestion", "interview", "answer", "note",
        "definitionversion", "synthesiscorrection",
        "premortemsession", "premortemmember", "risk", "riskvote", "riskchecklist",
        "signer", "versionevent", "backtestrun", "columnmapping", "reviewperiod"}
    assert used == "backtestrun 3"


def test_an_unknown_name_is_still_an_attribute_error():
    import alignwork.models

    try:
        alignwork.models.NoSuchTable  # noqa: B018
    except AttributeError as error:
        assert "NoSuchTable" in str(error)
    else:
        raise AssertionError("an unknown name was found")


def test_workshop_counts_match_the_rows_in_the_file(session, database):
    demo = bundle.import_demo(session=session)
    other = bundle.import_demo(session=session)  # a second workshop must not leak into the first's counts
    store.create_interview(session=session, participant_id=store.list_participants(
        session=session, workshop_id=other.workshop_id)[0].id)
    counts = store.workshop_counts(session=session, workshop_id=demo.workshop_id)

    raw = sqlite3.connect(database.path)
    try:
        def one(sql: str) -> int:
            return raw.execute(sql, {"w": demo.workshop_id}).fetchone()[0]

        expected = (
            one("SELECT count(*) FROM participant WHERE workshop_id = :w"),
            one("SELECT count(*) FROM interview WHERE workshop_id = :w"),
            one("SELECT count(*) FROM interview WHERE workshop_id = :w AND status = 'done'"),
            one("SELECT count(*) FROM answer JOIN interview ON interview.id = answer.interview_id "
                "WHERE interview.workshop_id = :w"),
            one("SELECT count(*) FROM note JOIN interview ON interview.id = note.interview_id "
                "WHERE interview.workshop_id = :w"),
        )
    finally:
        raw.close()
    assert (counts.participants, counts.interviews, counts.done, counts.answers, counts.notes) == expected
    assert counts.participants >= 10 and counts.answers > counts.interviews > 0 and counts.notes > 0
    assert store.workshop_counts(session=session, workshop_id=999).participants == 0
