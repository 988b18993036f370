"""The agreement, the one-page summary, the rules CSV and the JSON state the same rules under the
same names: each is exported to a file and read back (Markdown text, CSV reader, JSON parser), then
compared rule by rule — names, effects, conditions, knock-outs with their step for Sales."""

from __future__ import annotations

import csv
import json
import re

import pytest

from alignwork.db import open_database
from alignwork.definition import knockouts, versions
from alignwork.definition.criteria import Condition, Criterion
from alignwork.documents.docmodel import DocumentOptions
from alignwork.documents.writers import export_workshop
from tests.agreement.workshop import definition, make_workshop


def _rich_definition():
    base = definition()
    student = knockouts.apply_default(base.criterion("disqualifiers.student"), "STUDENT")
    competitor = knockouts.with_company_list(knockouts.apply_default(Criterion(
        id="disqualifiers.competitor", section="disqualifiers", label="Competitor", knockout=True), "COMPETITOR"),
        ["Rivalsoft", "rival.io"])
    seller = knockouts.apply_default(Criterion(id="disqualifiers.seller", section="disqualifiers",
                                               label="Vendor, agency or reseller", knockout=True), "SELLER")
    duplicate = knockouts.apply_default(Criterion(id="disqualifiers.duplicate", section="disqualifiers",
                                                  label="Duplicate lead", knockout=True), "DUPLICATE")
    pricing = Criterion(id="sql.pricing", section="sql", label="Asked for pricing", axis="intent", points=20,
                        match="any", conditions=[
                            Condition(field="lead_source", operator="is_any_of", value=["pricing_page"]),
                            Condition(field="Recent Conversion", operator="contains_any", value=["pricing"])])
    criteria = [c for c in base.criteria if c.id != "disqualifiers.student"]
    return base.model_copy(update={"criteria": [*criteria, pricing, student, competitor, seller, duplicate],
                                   "intent_cap": 40})


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    folder = tmp_path_factory.mktemp("same")
    database = open_database(f"sqlite:///{folder / 'a.db'}")
    with database.session() as session:
        workshop_id = make_workshop(session)
        versions.update_draft(session=session, workshop_id=workshop_id, definition=_rich_definition())
        paths = {}
        for name, fmt, options in (("agreement.md", "md", DocumentOptions(include_charts=False)),
                                   ("summary.md", "md", DocumentOptions(document="summary")),
                                   ("rules.csv", "rules-csv", DocumentOptions()),
                                   ("rules.json", "json", DocumentOptions())):
            paths[name] = export_workshop(session=session, workshop_id=workshop_id, format=fmt,
                                          path=folder / name, options=options, default_version=False).path
    database.dispose()
    return paths


def _table_rows(markdown: str, header: tuple[str, ...]) -> list[list[str]]:
    """The rows of the Markdown table whose header is ``header``."""
    lines, rows, inside = markdown.splitlines(), [], False
    for line in lines:
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")] if line.startswith("|") else None
        if cells is None:
            inside = False
            continue
        if tuple(cells) == header:
            inside = True
            continue
        if inside and not re.fullmatch(r"[-: |]+", line):
            rows.append([re.sub(r"\\(.)", r"\1", cell) for cell in cells])
    return rows


def test_document_summary_csv_and_json_state_the_same_rules(exported):
    rows = list(csv.DictReader(exported["rules.csv"].open(encoding="utf-8", newline="")))
    model = json.loads(exported["rules.json"].read_text(encoding="utf-8"))
    agreement_md = exported["agreement.md"].read_text(encoding="utf-8")
    summary_md = exported["summary.md"].read_text(encoding="utf-8")

    csv_rules: dict[str, dict] = {}
    for row in rows:  # one row per condition
        rule = csv_rules.setdefault(row["label"], {"points": row["points"], "group": row["group"], "conditions": [],
                                                   "step": row["sales_step"], "status": row["status"]})
        if row["field_key"]:
            rule["conditions"].append((row["field_key"], row["operator_key"]))
    json_rules = {r["label"]: {"points": str(r["points"]), "group": r["group"], "step": r["sales_step"] or "",
                               "status": r["status"],
                               "conditions": [(c["field"], c["operator"]) for c in r["conditions"]]}
                  for r in model["rules"]}
    assert csv_rules == json_rules
    names = list(json_rules)
    # the knock-outs without a working rule are there too, said as what they are
    assert json_rules["Duplicate lead"]["status"] == "sales step" and "DUPLICATE" in json_rules["Duplicate lead"]["step"]
    assert json_rules["Vendor, agency or reseller"]["status"] == "inactive"
    assert json_rules["Competitor"]["status"] == "active"
    assert ("title", "contains_any") in json_rules["Student or academic"]["conditions"]

    scoring = {row[1]: row for row in _table_rows(agreement_md, ("Axis", "Rule", "Condition", "Points"))}
    summary = {row[0]: row for row in _table_rows(summary_md, ("Rule", "Condition", "Points"))}
    assert list(scoring) == names and list(summary) == names
    for name, rule in json_rules.items():
        effect = "knock-out" if rule["group"] == "knock-out" else f"{int(rule['points']):+d}"
        assert scoring[name][3] == effect and summary[name][2] in (effect, "—"), name
        words = next(r["in_words"] for r in model["rules"] if r["label"] == name)
        # documents shorten long word lists ("… and 40 more"); what they say starts the same way
        for document in (scoring[name][2], summary[name][1]):
            shown = re.split(r" and \d+ more", document)[0]
            assert words.startswith(shown.split(" (")[0][:40]), (name, document, words)
    # a step for Sales reads as one in the documents
    assert "Sales step:" in scoring["Duplicate lead"][2] and "Sales checks by hand: Duplicate lead" in summary_md
    assert "Inactive until the company list is filled in on the Definition page" in scoring["Vendor, agency or reseller"][2]
    # one name per rule: the lead-source value reads as the label, never as the internal key
    pricing = json_rules["Asked for pricing"]
    assert pricing["conditions"][0] == ("lead_source", "is_any_of")
    assert "“Asked for pricing”" in scoring["Asked for pricing"][2] and "pricing_page" not in agreement_md
    assert next(r for r in rows if r["label"] == "Asked for pricing")["value"] == "Asked for pricing"
