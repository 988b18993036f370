"""Generated monthly CRM exports for review tests: six periods with three planted effects.

- every month: the webinar rule (+25) lets students in (Student, x@<college>.edu); Sales
  returns almost all of them as "Student" (typed several ways);
- 2027-04: one lead with a personal e-mail (knocked out by the definition) closed as won;
- 2027-06: "No budget" returns double.
Other leads pass or fail by the definition; passing ones are accepted, returned (about
one in ten, for other reasons) or won and lost at steady rates; failing ones stay in nurture.
"""

from __future__ import annotations

import csv
import io
import random
from datetime import datetime, timedelta

from alignwork.definition.criteria import Criterion, Definition, ReasonCode

PERIODS = ("2027-01", "2027-02", "2027-03", "2027-04", "2027-05", "2027-06")
HEADER = ["First Name", "Job Title", "Company", "Industry", "Number of Employees", "Email", "Country",
          "Lead Source", "Lead Status", "Rejection Reason", "Lead Owner", "Create Date", "First Contacted"]
OWNERS = ("Ana Ruiz", "Ben Okafor", "Chloé Martin", "Dev Patel")

DEFINITION = Definition(mql_threshold=40, sql_threshold=70, sql_min_intent=25, criteria=[
    Criterion(id="ideal_company.industry", section="ideal_company", label="Software or financial services",
              attribute="industry", operator="in", value=["Software/SaaS", "Financial services"], points=30),
    Criterion(id="ideal_company.size", section="ideal_company", label="50 to 5,000 employees",
              attribute="employees", operator="between", value={"min": 50, "max": 5000}, points=15),
    Criterion(id="persona.function", section="persona", label="Works in marketing", attribute="function",
              operator="in", value=["Marketing"], points=10),
    Criterion(id="mql.webinar", section="mql", label="Attended a webinar", attribute="lead_source",
              operator="in", value=["webinar"], points=25, axis="intent"),
    Criterion(id="sql.demo", section="sql", label="Asked for a demo", attribute="lead_source",
              operator="in", value=["demo_request"], points=40, axis="intent"),
    Criterion(id="disqualifiers.personal", section="disqualifiers", label="Personal e-mail address",
              attribute="email_type", operator="equals", value="personal", knockout=True),
], reason_codes=[
    ReasonCode(code="STUDENT", label="Student or academic"),
    ReasonCode(code="NO_BUDGET", label="No budget", examples=["too small to buy"]),
    ReasonCode(code="WRONG_PERSON", label="Wrong contact"),
    ReasonCode(code="DUPLICATE", label="Duplicate"),
], sla={"mql_follow_up_hours": 24, "review_meeting": "monthly", "next_review": "2027-02-03"})

GOOD_TITLES = ("Marketing Manager", "VP Marketing", "Head of Demand Generation", "CMO", "Marketing Director")
OTHER_TITLES = ("Software Engineer", "Office Manager", "Sales Manager", "CFO", "IT Director")
INDUSTRIES = ("SaaS", "SaaS", "Financial Services", "Retail", "Manufacturing")
SOURCES = ("Webinar", "Demo request", "Content download", "Event", "Website")
COUNTRIES = ("United States", "United Kingdom", "Germany", "France", "Canada")
STUDENT_SPELLINGS = ("Student", "student", "Student / academic", "Studnet", "STUDENT")
COLLEGES = ("state.edu", "tech.edu", "college.edu")


def _lead(rng: random.Random, index: int, period: str) -> dict:
    return {"First Name": f"P{index}", "Job Title": rng.choice(GOOD_TITLES + OTHER_TITLES),
            "Company": f"Co {index % 300}", "Industry": rng.choice(INDUSTRIES),
            "Number of Employees": str(rng.choice((20, 120, 400, 1500, 4000, 9000))),
            "Email": f"p{index}@co{index % 300}.com", "Country": rng.choice(COUNTRIES),
            "Lead Source": rng.choice(SOURCES), "Lead Status": "", "Rejection Reason": "",
            "Lead Owner": rng.choice(OWNERS), "Create Date": "", "First Contacted": ""}


def period_rows(period: str, leads: int = 2000) -> list[dict]:
    from alignwork.backtest.scoring import PASSING, score_lead

    rng = random.Random(f"review-{period}")
    year, month = map(int, period.split("-"))
    start = datetime(year, month, 1, 8)
    rows = []
    for index in range(leads):
        row = _lead(rng, index, period)
        student = row["Lead Source"] == "Webinar" and rng.random() < 0.6
        if student:
            row.update({"Job Title": "Student", "Industry": rng.choice(("Education", "Research", "Non-profit")),
                        "Number of Employees": "4000", "Email": f"s{index}@{rng.choice(COLLEGES)}"})
        lead = {"title": row["Job Title"], "industry": row["Industry"], "employees": row["Number of Employees"],
                "email_type": row["Email"], "lead_source": row["Lead Source"], "country": row["Country"]}
        passing = score_lead(DEFINITION, lead).stage in PASSING
        created = start + timedelta(hours=rng.randrange(0, 24 * 27))
        row["Create Date"] = created.strftime("%Y-%m-%d %H:%M")
        if not passing:
            row["Lead Status"] = rng.choice(("Nurture", "New", "Open"))
            rows.append(row)
            continue
        row["First Contacted"] = (created + timedelta(hours=rng.choice((1, 3, 8, 20, 30)))).strftime("%Y-%m-%d %H:%M")
        draw = rng.random()
        if student and draw < 0.95:
            row["Lead Status"], row["Rejection Reason"] = "Rejected", rng.choice(STUDENT_SPELLINGS)
        elif draw < 0.10:
            pick = rng.random()
            reason = ("No budget" if pick < 0.4 else "Wrong contact" if pick < 0.85 else
                      "duplicate" if pick < 0.95 else "Already a customer")
            row["Lead Status"], row["Rejection Reason"] = "Rejected", reason
        elif draw < 0.10 + 0.04 * (period == PERIODS[-1]):  # the extra "No budget" returns of 2027-06
            row["Lead Status"], row["Rejection Reason"] = "Rejected", "No budget"
        elif draw < 0.30:
            row["Lead Status"] = "MQL"
        else:
            row["Lead Status"] = rng.choice(("SQL", "Working", "Closed Won", "Closed Won", "Closed Lost"))
        rows.append(row)
    if period == "2027-04":  # won, although the definition knocks it out (personal e-mail)
        rows.append({**_lead(rng, leads, period), "Job Title": "CMO", "Industry": "SaaS",
                     "Email": "founder.cmo@gmail.com", "Lead Source": "Demo request", "Lead Status": "Closed Won",
                     "Create Date": "2027-04-03 10:00", "First Contacted": "2027-04-03 11:00"})
    return rows


def period_csv(period: str, leads: int = 2000) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=HEADER, lineterminator="\n")
    writer.writeheader()
    writer.writerows(period_rows(period, leads))
    return buffer.getvalue().encode("utf-8")


def agreed_workshop(session, name: str = "Q1 alignment", definition: Definition = DEFINITION):
    """A workshop whose version 1 is agreed (and a back-test baseline at 12 % conversion)."""
    from alignwork.models import BacktestRun, DefinitionVersion
    from alignwork.store import create_workshop

    workshop = create_workshop(session=session, name=name, company="Acme")
    version = DefinitionVersion(workshop_id=workshop.id, number=1, status="agreed",
                                body=definition.model_dump(mode="json"))
    session.add(version)
    session.add(BacktestRun(workshop_id=workshop.id, file_name="history.csv", rows=24000, scored=24000,
                            pass_rate=0.5, conversion={"passing": 0.2, "failing": 0.04, "overall": 0.12}))
    session.commit()
    return workshop
