"""A whole back-test: outcomes, conversion, lift, calibration, export, records, drafts."""

from __future__ import annotations

import csv

import pytest

from alignwork.definition import versions
from alignwork.backtest.run import run_backtest
from alignwork.backtest.history import (
    BacktestError, choose_definition, export_scored, list_runs, record_run, same_rules, save_calibrated_draft,
)
from alignwork.definition.criteria import Criterion, Definition
from alignwork.backtest.leads import read_csv_bytes
from alignwork.backtest.mapping import auto_mapping
from alignwork.models import DefinitionVersion
from alignwork.progress import Cancelled, Progress
from alignwork.store import StoreError, create_workshop

pytestmark = pytest.mark.backends  # SQLite and PostgreSQL

DEFINITION = Definition(mql_threshold=30, sql_threshold=60, sql_min_intent=20, criteria=[
    Criterion(id="saas", section="ideal_company", label="Software", attribute="industry", operator="in",
              value=["Software/SaaS"], points=30),
    Criterion(id="mkt", section="persona", label="Marketing", attribute="function", operator="in",
              value=["Marketing"], points=10),
    Criterion(id="demo", section="sql", label="Demo", attribute="lead_source", operator="in",
              value=["demo_request"], points=30, axis="intent"),
    Criterion(id="gmail", section="disqualifiers", label="Personal e-mail", attribute="email_type",
              operator="equals", value="personal", knockout=True),
])

# scores: 70 SQL, 40 MQL, 30 MQL, 10 nurture, 0 nurture, 70 disqualified, 30 MQL, 0 nurture
LEADS = ("Job Title;Industry;Email;Lead Source;Stage;Segment note\n"
         "CMO;SaaS;a@acme.io;Demo request;Closed Won;=HYPERLINK(\"x\")\n"     # 2
         "Marketing Manager;SaaS;b@acme.io;Webinar;Closed Won;+1 fast\n"       # 3
         "Engineer;Software;c@soft.io;;Closed Lost;-\n"                        # 4
         "VP Marketing;Retail;d@shop.com;;Closed Lost;@mention\n"              # 5
         "Engineer;Retail;e@shop.com;Webinar;Open;ok\n"                        # 6
         "CMO;SaaS;someone@gmail.com;Demo request;Closed Won;\n"               # 7
         "Founder;SaaS;f@x.io;Event;Closed Lost;\n"                            # 8
         "Dev;Retail;g@y.io;Event;Closed Lost;\n").encode()                    # 9


@pytest.fixture
def result():
    table = read_csv_bytes(LEADS)
    table.file_name = "leads.csv"
    return run_backtest(table, DEFINITION, auto_mapping(table.columns))


def test_summary_counts_conversion_lift_and_confusion(result):
    summary = result.summary()
    assert summary["rows"] == 8 and summary["scored"] == 8 and summary["bad_lines"] == []
    assert summary["stages"] == {"SQL": 1, "MQL": 3, "nurture": 3, "disqualified": 1}
    assert summary["pass_rate"] == 0.5
    assert summary["volume"] == {"today": 8, "passing": 4, "target": 4}
    assert summary["thresholds"] == {"mql": 30, "sql": 60, "sql_min_intent": 20}
    assert result.mapping.outcome_column == "Stage"
    # known outcomes: 7 (line 6 is "Open"). passing: won 2, lost 2; failing: won 1 (knocked out), lost 2
    assert summary["confusion"] == {"passing": {"positive": 2, "negative": 2},
                                    "failing": {"positive": 1, "negative": 2}}
    assert summary["conversion"] == {"passing": 0.5, "failing": round(1 / 3, 4), "overall": round(3 / 7, 4)}
    assert summary["lift"] == round(0.5 / round(3 / 7, 4), 3)
    assert summary["score_distribution"] == [{"score": 0, "count": 2}, {"score": 10, "count": 1},
                                             {"score": 30, "count": 2}, {"score": 40, "count": 1},
                                             {"score": 70, "count": 2}]
    industry = {row["segment"]: (row["leads"], row["passing"]) for row in summary["segments"]["industry"]}
    assert industry == {"Software/SaaS": (5, 4), "Retail & e-commerce": (3, 0)}
    # lead sources read as the documents say them; the kind matched stays as "key"
    sources = {row["key"]: (row["segment"], row["leads"]) for row in summary["segments"]["lead_source"]}
    assert sources == {"demo_request": ("Requested a demo", 2), "webinar": ("Attended a webinar", 2),
                       "event": ("Met at an event", 2), "(unknown)": ("(unknown)", 2)}


def test_calibration_matches_a_full_rescore_at_every_threshold(result):
    table = read_csv_bytes(LEADS)
    for threshold in result.calibration.candidate_thresholds():
        again = run_backtest(table, DEFINITION.model_copy(update={"mql_threshold": threshold}),
                             auto_mapping(table.columns))
        fast, slow = result.calibration.at(threshold), again.calibration.at(threshold)
        assert fast == slow
        assert result.staged(threshold)["stage"].to_list() == again.scored["stage"].to_list()


def test_halving_the_volume(result):
    assert result.calibration.halving_threshold() == 30  # 4 of 8 pass; 31..40 would pass 2
    assert result.calibration.at(41)["volume"]["passing"] == 1  # the SQL lead passes whatever the MQL bar


def test_halving_picks_the_lowest_bar_that_gives_the_volume():
    from alignwork.backtest.run import Calibration

    # six leads scored 90, 85, 63 (all SQL-ready), 59, 31, and one knocked out: half is 3
    groups = [(90, False, True, None, 1), (85, False, True, None, 1), (63, False, True, None, 1),
              (59, False, False, None, 1), (31, False, False, None, 1), (-2, True, False, None, 1)]
    calibration = Calibration(groups=groups, sql_threshold=50, sql_min_intent=20)
    # the bar at 63 passes the three SQL leads; 85, 90 or 91 would pass the same three, only stricter
    assert calibration.halving_threshold() == 63
    assert calibration.stages(63) == calibration.stages(91) == {"SQL": 3, "MQL": 0, "nurture": 2, "disqualified": 1}


def test_cancel_stops_the_run():
    table = read_csv_bytes(LEADS)
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        run_backtest(table, DEFINITION, auto_mapping(table.columns), progress=progress)


def test_export_keeps_columns_appends_scores_and_neutralises_formulas(result, tmp_path):
    path = export_scored(result, tmp_path / "scored.csv", mql_threshold=35)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["Job Title", "Industry", "Email", "Lead Source", "Stage", "Segment note",
                       "fit_score", "intent_score", "score", "stage", "knocked_out_by", "reasons"]
    assert len(rows) == 9
    assert rows[1][5] == "'=HYPERLINK(\"x\")" and rows[2][5] == "'+1 fast" and rows[3][5] == "'-"
    assert rows[4][5] == "'@mention"
    assert rows[1][6:] == ["40", "30", "70", "SQL", "", "Software (+30); Marketing (+10); Demo (+30)"]
    assert rows[3][6:10] == ["30", "0", "30", "nurture"]  # MQL at 30, nurture at the calibrated 35
    assert rows[6][9:] == ["disqualified", "GMAIL", "Software (+30); Marketing (+10); Demo (+30); Personal e-mail (knock-out)"]
    assert [p.name for p in tmp_path.iterdir()] == ["scored.csv"]  # no temp file left behind


def test_runs_are_recorded_and_calibrated_thresholds_go_to_a_new_draft(session, result):
    workshop = create_workshop(session=session, name="Q3")
    saved = DefinitionVersion(workshop_id=workshop.id, number=1, status="saved",
                              body=DEFINITION.model_dump(mode="json"))
    session.add(saved)
    session.commit()
    version, definition = choose_definition(session=session, workshop_id=workshop.id, number=1)
    assert version.id == saved.id and definition == DEFINITION
    with pytest.raises(StoreError, match="no definition version 7"):
        choose_definition(session=session, workshop_id=workshop.id, number=7)

    run = record_run(session=session, workshop_id=workshop.id, result=result, version=version)
    assert (run.version_number, run.rows, run.scored, run.bad_lines, run.pass_rate) == (1, 8, 8, 0, 0.5)
    assert run.stages["MQL"] == 3 and run.conversion["lift"] == result.summary()["lift"]
    assert [r.id for r in list_runs(session=session, workshop_id=workshop.id)] == [run.id]

    draft = save_calibrated_draft(session=session, workshop_id=workshop.id, mql_threshold=35)
    assert draft.number is None and draft.based_on_id == saved.id
    stored = versions.load_definition(draft)
    assert (stored.mql_threshold, stored.sql_threshold) == (35, 60) and "mql_threshold" in stored.edited
    assert versions.load_definition(versions.get_version(session=session, workshop_id=workshop.id, number=1)) \
        .mql_threshold == 30  # the saved version never changes
    draft_version, draft_definition = choose_definition(session=session, workshop_id=workshop.id)
    assert draft_version.id == draft.id and draft_definition.mql_threshold == 35
    assert same_rules(draft_definition, definition)

    # the draft's own edits survive a later calibration
    edited = draft_definition.model_copy(deep=True)
    edited.criteria[0].points = 99
    versions.update_draft(session=session, workshop_id=workshop.id, definition=edited)
    again = versions.load_definition(save_calibrated_draft(session=session, workshop_id=workshop.id,
                                                           mql_threshold=50, sql_threshold=80))
    assert (again.criteria[0].points, again.mql_threshold, again.sql_threshold) == (99, 50, 80)
    assert not same_rules(again, definition)

    # an MQL bar above the SQL one raises the SQL bar to match; a lower explicit SQL is refused
    raised = versions.load_definition(save_calibrated_draft(session=session, workshop_id=workshop.id,
                                                            mql_threshold=83))
    assert (raised.mql_threshold, raised.sql_threshold) == (83, 83)
    with pytest.raises(BacktestError, match="SQL threshold .50. cannot be below the MQL threshold .63."):
        save_calibrated_draft(session=session, workshop_id=workshop.id, mql_threshold=63, sql_threshold=50)
    assert versions.load_definition(versions.current_draft(session=session, workshop_id=workshop.id)) \
        .mql_threshold == 83  # the refusal wrote nothing


def test_a_definition_without_scoring_criteria_is_refused(session):
    workshop = create_workshop(session=session, name="Empty")
    session.add(DefinitionVersion(workshop_id=workshop.id, number=1, status="saved",
                                  body=Definition(criteria=[]).model_dump(mode="json")))
    session.commit()
    with pytest.raises(BacktestError, match="version 1 has no criteria that score leads"):
        choose_definition(session=session, workshop_id=workshop.id, number=1)


def test_the_summary_counted_on_codes_agrees_with_the_scored_rows():
    """Stages, calibration groups, knock-out reasons and segments are counted on the columns'
    codes and the combinations of fired criteria, never on the rows: they must be what the rows
    of ``result.scored`` say, on a file with dropped rows (unreadable sizes) and gaps."""
    import random

    import polars as pl

    from alignwork.backtest.attributes import OUTCOME
    from alignwork.backtest.run import SEGMENT_ATTRIBUTES
    from alignwork.definition import knockouts
    from alignwork.definition.criteria import Condition

    rng = random.Random(11)
    titles = ["VP Marketing", "vp mktg", "Werkstudent Marketing", "Head of Sales", "", "CTO", "Intern", "Leiterin Marketing",
              "Dir. Demand Gen", "PhD student"]
    industries = ["SaaS", "software", "Maschinenbau", "Retail", "", "Fintech", "Krankenhaus"]
    countries = ["Germany", "DE", "Österreich", "USA", "", "France", "u.k."]
    sources = ["Demo request", "Pricing page | Webinar", "Webinar", "", "Messe", "Free trial"]
    sizes = ["250", "51-200", "1.500", "n/a", "", "viele", "10,000+"]  # "viele": not a number, the row is dropped
    statuses = ["Closed Won", "Closed Lost", "Open", "", "gewonnen", "verloren"]
    lines = ["Job Title;Industry;Country;Lead Source;Employees;Email;Company;Stage"]
    for n in range(400):
        domain = rng.choice(["gmail.com", "uni-mannheim.de", f"firma{n % 37}.de", "rival.io"])
        lines.append(";".join([rng.choice(titles), rng.choice(industries), rng.choice(countries), rng.choice(sources),
                               rng.choice(sizes), f"p{n}@{domain}", rng.choice(["Rival GmbH", f"Firma {n % 37}", ""]),
                               rng.choice(statuses)]))
    table = read_csv_bytes("\n".join(lines).encode())
    definition = Definition(mql_threshold=20, sql_threshold=50, sql_min_intent=10, intent_cap=40, criteria=[
        Criterion(id="fit", section="ideal_company", label="Software in DACH", match="all", points=20, conditions=[
            Condition(field="industry", operator="is_any_of", value=["Software/SaaS"]),
            Condition(field="region", operator="is", value="DACH")]),
        Criterion(id="size", section="ideal_company", label="100+ staff", points=10, conditions=[
            Condition(field="employees", operator="greater_than", value=100)]),
        Criterion(id="mkt", section="persona", label="Marketing", points=15, conditions=[
            Condition(field="function", operator="is", value="Marketing")]),
        Criterion(id="intent", section="sql", label="Demo or pricing", points=30, axis="intent", conditions=[
            Condition(field="lead_source", operator="is_any_of", value=["demo_request", "pricing_page"])]),
        knockouts.apply_default(Criterion(id="disqualifiers.student", section="disqualifiers", label="Student",
                                          knockout=True), "STUDENT"),
        knockouts.with_company_list(knockouts.apply_default(Criterion(
            id="disqualifiers.competitor", section="disqualifiers", label="Competitor", knockout=True), "COMPETITOR"),
            ["Rival GmbH", "rival.io"]),
    ])
    result = run_backtest(table, definition, auto_mapping(table.columns))
    rows = result.scored
    assert 0 < rows.height < table.frame.height  # some rows were dropped, the codes followed
    assert result.summary()["scored"] == rows.height
    assert set(rows["stage"].to_list()) == {"SQL", "MQL", "nurture", "disqualified"}
    by_rows = rows.group_by("score", "knockout", "sql_ready", OUTCOME).len().rows()
    assert sorted(by_rows, key=str) == sorted((tuple(group) for group in result.calibration.groups), key=str)
    reasons = rows.filter(pl.col("knockout"))["first_knockout"].cast(pl.String).value_counts()
    assert result.disqualified_by_reason() == dict(sorted(reasons.rows(), key=lambda item: (-item[1], item[0])))
    assert set(result.disqualified_by_reason()) == {"STUDENT", "COMPETITOR"}
    for threshold in (0, 20, 35):
        segments = result.segments(threshold)
        passing = rows["stage"].cast(pl.String).is_in(["SQL", "MQL"]) if threshold == 20 else \
            result.staged(threshold)["stage"].cast(pl.String).is_in(["SQL", "MQL"])
        for attribute in SEGMENT_ATTRIBUTES:
            values = rows[attribute].cast(pl.String).fill_null("(unknown)")
            counted = pl.DataFrame({"v": values, "p": passing}).group_by("v").agg(pl.len(), pl.col("p").sum())
            expected = {v: (n, p) for v, n, p in counted.rows()}
            found = {row["key"]: (row["leads"], row["passing"]) for row in segments.get(attribute, [])}
            if "Other" not in found:
                assert found == expected or set(expected) == {"(unknown)"}, attribute


def test_a_german_crm_export_backtests_like_an_english_one():
    """Headers from a German portal are mapped by their words, so the rules act on the leads:
    working students and interns are knocked out, software companies in DACH score."""
    from alignwork.definition import knockouts
    from alignwork.definition.criteria import Condition

    data = ("Vorname;Berufsbezeichnung;Name des Unternehmens;Branche;Anzahl der Mitarbeiter;Land/Region;"
            "Quelle des Leads;E-Mail;Ergebnis\n"
            "Ana;Leiterin Marketing;Rival Soft GmbH;Software;250;Deutschland;Demo angefragt;ana@rivalsoft.de;Gewonnen\n"
            "Ben;Werkstudent Vertrieb;Acme AG;Software;1.200;Österreich;Webinar;ben@acme.at;Nicht qualifiziert\n"
            "Cem;Praktikantin Marketing;Initech;Maschinenbau;80;Schweiz;Messe;cem@initech.ch;Verloren\n"
            "Dora;Geschäftsführerin;Hooli GmbH;SaaS;45;Deutschland;Webinar;dora@hooli.de;Neu\n").encode()
    table = read_csv_bytes(data)
    mapping = auto_mapping(table.columns)
    assert {"Berufsbezeichnung", "Branche", "Anzahl der Mitarbeiter", "Land/Region", "Quelle des Leads",
            "E-Mail", "Name des Unternehmens"} <= set(mapping.columns)
    definition = Definition(mql_threshold=20, sql_threshold=60, criteria=[
        Criterion(id="fit", section="ideal_company", label="Software in DACH", match="all", points=30, conditions=[
            Condition(field="industry", operator="is", value="Software/SaaS"),
            Condition(field="region", operator="is", value="DACH")]),
        knockouts.apply_default(Criterion(id="disqualifiers.student", section="disqualifiers", label="Student",
                                          knockout=True), "STUDENT"),
    ])
    result = run_backtest(table, definition, mapping)
    stages = dict(zip(result.scored["_line"].to_list(), result.scored["stage"].cast(str).to_list()))
    assert stages == {2: "MQL", 3: "disqualified", 4: "disqualified", 5: "MQL"}
    assert result.disqualified_by_reason() == {"STUDENT": 2}
    assert mapping.outcome_column == "Ergebnis"  # won / not qualified / lost read; "Neu" unknown
    summary = result.summary()
    assert summary["outcomes"] == 3 and summary["conversion"]["passing"] == 1.0
    employees = dict(zip(result.scored["_line"].to_list(), result.scored["employees"].to_list()))
    assert employees[3] == 1200  # "1.200" read as a German thousands separator
