"""The monthly review on six generated periods with planted effects (tests/review_data.py):
each effect is found in its period, and nothing else is."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest

from alignwork.backtest.leads import read_csv_bytes
from alignwork.definition import versions
from alignwork.definition.criteria import Criterion
from alignwork.review import meeting, periods, proposals
from tests.review_data import (DEFINITION, HEADER, PERIODS, STUDENT_SPELLINGS, agreed_workshop, period_csv,
                               period_rows)


def _csv(rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=HEADER, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _table(period: str, data: bytes | None = None):
    table = read_csv_bytes(data if data is not None else period_csv(period))
    table.file_name = f"crm-{period}.csv"
    return table


@pytest.fixture
def reviewed(session):
    workshop = agreed_workshop(session)
    rows = {}
    for period in PERIODS:
        rows[period], _ = periods.add_period(session=session, workshop_id=workshop.id, period=period,
                                             table=_table(period))
    return workshop, rows


def test_each_planted_effect_is_found_in_its_period_and_nothing_else(reviewed):
    _workshop, rows = reviewed
    found = {period: sorted(f["id"] for f in row.findings) for period, row in rows.items()}
    rule = "criterion:mql.webinar"
    assert found == {"2027-01": [rule], "2027-02": [rule], "2027-03": [rule],
                     "2027-04": [rule, "won:disqualifiers.personal"], "2027-05": [rule],
                     "2027-06": [rule, "reason:NO_BUDGET"]}


def test_findings_link_to_their_leads_and_propose_a_concrete_change(reviewed):
    _workshop, rows = reviewed
    source = list(csv.DictReader(io.StringIO(period_csv("2027-04").decode())))
    by_line = {index + 2: row for index, row in enumerate(source)}  # line 1 is the header
    findings = {f["id"]: f for f in rows["2027-04"].findings}
    students = findings["criterion:mql.webinar"]
    assert students["lines"] and all(by_line[line]["Lead Source"] == "Webinar" for line in students["lines"])
    assert all(by_line[line]["Lead Status"] == "Rejected" for line in students["lines"])
    assert students["proposal"] | {"text": ""} == {"change": "add_knockout", "attribute": "email_type",
                                                   "value": "student", "text": ""}
    won = findings["won:disqualifiers.personal"]
    assert won["leads"] == 1 and by_line[won["lines"][0]]["Email"] == "founder.cmo@gmail.com"
    assert won["proposal"]["change"] == "drop_criterion"
    growth = next(f for f in rows["2027-06"].findings if f["kind"] == "reason_growth")
    assert growth["code"] == "NO_BUDGET" and growth["leads"] == len(growth["lines"])
    june = list(csv.DictReader(io.StringIO(period_csv("2027-06").decode())))
    assert {june[line - 2]["Rejection Reason"] for line in growth["lines"]} == {"No budget"}


def test_key_metrics_are_counted_from_the_file(reviewed):
    _workshop, rows = reviewed
    source = period_rows("2027-02")
    metrics = rows["2027-02"].metrics
    sent = [r for r in source if r["Lead Status"] not in ("Nurture", "New", "Open")]
    returned = [r for r in sent if r["Rejection Reason"]]
    won = [r for r in sent if r["Lead Status"] == "Closed Won"]
    accepted = [r for r in sent if r["Lead Status"] in ("SQL", "Working", "Closed Won", "Closed Lost")]
    assert (metrics["leads"], metrics["sent"], metrics["returned"], metrics["won"], metrics["accepted"]) == \
        (len(source), len(sent), len(returned), len(won), len(accepted))
    by_code = {row["code"]: row["leads"] for row in metrics["returned_by_code"]}
    # "Student", "Studnet", "Student / academic"…: all one code
    assert by_code["STUDENT"] == sum(r["Rejection Reason"] in STUDENT_SPELLINGS for r in returned)
    assert by_code["DUPLICATE"] == sum(r["Rejection Reason"] == "duplicate" for r in returned)
    assert metrics["unknown_reasons"] == [{"reason": "Already a customer",
                                           "leads": sum(r["Rejection Reason"] == "Already a customer" for r in returned)}]
    fmt = "%Y-%m-%d %H:%M"
    hours = [(datetime.strptime(r["First Contacted"], fmt) - datetime.strptime(r["Create Date"], fmt)).total_seconds()
             / 3600 for r in sent]
    assert metrics["sla"] == {"hours": 24, "measured": len(sent), "within": sum(h <= 24 for h in hours),
                              "share": round(sum(h <= 24 for h in hours) / len(sent), 4)}
    goal = metrics["goal"]
    assert goal["baseline"]["quality"] == 0.12 and goal["baseline"]["source"] == "back-test of history.csv"
    assert goal["volume_ratio"] == round(len(sent) / len(source), 3)
    assert goal["quality_ratio"] == round(metrics["quality"] / 0.12, 3) and goal["quality_progress"] == 1.0


def test_accepting_a_proposal_starts_a_draft_and_changes_nothing_else(session, reviewed):
    workshop, rows = reviewed
    period = rows["2027-04"]
    draft = proposals.accept_proposal(session=session, period_id=period.id, finding_id="criterion:mql.webinar")
    body = versions.load_definition(draft)
    added = [c for c in body.criteria if c.id.startswith("manual.review.")]
    assert [(c.attribute, c.value, c.knockout) for c in added] == [("email_type", "student", True)]
    assert "2027-04 review" in added[0].rationale
    agreed = versions.get_version(session=session, workshop_id=workshop.id, number=1)
    assert versions.load_definition(agreed) == DEFINITION  # the agreed version never changes
    with pytest.raises(proposals.ProposalError, match="already accepted"):
        proposals.accept_proposal(session=session, period_id=period.id, finding_id="criterion:mql.webinar")
    # a second proposal joins the same draft
    draft = proposals.accept_proposal(session=session, period_id=period.id, finding_id="won:disqualifiers.personal")
    body = versions.load_definition(draft)
    assert body.criterion("disqualifiers.personal").decision == "rejected"
    assert [c.id for c in body.criteria if c.id.startswith("manual.review.")] == ["manual.review.1"]
    # re-adding the period keeps what the meeting accepted, aired and decided
    periods.set_issues(session=session, period_id=period.id, issues=["Webinar list goes to Sales unfiltered", " "])
    periods.set_decisions(session=session, period_id=period.id,
                          decisions=[{"decision": "Knock students out", "owner": "Ana", "due": "2027-05-10"}])
    again, _ = periods.add_period(session=session, workshop_id=workshop.id, period="2027-4", table=_table("2027-04"))
    assert again.id == period.id and again.issues == ["Webinar list goes to Sales unfiltered"]
    assert again.decisions == [{"decision": "Knock students out", "owner": "Ana", "due": "2027-05-10"}]
    assert {f["id"] for f in again.findings if f["accepted"]} == {"criterion:mql.webinar", "won:disqualifiers.personal"}


def test_a_student_knockout_ends_the_rule_finding_and_shows_the_students_sales_won(session):
    fixed = DEFINITION.model_copy(deep=True)
    fixed.criteria.append(Criterion(id="disqualifiers.student", section="disqualifiers", label="Student",
                                    attribute="email_type", operator="equals", value="student", knockout=True))
    workshop = agreed_workshop(session, definition=fixed)
    row, _ = periods.add_period(session=session, workshop_id=workshop.id, period="2027-01", table=_table("2027-01"))
    # the webinar rule no longer lets students in; the few students Sales won (1 in 20 of them) the
    # knock-out now stops, and the review says so
    assert [f["id"] for f in row.findings] == ["won:disqualifiers.student"]


def test_bad_input_is_refused_in_one_line_and_nothing_is_stored(session):
    workshop = agreed_workshop(session)
    for text in ("2027-13", "January", "27-01", ""):
        with pytest.raises(periods.ReviewError, match="YYYY-MM"):
            periods.add_period(session=session, workshop_id=workshop.id, period=text, table=_table("2027-01"))
    with pytest.raises(periods.ReviewError, match="decision 1 has an owner"):
        row, _ = periods.add_period(session=session, workshop_id=workshop.id, period="2027-01",
                                    table=_table("2027-01"))
        periods.set_decisions(session=session, period_id=row.id, decisions=[{"owner": "Ana"}])
    assert periods.list_periods(session=session, workshop_id=workshop.id)[0].decisions == []
    with pytest.raises(periods.ReviewError, match="no column 'Nope'"):
        periods.add_period(session=session, workshop_id=workshop.id, period="2027-02", table=_table("2027-02"),
                           overrides=["Nope=reason"])
    assert [p.period for p in periods.list_periods(session=session, workshop_id=workshop.id)] == ["2027-01"]


def test_a_file_without_status_or_timestamps_still_reviews(session):
    workshop = agreed_workshop(session)
    data = "Job Title,Industry,Email,Lead Source,Why returned\nCMO,SaaS,a@acme.io,Demo request,\n" \
           "Student,Education,b@state.edu,Webinar,studnet\n"
    row, _ = periods.add_period(session=session, workshop_id=workshop.id, period="2027-01",
                                table=_table("2027-01", data.encode()), overrides=["Why returned=reason"])
    metrics = row.metrics
    assert (metrics["leads"], metrics["sent"], metrics["returned"], metrics["sla"]) == (2, 2, 1, None)
    assert [r["leads"] for r in metrics["returned_by_code"] if r["code"] == "STUDENT"] == [1]


def test_the_next_review_follows_the_agreed_cadence():
    assert meeting.next_review(DEFINITION.sla, [], today=date(2027, 1, 20)).due == date(2027, 2, 3)
    held = meeting.next_review(DEFINITION.sla, [date(2027, 2, 3)], today=date(2027, 2, 4))
    assert (held.due, held.overdue) == (date(2027, 3, 3), False)
    late = meeting.next_review(DEFINITION.sla, [date(2027, 1, 10)], today=date(2027, 2, 10))
    assert late.overdue and "overdue" in late.text(date(2027, 2, 10))
    quarterly = DEFINITION.model_copy(update={"sla": {**DEFINITION.sla, "review_meeting": "quarterly"}})
    assert meeting.next_review(quarterly.sla, [date(2027, 2, 3)], today=date(2027, 2, 3)).due == date(2027, 5, 3)
    assert meeting.next_review(DEFINITION.sla, [], today=date(2027, 2, 2)).text(date(2027, 2, 2)) == \
        "Next monthly review: 3 Feb 2027 (tomorrow)."


def test_the_workshop_says_when_its_next_review_is_due(session):
    from alignwork.review.meeting import workshop_next_review
    from alignwork.store import create_workshop

    fresh = create_workshop(session=session, name="Not agreed yet")
    assert workshop_next_review(session=session, workshop_id=fresh.id) is None
    workshop = agreed_workshop(session)
    due = workshop_next_review(session=session, workshop_id=workshop.id, today=date(2027, 1, 20))
    assert (due.due, due.overdue) == (date(2027, 2, 3), False)
    late = workshop_next_review(session=session, workshop_id=workshop.id, today=date(2027, 2, 20))
    assert late.overdue  # no review held since 3 Feb


def test_a_file_with_attributes_only_reviews_as_all_sent(session):
    workshop = agreed_workshop(session)
    data = "Job Title,Industry,Email,Lead Source\nCMO,SaaS,a@acme.io,Demo request\nStudent,Education,b@state.edu,Webinar\n"
    row, _ = periods.add_period(session=session, workshop_id=workshop.id, period="2027-02",
                                table=_table("2027-02", data.encode()))
    metrics = row.metrics
    assert (metrics["leads"], metrics["sent"], metrics["returned"], metrics["won"]) == (2, 2, 0, 0)
    assert metrics["returned_by_code"][0] == {"code": "STUDENT", "label": "Student or academic", "leads": 0,
                                              "share": 0.0}
    assert metrics["sla"] is None and row.findings == []


def test_rules_sharing_a_label_are_told_apart_and_still_found(session):
    """Two rules with one label: the review tells which fired by rule id, not by the reasons'
    labels, so the webinar finding counts the webinar leads alone, as without the second rule."""
    shared = DEFINITION.model_copy(deep=True)
    shared.criteria.append(Criterion(id="mql.webinar_de", section="mql", label="Attended a webinar",
                                     attribute="lead_source", operator="in", value=["event"], points=25,
                                     axis="intent"))
    found = {}
    for name, definition in (("plain", DEFINITION), ("shared", shared)):
        workshop = agreed_workshop(session, name=name, definition=definition)
        row, _ = periods.add_period(session=session, workshop_id=workshop.id, period="2027-01",
                                    table=_table("2027-01"))
        found[name] = {f["id"]: f for f in row.findings}
    webinar = found["shared"]["criterion:mql.webinar"]
    assert webinar["leads"] == found["plain"]["criterion:mql.webinar"]["leads"] > 0
    assert webinar["lines"] == found["plain"]["criterion:mql.webinar"]["lines"]
    assert "criterion:mql.webinar_de" not in found["shared"]  # Sales keeps the event leads


@pytest.mark.parametrize("dropped", [False, True])
def test_a_backtest_that_hashed_none_of_the_review_columns_reviews_alike(session, dropped):
    """``review_table`` has the back-test hash the status, reason and time-stamp columns with the
    attributes; ``review_scored`` on a plain back-test reads them itself, to the same metrics, also
    when rows with an unreadable head count were dropped (its rows then align by line)."""
    from alignwork.backtest.run import run_backtest
    from alignwork.review.metrics import review_scored

    workshop = agreed_workshop(session)
    rows = period_rows("2027-04")
    if dropped:
        for row in rows[5::40]:
            row["Number of Employees"] = "lots"
    table = _table("2027-04", _csv(rows))
    prepared = periods.prepare(session=session, workshop_id=workshop.id, table=table)
    shared = periods.review_table(table, DEFINITION, prepared, sla_hours=24)
    alone = review_scored(run_backtest(table, DEFINITION, prepared.mapping), prepared.columns, DEFINITION,
                          sla_hours=24)
    assert shared.metrics["sla"] is not None and shared.metrics["returned"]
    assert shared.metrics["bad_lines"] == (len(rows[5::40]) if dropped else 0)
    assert alone.metrics == shared.metrics
    assert alone.frame.select("step", "code", "within").equals(shared.frame.select("step", "code", "within"))


def test_time_stamps_in_no_format_anyone_knows_are_not_times(session):
    """A created or first-contact column of words ("soon", "n/a") or half-readable values: the
    review measures the SLA on the readable ones only, instead of failing the whole month."""
    workshop = agreed_workshop(session)
    data = ("Job Title,Email,Lead Status,Create Date,First Contacted\n"
            "CMO,a@acme.io,MQL,soon,later\nVP Marketing,b@acme.io,SQL,n/a,asap\n")
    row, _ = periods.add_period(session=session, workshop_id=workshop.id, period="2027-02",
                                table=_table("2027-02", data.encode()))
    assert (row.metrics["sent"], row.metrics["sla"]["measured"], row.metrics["sla"]["share"]) == (2, 0, None)
    mixed = data + ("Head of Growth,c@acme.io,MQL,03/02/2027 10:00,03/02/2027 12:30\n"  # day-first: 13 below
                    "CMO,d@acme.io,MQL,13/02/2027 09:00,14/02/2027 11:00\n")
    row, _ = periods.add_period(session=session, workshop_id=workshop.id, period="2027-03",
                                table=_table("2027-03", mixed.encode()))
    assert (row.metrics["sla"]["measured"], row.metrics["sla"]["within"]) == (2, 1)


def test_a_german_crm_export_reviews_like_an_english_one(session):
    """Headers, statuses and rejection reasons in German, typed as a German CRM exports them (not
    as any word list spells them): the status, reason, owner and both times are found by their
    words, statuses read as funnel steps, and reasons onto the agreed codes."""
    from alignwork.review.columns import find_columns, step_of

    header = ["E-Mail-Adresse", "Berufsbezeichnung", "Branche", "Lead-Status", "Grund der Ablehnung",
              "Verantwortlicher", "Angelegt am", "Datum Erstkontakt"]
    found = find_columns(header, {"E-Mail-Adresse", "Berufsbezeichnung", "Branche", "Lead-Status"})
    assert found.columns == {"status": "Lead-Status", "reason": "Grund der Ablehnung", "owner": "Verantwortlicher",
                             "created": "Angelegt am", "contacted": "Datum Erstkontakt"}
    assert [step_of(s) for s in ("Abgelehnt", "In Bearbeitung", "Gewonnen", "Verloren", "Neu", "Nicht qualifiziert",
                                 "Termin vereinbart", "Zurückgegeben")] == \
        ["returned", "accepted", "won", "lost", "kept", "returned", "accepted", "returned"]
    rows = [("anna@firma.de", "Marketingleiterin", "Software", "Abgelehnt", "Studentin", "Jana Wolf",
             "03.02.2027 10:00", "03.02.2027 11:30"),
            ("ben@firma.de", "Marketingleiter", "Software", "Nicht qualifiziert", "Kein Budget", "Jana Wolf",
             "04.02.2027 09:00", ""),
            ("cem@firma.de", "Vertriebsleiter", "Handel", "In Bearbeitung", "", "Uwe Roth",
             "05.02.2027 08:00", "06.02.2027 15:00"),
            ("dora@firma.de", "CMO", "Software", "Gewonnen", "", "Uwe Roth", "06.02.2027 08:00", "06.02.2027 08:20")]
    data = ";".join(header) + "\n" + "".join(";".join(row) + "\n" for row in rows)
    workshop = agreed_workshop(session)
    row, _ = periods.add_period(session=session, workshop_id=workshop.id, period="2027-02",
                                table=_table("2027-02", data.encode()))
    metrics = row.metrics
    assert (metrics["sent"], metrics["returned"], metrics["won"]) == (4, 2, 1)
    by_code = {r["code"]: r["leads"] for r in metrics["returned_by_code"]}
    assert (by_code["NO_BUDGET"], by_code["STUDENT"], metrics["unknown_reasons"]) == (1, 1, [])
    assert [(o["owner"], o["sent"], o["returned"], o["won"]) for o in metrics["owners"]] == \
        [("Jana Wolf", 2, 2, 0), ("Uwe Roth", 2, 0, 1)]
    assert (metrics["sla"]["measured"], metrics["sla"]["within"]) == (4, 2)


def test_won_leads_below_the_bar_never_get_a_bar_at_zero(session):
    """Sales won leads the definition scored at zero or below: no MQL threshold lets them pass
    without passing every lead, so the proposal is no points for the negative rule that held them
    back; with some scored above zero, the threshold is the lowest of those."""
    from alignwork.review.findings import find_findings

    definition = DEFINITION.model_copy(deep=True)
    definition.criteria = [c for c in definition.criteria if not c.knockout] + [
        Criterion(id="disqualifiers.freemail", section="disqualifiers", label="Free-mail address", attribute="email_type",
                  operator="in", value=["personal"], points=-20)]
    workshop = agreed_workshop(session, definition=definition)

    def below(rows):
        table = _table("2027-02", "\n".join(rows).encode())
        prepared = periods.prepare(session=session, workshop_id=workshop.id, table=table)
        period = periods.review_table(table, definition, prepared, sla_hours=None)
        return next(f for f in find_findings(period, []) if f["id"] == "won:below_mql")

    rows = ["Job Title,Email,Lead Status", "Office Manager,kim@gmail.com,Closed Won",
            "Office Manager,lee@yahoo.com,Closed Won", "Office Manager,max@acme.io,Closed Lost"]
    found = below(rows)
    assert found["detail"].startswith("Score -20;")
    assert found["proposal"] | {"text": ""} == {"change": "set_points", "criterion_id": "disqualifiers.freemail",
                                                "points": 0, "text": ""}
    assert found["leads"] == 2 and "held back 2 of these won leads" in found["proposal"]["text"]
    found = below([*rows, "Marketing Manager,sam@acme.io,Closed Won"])  # 10 points: works in marketing
    assert found["proposal"]["change"] == "set_mql_threshold" and found["proposal"]["mql_threshold"] == 10
    assert found["detail"].startswith("Scores -20 to 10;")
