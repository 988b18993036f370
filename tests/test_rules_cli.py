"""The rules from the command line: ``backtest --json`` counts knock-outs per reason code, the scored
CSV names the knock-out that fired, ``--rules-out`` writes the rules with the raw CRM values they
matched, and the drafted conditions show in ``synthesize --json``."""

from __future__ import annotations

import csv
import json

import pytest

from alignwork.cli import main
from alignwork.definition import knockouts
from alignwork.definition.criteria import Condition, Criterion, Definition
from tests.definition_workshop import workshop_with

DEFINITION = Definition(mql_threshold=10, sql_threshold=50, sql_min_intent=10, criteria=[
    Criterion(id="fit.saas", section="ideal_company", label="Industry: Software/SaaS", points=20,
              conditions=[Condition(field="industry", operator="is_any_of", value=["Software/SaaS"])]),
    knockouts.apply_default(Criterion(id="disqualifiers.student", section="disqualifiers",
                                      label="Student or academic", knockout=True), "STUDENT"),
    knockouts.with_company_list(knockouts.apply_default(Criterion(
        id="disqualifiers.competitor", section="disqualifiers", label="Competitor", knockout=True), "COMPETITOR"),
        ["Rivalsoft"]),
])
LEADS = ("Job Title,Email,Company,Industry\n"
         "Marketing Intern,a@acme.io,Acme,Computer Software\n"
         "CMO,b@mit.edu,MIT,Education\n"
         "VP Sales,c@rs.io,RIVALSOFT Inc.,SaaS\n"
         "CMO,d@buyer.io,Buyer,SaaS\n"
         "Head of IT,e@buyer.io,Buyer,software\n")


@pytest.fixture
def workshop(database):
    return workshop_with(database, "Rules", DEFINITION)


def test_backtest_counts_knockouts_per_reason_and_writes_rules_with_crm_values(capsys, db_url, workshop, tmp_path):
    leads = tmp_path / "leads.csv"
    leads.write_text(LEADS, encoding="utf-8")
    scored, rules = tmp_path / "scored.csv", tmp_path / "rules.csv"
    code = main(["--db", db_url, "backtest", "Rules", str(leads), "--json", "--out", str(scored),
                 "--rules-out", str(rules)])
    out, err = capsys.readouterr()
    assert code == 0, err
    summary = json.loads(out)
    assert summary["disqualified_by_reason"] == {"STUDENT": 2, "COMPETITOR": 1}
    with scored.open(encoding="utf-8-sig", newline="") as handle:
        fired = [row["knocked_out_by"] for row in csv.DictReader(handle)]
    assert fired == ["STUDENT", "STUDENT", "COMPETITOR", "", ""]
    rows = list(csv.DictReader(rules.open(encoding="utf-8", newline="")))
    saas = next(row for row in rows if row["id"] == "fit.saas")
    # the raw values of the file that the category stands for, most frequent first
    assert saas["crm_values"].split(";") == ["SaaS", "Computer Software", "software"]
    code = main(["--db", db_url, "backtest", "Rules", str(leads), "--rules-out", str(rules)])
    assert code == 2 and "exists" in capsys.readouterr().err


def test_backtest_text_report_names_the_reasons(capsys, db_url, workshop, tmp_path):
    leads = tmp_path / "leads.csv"
    leads.write_text(LEADS, encoding="utf-8")
    assert main(["--db", db_url, "backtest", "Rules", str(leads)]) == 0
    assert "disqualified by: STUDENT 2, COMPETITOR 1" in capsys.readouterr().out


def test_synthesize_json_shows_conditions(capsys):
    from alignwork.paths import resource

    assert main(["synthesize", str(resource("demo_workshop.json")), "--json"]) == 0
    criteria = json.loads(capsys.readouterr().out)["definition"]["criteria"]
    student = next(c for c in criteria if c["id"] == "disqualifiers.student")
    assert student["match"] == "any" and student["conditions"][0]["field"] == "title"
    assert student["rule"].startswith("job title contains any of the words student")
    competitor = next(c for c in criteria if c["id"] == "disqualifiers.competitor")
    assert competitor["company_list"] and "Inactive until the company list" in competitor["rule"]
