"""Knock-outs that act on real leads: students and interns by title and academic e-mail, job
seekers and recruiters by title, personal e-mail by free-mail domain, competitors by the list the
facilitator types — on a generated lead file whose titles, domains and company names come in
several spellings and cases. Every one of them is disqualified; no lead a knock-out matches
passes; the table and the one-lead scorer agree."""

from __future__ import annotations

import csv
import io
import random

import pytest

from alignwork.backtest.leads import read_csv_bytes
from alignwork.backtest.mapping import auto_mapping
from alignwork.backtest.run import run_backtest
from alignwork.backtest.scoring import condition_test, score_lead
from alignwork.definition import knockouts
from alignwork.definition.criteria import Condition, Criterion, Definition

STUDENT_TITLES = ["Student", "STUDENT", "student", "Marketing Intern", "intern", "INTERN - Sales", "Summer Intern",
                  "Graduate student", "PhD Student (Economics)", "Werkstudent Marketing", "Praktikantin Vertrieb",
                  "Stagiaire marketing", "Étudiant", "Becario de ventas", "Internship", "Sales-Intern",
                  "MBA Candidate", "Estagiário"]
JOB_SEEKER_TITLES = ["Recruiter", "Senior Technical Recruiter", "Talent Acquisition Partner", "Head Hunter",
                     "Open to work", "Seeking new opportunities", "Job Seeker", "RECRUITING COORDINATOR"]
# look like the words above, but are not students, interns or recruiters
LOOKALIKES = ["Internal Communications Manager", "International Sales Director", "VP Internet Services",
              "Head of Marketing", "CMO", "Director of Demand Generation"]
ACADEMIC_MAILS = ["kim@stanford.edu", "Kim@MIT.EDU", "j.doe@cs.ox.ac.uk", "anna@uni-mannheim.de",
                  "luca@student.polimi.it", "max@tum.de", "s@mail.utoronto.ca"]
FREE_MAILS = ["joe@gmail.com", "Joe@GMAIL.com", "x@yahoo.co.uk", "y@hotmail.fr", "z@web.de", "w@outlook.com"]
COMPETITORS = ["Rivalsoft", "acme.com", "https://www.contoso.io/"]  # what the facilitator types
COMPETITOR_LEADS = [  # (company, e-mail) in the ways a CRM holds them
    ("RivalSoft GmbH", "a@rivalsoft-mail.de"), ("RIVALSOFT", "b@x-corp.com"), ("Rival Soft, Inc.", "c@y.com"),
    ("rivalsoft ltd", "d@z.com"), ("Some Holding", "e@ACME.com"), ("Acme Europe", "f@eu.acme.com"),
    ("Contoso", "g@contoso.io"), ("Other", "h@mail.contoso.io"),
]


def _definition() -> Definition:
    def knockout(code: str, label: str) -> Criterion:
        return knockouts.apply_default(Criterion(id=f"disqualifiers.{code.lower()}", section="disqualifiers",
                                                 label=label, knockout=True), code)

    competitor = knockouts.with_company_list(knockout("COMPETITOR", "Competitor"), COMPETITORS)
    return Definition(mql_threshold=20, sql_threshold=40, sql_min_intent=10, criteria=[
        Criterion(id="fit.any", section="ideal_company", label="Has a company", points=30,
                  conditions=[Condition(field="company", operator="is_not_empty")]),
        Criterion(id="sql.demo", section="sql", label="Requested a demo", axis="intent", points=30,
                  conditions=[Condition(field="lead_source", operator="is_any_of", value=["demo_request"])]),
        knockout("STUDENT", "Student or academic"), knockout("JOB_SEEKER", "Job seeker or recruiter"),
        knockout("PERSONAL_EMAIL", "Personal email address"), competitor,
        knockout("SELLER", "Vendor, agency or reseller")])  # its list is still empty: inactive


def _leads(seed: int = 7) -> tuple[bytes, dict[int, str]]:
    """A CRM export (header row = line 1) and the reason code each knocked-out line must get."""
    rng = random.Random(seed)
    rows, expected = [], {}

    def add(title: str, email: str, company: str, code: str | None) -> None:
        rows.append([title, email, company, rng.choice(["Demo request", "Webinar", "Pricing page; Demo request"])])
        if code:
            expected[len(rows) + 1] = code

    for title in STUDENT_TITLES:
        add(title, f"{rng.randint(1, 999)}@bigcorp.com", "BigCorp", "STUDENT")
    for mail in ACADEMIC_MAILS:
        add("Researcher", mail, "Some University", "STUDENT")
    for title in JOB_SEEKER_TITLES:
        add(title, f"r{rng.randint(1, 99)}@staffers.com", "Staffers", "JOB_SEEKER")
    for mail in FREE_MAILS:
        add("Head of Marketing", mail, "Real Buyer Co", "PERSONAL_EMAIL")
    for company, mail in COMPETITOR_LEADS:
        add("VP Sales", mail, company, "COMPETITOR")
    for index in range(200):  # good leads, lookalike titles included
        add(rng.choice(LOOKALIKES), f"p{index}@buyer{index % 17}.com", f"Buyer {index % 17} AG", None)
    rng.shuffle(rows)  # lines move: recompute what each line expects
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Job Title", "Email", "Company Name", "Lead Source"])
    writer.writerows(rows)
    codes = {}
    for line, row in enumerate(rows, start=2):
        codes[line] = _expected_code(row)
    return buffer.getvalue().encode("utf-8"), codes


def _expected_code(row: list[str]) -> str | None:
    title, email, company, _source = row
    if title in STUDENT_TITLES or email in ACADEMIC_MAILS:
        return "STUDENT"
    if title in JOB_SEEKER_TITLES:
        return "JOB_SEEKER"
    if email in FREE_MAILS:
        return "PERSONAL_EMAIL"
    if (company, email) in COMPETITOR_LEADS:
        return "COMPETITOR"
    return None


@pytest.fixture(scope="module")
def scored():
    data, expected = _leads()
    table = read_csv_bytes(data)
    definition = _definition()
    result = run_backtest(table, definition, auto_mapping(table.columns))
    return result, expected, definition, table


def test_every_student_intern_job_seeker_personal_mail_and_competitor_is_disqualified(scored):
    result, expected, _definition, _table = scored
    frame = result.scored.select("_line", "stage", "first_knockout").rows()
    stage = {line: (stage, code) for line, stage, code in frame}
    wrong = {line: (stage[line], code) for line, code in expected.items()
             if (code is None and stage[line][0] == "disqualified") or (code and stage[line] != ("disqualified", code))}
    assert wrong == {}
    counts = result.summary()["disqualified_by_reason"]
    assert counts == {"STUDENT": 25, "COMPETITOR": 8, "JOB_SEEKER": 8, "PERSONAL_EMAIL": 6}
    assert sum(counts.values()) == result.summary()["stages"]["disqualified"]


def test_no_lead_passes_that_a_knockout_matches(scored):
    result, _expected, definition, _table = scored
    for criterion in (c for c in definition.scored_criteria() if c.knockout):
        # the criterion alone: every lead it matches must be disqualified in the full run
        alone = Definition(criteria=[criterion.model_copy(update={"points": 0})], mql_threshold=0)
        hit = run_backtest(scored[3], alone, result.mapping).scored
        matched = set(hit.filter(hit["knockout"])["_line"].to_list())
        assert matched, criterion.label
        passing = set(result.scored.filter(result.scored["stage"].cast(str).is_in(["SQL", "MQL"]))["_line"].to_list())
        assert not matched & passing, criterion.label


def test_one_lead_and_the_table_agree(scored):
    result, _expected, definition, table = scored
    by_line = {row["_line"]: row for row in result.scored.select("_line", "stage", "knocked_out_by").to_dicts()}
    for row in table.frame.head(80).to_dicts():
        lead = {"title": row["Job Title"], "email_type": row["Email"], "company": row["Company Name"],
                "lead_source": row["Lead Source"]}
        one = score_lead(definition, lead)
        assert (one.stage, "; ".join(one.knocked_out_by) or None) == \
            (by_line[row["_line"]]["stage"], by_line[row["_line"]]["knocked_out_by"]), lead


def test_a_company_list_knockout_is_inactive_until_filled():
    seller = _definition().criterion("disqualifiers.seller")
    assert knockouts.waiting_for_list(seller) and not seller.scored
    filled = knockouts.with_company_list(seller, ["Pitchy Agency", "pitchy.io"])
    assert filled.scored and not knockouts.waiting_for_list(filled)
    assert score_lead(Definition(criteria=[filled]), {"company": "PITCHY AGENCY LLC"}).stage == "disqualified"
    assert score_lead(Definition(criteria=[filled]), {"email_type": "ann@Pitchy.IO"}).stage == "disqualified"
    assert score_lead(Definition(criteria=[filled]), {"company": "Pitchy Bakery"}).stage != "disqualified"


def test_a_knockout_no_field_can_tell_is_a_step_for_sales():
    duplicate = knockouts.apply_default(Criterion(id="disqualifiers.duplicate", section="disqualifiers",
                                                  label="Duplicate lead", knockout=True), "DUPLICATE")
    assert not duplicate.conditions and "DUPLICATE" in duplicate.manual_step
    unknown = knockouts.apply_default(Criterion(id="disqualifiers.x", section="disqualifiers", label="Weird",
                                                knockout=True), "WEIRD_CODE")
    assert "WEIRD_CODE" in unknown.manual_step


def test_intent_adds_up_across_signals_and_is_capped():
    signals = [Criterion(id=f"sql.{kind}", section="sql", label=kind, axis="intent", points=points,
                         conditions=[Condition(field="lead_source", operator="is_any_of", value=[kind])])
               for kind, points in (("pricing_page", 20), ("demo_request", 30), ("free_trial", 25))]
    definition = Definition(criteria=signals, mql_threshold=10, sql_threshold=60, sql_min_intent=10)
    assert score_lead(definition, {"lead_source": "Pricing page; Demo request; Free trial"}).intent_score == 75
    assert score_lead(definition, {"lead_source": "Demo request"}).intent_score == 30
    definition.intent_cap = 50
    assert score_lead(definition, {"lead_source": "Pricing page; Demo request; Free trial"}).intent_score == 50
    table = read_csv_bytes(b"Email,Lead Source,Recent Conversion\na@b.com,Pricing page,Demo request\n"
                           b"c@d.com,Free trial,\n")
    mapping = auto_mapping(table.columns)
    from alignwork.backtest.mapping import set_target

    set_target(mapping, "Recent Conversion", "lead_source")  # a second column feeds the same signals
    set_target(mapping, "Lead Source", "lead_source")
    result = run_backtest(table, definition, mapping)
    assert result.scored["intent_score"].to_list() == [50, 25]


@pytest.mark.parametrize(("condition", "value", "fires"), [
    (Condition(field="title", operator="contains_any", value=["intern"]), "International Director", False),
    (Condition(field="title", operator="contains_any", value=["intern"]), "Marketing-INTERN", True),
    (Condition(field="title", operator="starts_with", value=["vp"]), "VP, Marketing", True),
    (Condition(field="email", operator="in_domain_list", value=["edu"]), "a@cs.MIT.edu", True),
    (Condition(field="email", operator="in_domain_list", value=["edu"]), "a@edu-corp.com", False),
    (Condition(field="employees", operator="between", value={"min": 50, "max": 200}), 200.0, True),
    (Condition(field="employees", operator="less_than", value=50), 50.0, False),
    (Condition(field="employees", operator="greater_than", value=50), 51.0, True),
    (Condition(field="Lead Status", operator="is", value="Unqualified"), "UNQUALIFIED", True),
    (Condition(field="Lead Status", operator="is_empty"), None, True),
    (Condition(field="country", operator="is_none_of", value=["Germany"]), None, False),
])
def test_operators(condition, value, fires):
    assert condition_test(condition)(value) is fires


@pytest.mark.parametrize(("data", "message"), [
    ({"field": "employees", "operator": "contains_any", "value": ["x"]}, "compares text"),
    ({"field": "title", "operator": "between", "value": {"min": 1}}, "compares numbers"),
    ({"field": "employees", "operator": "between", "value": {"min": 500, "max": 50}}, "upside down"),
    ({"field": "revenue_usd", "operator": "greater_than", "value": "lots"}, "must be a number"),
    ({"field": "title", "operator": "is", "value": " "}, "needs a value"),
    ({"field": "title", "operator": "sounds_like", "value": "x"}, "operator"),
])
def test_conditions_are_validated(data, message):
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match=message):
        Condition.model_validate(data)


def test_extra_crm_column_is_read_by_header_in_any_case():
    definition = Definition(mql_threshold=0, criteria=[Criterion(
        id="d.unq", section="disqualifiers", label="Marked unqualified", knockout=True,
        conditions=[Condition(field="lead status 2", operator="is_any_of", value=["Unqualified", "Bad fit"])])])
    table = read_csv_bytes(b"Email,Lead Status 2\na@b.com,unqualified\nc@d.com,Working\n")
    result = run_backtest(table, definition, auto_mapping(table.columns))
    assert result.scored["stage"].cast(str).to_list() == ["disqualified", "MQL"]
