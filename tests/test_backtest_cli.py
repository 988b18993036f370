"""``python -m alignwork backtest``: JSON output, scored CSV, remembered mapping, clear refusals."""

from __future__ import annotations

import csv
import json

import pytest
from sqlmodel import select

from alignwork.cli import main
from alignwork.models import BacktestRun, ColumnMapping, DefinitionVersion
from tests.definition_workshop import workshop_with
from tests.test_backtest_run import DEFINITION, LEADS

pytestmark = pytest.mark.backends  # SQLite and PostgreSQL


@pytest.fixture
def workshop(database):
    return workshop_with(database, "Q3 leads", DEFINITION, number=1)


def run(capsys, db_url, *args):
    code = main(["--db", db_url, "backtest", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_output_and_scored_csv(capsys, db_url, database, workshop, tmp_path):
    leads = tmp_path / "leads.csv"
    leads.write_bytes(LEADS + b"Intern;Retail;h@z.io;Webinar;Closed Lost;x;extra\n")
    out_path = tmp_path / "scored.csv"
    code, out, err = run(capsys, db_url, "Q3 leads", str(leads), "--version", "1", "--json", "--out", str(out_path))
    assert code == 0, err
    summary = json.loads(out)
    assert {key: summary[key] for key in ("rows", "scored", "bad_lines", "stages", "pass_rate", "thresholds")} == {
        "rows": 9, "scored": 8, "bad_lines": [10], "stages": {"SQL": 1, "MQL": 3, "nurture": 3, "disqualified": 1},
        "pass_rate": 0.5, "thresholds": {"mql": 30, "sql": 60, "sql_min_intent": 20}}
    assert summary["conversion"]["passing"] == 0.5 and summary["lift"] > 1
    assert summary["bad_line_reasons"] == [{"line": 10, "reason": "7 fields where the header has 6"}]
    with out_path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) == 9 and rows[0][-6:] == ["fit_score", "intent_score", "score", "stage", "knocked_out_by", "reasons"]
    with database.session() as session:
        runs = session.exec(select(BacktestRun)).all()
        assert [(r.version_number, r.file_name, r.rows, r.bad_lines) for r in runs] == [(1, "leads.csv", 9, 1)]


def test_text_report_and_manual_mapping_is_remembered(capsys, db_url, database, workshop, tmp_path):
    leads = tmp_path / "odd.csv"
    leads.write_text("Role,Vertical,Mail,Channel,Result\nCMO,SaaS,a@acme.io,Demo request,won\n"
                     "Dev,Retail,b@x.io,,lost\n", encoding="utf-8")
    code, out, err = run(capsys, db_url, str(workshop), str(leads), "--map", "Role=title", "--map", "Channel=lead_source")
    assert code == 0, err
    assert "odd.csv: 2 rows, 2 scored with version 1" not in out  # no --version: the draft is used
    assert "odd.csv: 2 rows, 2 scored with the draft" in out and "SQL 1" in out and "lift" in out
    assert "  columns read: industry ← “Vertical”, job title ← “Role”, e-mail type ← “Mail”, " \
           "lead source ← “Channel”, outcome ← “Result”" in out, out
    with database.session() as session:
        remembered = session.exec(select(ColumnMapping)).one()
        assert remembered.columns["Role"] == "title" and remembered.columns["Channel"] == "lead_source"
        assert remembered.outcome_column == "Result"
    code, out, err = run(capsys, db_url, str(workshop), str(leads), "--json")
    assert code == 0 and json.loads(out)["mapping"]["columns"]["Role"] == "title"
    code, out, err = run(capsys, db_url, str(workshop), str(leads), "--version", "1")
    assert code == 0 and "odd.csv: 2 rows, 2 scored with version 1" in out, out


@pytest.mark.parametrize("args, message", [
    (["Nope", "LEADS"], "no workshop with id or name 'Nope'"),
    (["Q3 leads", "missing.csv"], "is not a file"),
    (["Q3 leads", "LEADS", "--version", "4"], "no definition version 4"),
    (["Q3 leads", "LEADS", "--map", "Budget=revenue_usd"], "the file has no column 'Budget'"),
    (["Q3 leads", "LEADS", "--map", "Stage=colour"], "unknown attribute 'colour'"),
    (["Q3 leads", "LEADS", "--out", "EXISTING"], "already exists; use --force"),
    (["Q3 leads", "EMPTY"], "empty.csv: the file is empty"),
    (["Q3 leads", "UNMAPPABLE"], "no column of odd.csv matches a lead attribute"),
])
def test_refusals_are_one_line_and_write_nothing(capsys, db_url, database, workshop, tmp_path, args, message):
    (tmp_path / "leads.csv").write_bytes(LEADS)
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "odd.csv").write_bytes(b"Colour,Mood\nred,happy\n")
    existing = tmp_path / "scored.csv"
    existing.write_text("keep me")
    args = [{"LEADS": str(tmp_path / "leads.csv"), "EMPTY": str(tmp_path / "empty.csv"), "EXISTING": str(existing), "UNMAPPABLE": str(tmp_path / "odd.csv"),
             "missing.csv": str(tmp_path / "missing.csv")}.get(arg, arg) for arg in args]
    code, out, err = run(capsys, db_url, *args)
    assert code == 2 and out == ""
    assert err.startswith("alignwork: error: ") and message in err and err.count("\n") == 1
    assert existing.read_text() == "keep me"
    with database.session() as session:
        assert session.exec(select(BacktestRun)).all() == []
        assert session.exec(select(ColumnMapping)).all() == []
        assert len(session.exec(select(DefinitionVersion)).all()) == 1  # no draft made on the way


def test_force_overwrites_the_scored_file(capsys, db_url, workshop, tmp_path):
    (tmp_path / "leads.csv").write_bytes(LEADS)
    target = tmp_path / "scored.csv"
    target.write_text("old")
    code, _, err = run(capsys, db_url, "Q3 leads", str(tmp_path / "leads.csv"), "--version", "1",
                       "--out", str(target), "--force")
    assert code == 0, err
    assert target.read_text(encoding="utf-8-sig").splitlines()[0] == \
        "Job Title,Industry,Email,Lead Source,Stage,Segment note,fit_score,intent_score,score,stage,knocked_out_by,reasons"


def test_an_outcome_column_without_won_or_lost_says_why_there_is_no_conversion(capsys, db_url, workshop, tmp_path):
    leads = tmp_path / "open.csv"
    leads.write_text("Job Title,Email,Lead Status\nCMO,a@acme.io,Open\nDev,b@x.io,New\n", encoding="utf-8")
    code, out, err = run(capsys, db_url, str(workshop), str(leads), "--map", "Lead Status=outcome")
    assert code == 0, err
    assert "conversion: none — column 'Lead Status' holds no won/lost values" in out and "lift" not in out
