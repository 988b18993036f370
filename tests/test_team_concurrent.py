"""Three facilitators' processes write interviews into one PostgreSQL workshop at once:
nothing is lost, nobody deadlocks, each sees the others' work, and every change names its
facilitator. ALIGNWORK_TEAM_SECONDS sets how long they run (default 10 s; the issue's 30 s
with ALIGNWORK_TEAM_SECONDS=30)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sqlmodel import select

from alignwork import store
from alignwork.db import open_database
from alignwork.models import Answer, Interview, Note, Participant

WRITER = Path(__file__).resolve().parent / "team_writer.py"
SECONDS = float(os.environ.get("ALIGNWORK_TEAM_SECONDS", "10"))


def test_three_processes_write_concurrently_and_lose_nothing(pg_url):
    database = open_database(pg_url)
    with database.session() as session:
        workshop = store.create_workshop(session=session, name="Team week")
    names = ["Dana", "Lee", "Sam"]
    children = [subprocess.Popen([sys.executable, str(WRITER), pg_url, str(workshop.id), name, str(SECONDS)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for name in names]
    reports = []
    for child in children:
        out, err = child.communicate(timeout=SECONDS + 90)  # a deadlock would hang here
        assert child.returncode == 0, err
        reports.append(json.loads(out.strip().splitlines()[-1]))
    with database.session() as session:
        rows = session.exec(select(Participant.name, Answer.key, Answer.value, Answer.changed_by)
                            .join(Interview, Interview.participant_id == Participant.id)
                            .join(Answer, Answer.interview_id == Interview.id)
                            .where(Interview.workshop_id == workshop.id)).all()
        notes = session.exec(select(Note.text, Note.changed_by)).all()
    stored = {(rep, key): (value, who) for rep, key, value, who in rows}
    total = 0
    for report in reports:
        assert report["closed"] and report["errors"] == [], report["errors"]
        assert len(report["written"]) >= 3, "each process wrote several interviews"
        assert report["saw_others"] > 0, f"{report['name']} never saw a colleague's interview"
        for rep, answers in report["written"].items():
            for key, value in answers.items():
                assert stored[(rep, key)] == (value, report["name"])
                total += 1
            assert (f"{rep} said so", report["name"]) in notes
    assert len(stored) == total  # nothing extra, nothing lost
    database.dispose()
