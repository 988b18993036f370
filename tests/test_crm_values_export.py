"""The raw CRM values each category matched travel with the back-test run into ``export --format
json|rules-csv``: a real back-test of a generated lead file whose industries, titles, lead sources
and e-mail domains come in several spellings and cases, then the CLI exports read back with the
json and csv readers (issue 11, "the rules CSV/JSON carry … the raw CRM values each category
matched in the last back-test"). Also: no back-test, an edited condition, a bounded record,
and migration 0009 on a file with an older run (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import json
import random
from datetime import datetime

import pytest
from alembic import command
from sqlalchemy import text
from sqlmodel import select

from alignwork import db
from alignwork.cli import main
from alignwork.definition import knockouts, versions
from alignwork.definition.criteria import Condition, Criterion, Definition
from alignwork.models import BacktestRun
from tests.definition_workshop import workshop_with

pytestmark = pytest.mark.backends  # SQLite and PostgreSQL

DEFINITION = Definition(mql_threshold=20, sql_threshold=60, sql_min_intent=20, criteria=[
    Criterion(id="fit.saas", section="ideal_company", label="Industry: Software/SaaS", points=20,
              conditions=[Condition(field="industry", operator="is_any_of", value=["Software/SaaS"])]),
    Criterion(id="persona.marketing-leader", section="persona", label="Marketing leader", points=15, conditions=[
        Condition(field="function", operator="is_any_of", value=["Marketing"]),
        Condition(field="seniority", operator="is_any_of", value=["VP/Head", "C-level"])]),
    Criterion(id="persona.words", section="persona", label="Growth in the title", points=5,
              conditions=[Condition(field="title", operator="contains_any", value=["growth"])]),
    Criterion(id="sql.pricing-or-demo", section="sql", label="Asked for pricing or a demo", axis="intent", points=30,
              conditions=[Condition(field="lead_source", operator="is_any_of", value=["pricing_page", "demo_request"])]),
    Criterion(id="disqualifiers.personal", section="disqualifiers", label="Personal email address", knockout=True,
              reason_code="PERSONAL_EMAIL",
              conditions=[Condition(field="email_type", operator="is_any_of", value=["personal"])]),
    knockouts.apply_default(Criterion(id="disqualifiers.student", section="disqualifiers",
                                      label="Student or academic", knockout=True), "STUDENT"),
])
# spelling → leads; the back-test must report exactly these for the categories they stand for
SAAS = {"SaaS": 31, "Computer Software": 19, "saas": 12, "SOFTWARE": 5, "software & saas": 3}
INDUSTRIES = {**SAAS, "Retail": 10, "retail": 4, "Banking": 16}
MARKETING_LEADERS = {"VP Marketing": 22, "vp, marketing": 9, "Head of Growth": 7, "CMO": 6}
TITLES = {**MARKETING_LEADERS, "Marketing Intern": 8, "Sales Manager": 30, "STUDENT": 18}
PRICING_OR_DEMO = {"Pricing Page": 25, "pricing page": 11, "PRICING-PAGE visit": 4, "Demo Request": 14,
                   "demo request": 6}
SOURCES = {**PRICING_OR_DEMO, "Webinar": 40}
DOMAINS = {"acme.io": 40, "buyer.com": 30, "gmail.com": 14, "GMAIL.COM": 4, "yahoo.com": 6, "mit.edu": 6}
ROWS = 100
AT = datetime(2026, 11, 2, 9, 30)


def _column(spellings: dict[str, int], rng: random.Random) -> list[str]:
    cells = [spelling for spelling, count in spellings.items() for _ in range(count)]
    assert len(cells) == ROWS
    rng.shuffle(cells)
    return cells


def _ordered(counts: dict[str, int]) -> list[list]:
    """Most frequent first, then by spelling: the order the back-test reports."""
    return [[value, leads] for value, leads in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]


def write_leads(path, *, bad_value: bool = False):
    """A CRM export of ROWS leads whose columns hold the spellings above, shuffled; ``bad_value``
    adds a lead whose employee count is no number (skipped by the back-test, so not counted)."""
    rng = random.Random(11)
    industries, titles, sources, domains = (_column(spellings, rng) for spellings in (INDUSTRIES, TITLES, SOURCES,
                                                                                      DOMAINS))
    lines = ["Job Title,Email,Company,Industry,Lead Source,Employees"]
    lines += [f'"{title}",lead{i}@{domain},Company {i},{industry},{source},{50 + i}'
              for i, (title, domain, industry, source) in enumerate(zip(titles, domains, industries, sources))]
    if bad_value:
        lines.insert(40, "VP Marketing,x@gmail.com,Skipped,SaaS,Pricing Page,lots")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def leads(tmp_path):
    return write_leads(tmp_path / "messy leads.csv")


@pytest.fixture
def workshop(database):
    return workshop_with(database, "Raw values", DEFINITION)


def cli(capsys, db_url, *args) -> tuple[int, str, str]:
    code = main(["--db", db_url, *args])
    out, err = capsys.readouterr()
    return code, out, err


def export(capsys, db_url, tmp_path, name: str, *args) -> tuple[dict, list[dict]]:
    """``export --format json`` and ``--format rules-csv``, read back with the json and csv readers."""
    model_path, rules_path = tmp_path / f"{name}.json", tmp_path / f"{name}.csv"
    for fmt, path in (("json", model_path), ("rules-csv", rules_path)):
        code, _out, err = cli(capsys, db_url, "export", "Raw values", "--format", fmt, *args, "--out", str(path))
        assert code == 0, err
    model = json.loads(model_path.read_text(encoding="utf-8"))
    with rules_path.open(encoding="utf-8", newline="") as handle:
        return model, list(csv.DictReader(handle))


def condition(model: dict, rule_id: str, field: str) -> dict:
    rule = next(r for r in model["rules"] if r["id"] == rule_id)
    return next(c for c in rule["conditions"] if c["field"] == field)


def row(rows: list[dict], rule_id: str, field: str) -> dict:
    return next(r for r in rows if r["id"] == rule_id and r["field_key"] == field)


def test_exports_carry_the_raw_values_of_the_last_backtest(capsys, db_url, database, workshop, leads, tmp_path):
    # before any back-test the export says so, in the field itself
    model, rows = export(capsys, db_url, tmp_path, "before", "--draft")
    assert model["crm_values_from"]["run"] is None and "No back-test yet" in model["crm_values_from"]["note"]
    saas = condition(model, "fit.saas", "industry")
    assert saas["crm_values"] == [] and saas["crm_values_note"].startswith("no back-test yet")
    assert row(rows, "fit.saas", "industry")["crm_values_note"].startswith("no back-test yet")
    assert row(rows, "persona.words", "title")["crm_values_note"] == ""  # words: the CRM compares them itself

    from_backtest = tmp_path / "from-backtest.json"
    code, _out, err = cli(capsys, db_url, "backtest", "Raw values", str(leads), "--rules-out", str(from_backtest))
    assert code == 0, err
    with database.session() as session:
        run = session.exec(select(BacktestRun)).one()
        run_id, run_at = run.id, run.created_at

    model, rows = export(capsys, db_url, tmp_path, "after", "--draft")
    source = model["crm_values_from"]
    assert (source["run"], source["file"], source["same_version"]) == (run_id, "messy leads.csv", True)
    assert source["back_tested_at"].startswith(run_at.strftime("%Y-%m-%dT%H:%M"))
    expected = {("fit.saas", "industry"): SAAS, ("persona.marketing-leader", "function"):
                {**MARKETING_LEADERS, "Marketing Intern": 8}, ("persona.marketing-leader", "seniority"): MARKETING_LEADERS,
                ("sql.pricing-or-demo", "lead_source"): PRICING_OR_DEMO,
                ("disqualifiers.personal", "email_type"): {"gmail.com": 18, "yahoo.com": 6}}
    for (rule_id, field), counts in expected.items():
        json_condition, csv_row = condition(model, rule_id, field), row(rows, rule_id, field)
        ordered = _ordered(counts)
        assert [[item["value"], item["leads"]] for item in json_condition["crm_value_leads"]] == ordered, rule_id
        assert json_condition["crm_values"] == [value for value, _ in ordered]
        assert csv_row["crm_values"].split(";") == [value for value, _ in ordered]
        assert [int(n) for n in csv_row["crm_value_leads"].split(";")] == [n for _, n in ordered]
        note = f"{len(ordered)} raw values on {sum(counts.values())} leads in messy leads.csv, back-test of "
        assert json_condition["crm_values_note"].startswith(note) and csv_row["crm_values_note"].startswith(note)
        assert f"(run {run_id})" in csv_row["crm_values_note"]
    # an e-mail type is told by its domains, never by the addresses of the leads
    assert "@" not in json.dumps(condition(model, "disqualifiers.personal", "email_type"))
    # the CRM layouts paste the raw values, and say where they come from
    fit = next(g for g in model["hubspot"]["score_groups"] if g["name"] == "Fit")
    industry = next(c for c in fit["criteria"] if c["name"] == "Industry: Software/SaaS")["conditions"][0]
    assert industry["values"] == [value for value, _ in _ordered(SAAS)] and "messy leads.csv" in industry["values_from"]
    grade = next(c for c in model["pardot"]["criteria"] if c["name"] == "Industry: Software/SaaS")
    assert grade["conditions"][0]["values"] == industry["values"]
    # backtest --rules-out wrote what export writes for the same run
    assert json.loads(from_backtest.read_text(encoding="utf-8")) == model
    # and the agreement says where the exports' raw values come from
    document = tmp_path / "agreement.md"
    assert cli(capsys, db_url, "export", "Raw values", "--format", "md", "--draft", "--sections", "scoring",
               "--out", str(document))[0] == 0
    assert "raw CRM values each category matched in messy leads.csv, back-test of " in document.read_text("utf-8")

    # an edited condition no longer borrows the values counted for the old one; the others keep theirs
    with database.session() as session:
        edited = DEFINITION.model_copy(deep=True)
        edited.criterion("fit.saas").conditions[0].value = ["Software/SaaS", "Retail & e-commerce"]
        versions.update_draft(session=session, workshop_id=workshop, definition=edited)
    model, rows = export(capsys, db_url, tmp_path, "edited", "--draft")
    assert condition(model, "fit.saas", "industry")["crm_values"] == []
    assert row(rows, "fit.saas", "industry")["crm_values_note"].startswith("none: this condition changed since")
    assert condition(model, "sql.pricing-or-demo", "lead_source")["crm_values"][0] == "Pricing Page"


def test_a_version_saved_after_the_backtest_and_a_new_draft_say_where_the_values_come_from(
        capsys, db_url, database, workshop, leads, tmp_path):
    assert cli(capsys, db_url, "backtest", "Raw values", str(leads))[0] == 0
    with database.session() as session:
        versions.save_version(session=session, workshop_id=workshop)  # the back-tested draft becomes version 1
    model, _rows = export(capsys, db_url, tmp_path, "v1", "--version", "1")
    assert model["crm_values_from"]["same_version"] is True
    assert condition(model, "fit.saas", "industry")["crm_values"][:2] == ["SaaS", "Computer Software"]
    with database.session() as session:
        versions.current_draft(session=session, workshop_id=workshop)  # a new draft, copied from version 1
    model, rows = export(capsys, db_url, tmp_path, "draft", "--draft")
    assert model["crm_values_from"]["same_version"] is False and model["crm_values_from"]["definition_version"] == 1
    note = row(rows, "fit.saas", "industry")["crm_values_note"]
    assert "which scored version 1, not this version" in note and row(rows, "fit.saas", "industry")["crm_values"]


def test_the_record_keeps_the_most_frequent_spellings_and_sums_the_rest(database, workshop, leads):
    from alignwork.backtest.history import crm_values_record
    from alignwork.backtest.leads import read_leads
    from alignwork.backtest.mapping import auto_mapping
    from alignwork.backtest.run import run_backtest
    from alignwork.documents.crm_values import CrmValues

    table = read_leads(write_leads(leads, bad_value=True))  # a skipped lead: the rows are matched by line
    sample = {column: table.frame[column].head(200).to_list() for column in table.columns}
    result = run_backtest(table, DEFINITION, auto_mapping(table.columns, sample))
    assert (table.frame.height, result.scored.height) == (ROWS + 1, ROWS)
    record = crm_values_record(result, limit=2)
    saas = record["fit.saas"][0]
    assert saas["values"] == [{"value": "SaaS", "leads": 31}, {"value": "Computer Software", "leads": 19}]
    assert (saas["more_values"], saas["more_leads"]) == (3, 20)
    assert "persona.words" not in record  # word lists are not categories
    with database.session() as session:
        run = BacktestRun(workshop_id=workshop, file_name="messy leads.csv", crm_values=record)
        session.add(run)
        session.commit()
        values = CrmValues.of_run(run).for_condition(DEFINITION.criterion("fit.saas"),
                                                     DEFINITION.criterion("fit.saas").conditions[0])
    assert values.names == ["SaaS", "Computer Software"]
    assert values.note.startswith("5 raw values on 70 leads in messy leads.csv")
    assert values.note.endswith("the 2 most frequent are listed, 3 more values on 20 leads")
    assert len(json.dumps(crm_values_record(result))) < 4000  # a small row, whatever the file size


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_migration_0009_keeps_older_runs_and_the_export_says_they_hold_no_values(backend, request, tmp_path):
    url = f"sqlite:///{tmp_path / 'alignwork.db'}" if backend == "sqlite" else request.getfixturevalue("pg_empty_url")
    old = db.open_database(url, migrate_schema=False)
    with old.engine.begin() as connection:
        command.upgrade(db._alembic_config(connection), "0008")
    with old.engine.begin() as connection:  # rows as a 0008 file holds them (today's models have more columns)
        connection.execute(text(
            "INSERT INTO workshop (id, name, goal, company, facilitator, target_minutes, archived, created_at, "
            "updated_at) VALUES (1, 'Raw values', '', '', '', 20, :no, :at, :at)"), {"no": False, "at": AT})
        connection.execute(text(
            "INSERT INTO definitionversion (id, workshop_id, status, body, note, created_at, updated_at, version, "
            "changed_by) VALUES (1, 1, 'draft', :body, '', :at, :at, 1, '')"),
            {"body": json.dumps(DEFINITION.model_dump(mode="json")), "at": AT})
        connection.execute(text(
            "INSERT INTO backtestrun (workshop_id, definition_version_id, file_name, rows, scored, bad_lines, stages, "
            "thresholds, pass_rate, conversion, created_at) VALUES (1, 1, 'old.csv', 5, 5, 0, '{}', '{}', 0.5, '{}', "
            ":at)"), {"at": AT})
    old.dispose()

    upgraded = db.open_database(url)
    try:
        with upgraded.session() as session:
            assert session.exec(select(BacktestRun)).one().crm_values == {}
            from alignwork.documents.facts import gather_facts

            facts = gather_facts(session=session, workshop_id=1, default=False)
        from alignwork.documents.writers.rules import rules_export

        model = json.loads(rules_export("json", facts.definition, workshop="Raw values", version=None,
                                        status="draft", crm_values=facts.crm_values))
        assert model["crm_values_from"]["file"] == "old.csv"
        assert "recorded before raw values were kept" in model["crm_values_from"]["note"]
        assert "recorded before raw values were kept" in condition(model, "fit.saas", "industry")["crm_values_note"]
        with upgraded.engine.begin() as connection:
            command.downgrade(db._alembic_config(connection), "0008")
        with upgraded.engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT file_name FROM backtestrun").scalar_one() == "old.csv"
    finally:
        upgraded.dispose()


def test_the_worked_example_in_docs_has_the_columns_the_writer_writes():
    from pathlib import Path

    from alignwork.documents.writers.rules import CSV_COLUMNS

    text = (Path(__file__).resolve().parent.parent / "docs" / "export.md").read_text(encoding="utf-8")
    example = text.split("### `rules-csv`", 1)[1].split("```", 2)[1]
    rows = list(csv.reader(example.strip().splitlines()))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert all(len(row) == len(CSV_COLUMNS) for row in rows[1:]), [len(row) for row in rows]
    saas = dict(zip(rows[0], rows[1]))
    counts = [int(n) for n in saas["crm_value_leads"].split(";")]
    assert saas["crm_values_note"].startswith(f"{len(counts)} raw values on {sum(counts)} leads")
