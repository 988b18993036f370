"""`python -m alignwork premortem WORKSHOP [--json]` on a real database."""

from __future__ import annotations

import json
from datetime import date

from alignwork.premortem import checklist as pm
from alignwork.premortem import session as ps
from alignwork.workshops.bundle import import_demo
from alignwork.cli import main
import pytest

pytestmark = pytest.mark.backends  # SQLite and PostgreSQL


def test_cli_prints_seeded_checklist_then_the_session_result(database, db_url, capsys):
    with database.session() as session:
        demo = import_demo(session=session)
    assert main(["--db", db_url, "premortem", demo.name, "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["session"]["status"] == "not_started" and payload["workshop"]["id"] == demo.workshop_id
    titles = [r["title"] for r in payload["risks"]]
    assert "No feedback loop on rejected leads" in titles
    assert {r["source"] for r in payload["risks"]} >= {"library"}

    with database.session() as session:
        row = ps.start_session(session=session, workshop_id=demo.workshop_id, initiative="Roll out v1",
                               people=[{"name": "Ana", "team": "Sales"}, {"name": "Chloe", "team": "Marketing"}])
        ana = ps.members(session=session, session_id=row.id)[0]
        risk = ps.capture(session=session, workshop_id=demo.workshop_id, member_id=ana.id,
                          title="Reps keep working every lead")
        pm.update_risk(session=session, risk_id=risk.id, likelihood=5, impact=5, klass="tiger", owner="Dana",
                       due_date=date(2020, 2, 1))
    assert main(["--db", db_url, "premortem", str(demo.workshop_id)]) == 0
    text = capsys.readouterr().out
    first = text.splitlines()[4]
    assert "Reps keep working every lead" in first and "25" in first and "Tiger" in first and "OVERDUE" in first
    assert "session running at phase 1: Brief the plan" in text
    assert "owner: Dana" in text


def test_cli_unknown_workshop_is_one_line_and_exit_2(database, db_url, capsys):
    assert main(["--db", db_url, "premortem", "nope"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("alignwork: error: no workshop") and err.count("\n") == 1
