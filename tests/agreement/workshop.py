"""A small workshop with a hand-made definition (from the Definition contract), hostile text included."""

from __future__ import annotations

from datetime import date

from alignwork import store
from alignwork.definition.criteria import Criterion, Definition, Evidence, ReasonCode
from alignwork.models import DefinitionVersion

SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://evil.example","click")'
LINK = "[free demo](javascript:alert(1)) ![x](http://evil.example/x.png) **not bold** <b>not bold</b>"
REPS = [("Dana Whitfield", "Enterprise", "rock_star"), ("Tom Becker", "SMB", "engaged"),
        ("Priya Raman", "Enterprise", "other")]


def definition(**changes) -> Definition:
    """Seven rules, a knock-out, a negative, a hostile label and value, three reason codes."""
    evidence = Evidence(participants=["Dana Whitfield", "Tom Becker"], quotes=["Software buyers close fast"])
    criteria = [
        Criterion(id="ideal_company.industry", section="ideal_company", label="Industry: Software/SaaS",
                  attribute="industry", operator="in", value=["Software/SaaS"], points=15, support=3, share=1.0,
                  consensus="strong", evidence=evidence, decision="accepted"),
        Criterion(id="ideal_company.employees", section="ideal_company", label="Company size: 50–1,000 employees",
                  attribute="employees", operator="between", value={"min": 50, "max": 1000}, points=10, support=2,
                  consensus="contested"),
        Criterion(id="persona.function", section="persona", label="Function: Marketing", attribute="function",
                  operator="in", value=["Marketing"], points=10, support=2, consensus="contested"),
        Criterion(id="sql.demo", section="sql", label="Requested a demo", attribute="lead_source", operator="in",
                  value=["demo_request"], points=30, axis="intent", support=3, consensus="strong"),
        Criterion(id="mql.webinar", section="mql", label="Attended a webinar", attribute="lead_source",
                  operator="in", value=["webinar"], points=5, axis="intent", support=1, consensus="outlier"),
        Criterion(id="disqualifiers.student", section="disqualifiers", label="Student or academic",
                  attribute="email_type", operator="in", value=["student"], knockout=True, support=3),
        Criterion(id="disqualifiers.personal", section="disqualifiers", label="Personal email address",
                  attribute="email_type", operator="in", value=["personal"], points=-20, support=2),
        Criterion(id="ideal_company.hostile", section="ideal_company", label=SCRIPT, attribute="title",
                  operator="contains", value=FORMULA, points=3, support=1,
                  evidence=Evidence(participants=["Priya Raman"], quotes=[FORMULA])),
    ]
    body = Definition(summary="Software companies that ask for a demo.", criteria=criteria, mql_threshold=30,
                      sql_threshold=55, sql_min_intent=20,
                      reason_codes=[ReasonCode(code="STUDENT", label="Student or academic"),
                                    ReasonCode(code="PERSONAL_EMAIL", label="Personal email address"),
                                    ReasonCode(code="OTHER", label="Other | *say why*")])
    return body.model_copy(update=changes)


def make_workshop(session, *, name: str = "Acme lead workshop") -> int:
    """A workshop, three reps interviewed (done) with quotes, and a working draft."""
    workshop = store.create_workshop(session=session, name=name, company="Acme Analytics",
                                     facilitator="Maya Lindqvist")
    for rep_name, team, profile in REPS:
        rep = store.add_participant(session=session, workshop_id=workshop.id, name=rep_name, role="AE", team=team,
                                    profile=profile, notes="private roster note: PRIVATE-ROSTER")
        interview = store.create_interview(session=session, participant_id=rep.id, status="done",
                                           held_on=date(2026, 11, 2))
        store.add_note(session=session, interview_id=interview.id, kind="quote",
                       text=f"{rep_name.split()[0]} says: {SCRIPT} and {FORMULA}")
        store.add_note(session=session, interview_id=interview.id, kind="pain", text="PRIVATE-PAIN note")
        store.add_note(session=session, interview_id=interview.id, kind="quote", text=LINK)
    session.add(DefinitionVersion(workshop_id=workshop.id, body=definition().model_dump(mode="json")))
    session.commit()
    return workshop.id


def add_top_risk(session, workshop_id: int) -> None:
    from alignwork.premortem import checklist as premortem

    risk = premortem.add_risk(session=session, workshop_id=workshop_id, title="Sales ignores MQLs in Q1")
    premortem.update_risk(session=session, risk_id=risk.id, likelihood=5, impact=5, klass="tiger",
                          owner="Kim Lee", mitigation="Weekly MQL queue review", due_date=date(2027, 1, 15))


def agreed_then_proposed(session, signers: tuple[str, str] = ("Ana Ruiz", "Maya Lindqvist")) -> int:
    """The small workshop with an owned top risk; version 1 agreed and signed by ``signers``
    (Sales, Marketing); version 2 (demo follow-up changed) proposed, signatures pending."""
    from alignwork.definition import agreement

    workshop_id = make_workshop(session)
    add_top_risk(session, workshop_id)
    first = agreement.propose(session=session, workshop_id=workshop_id)
    agreement.add_signer(session=session, version_id=first.id, name=signers[0], role="VP Sales", team="Sales",
                         signed_on=date(2026, 11, 20))
    agreement.add_signer(session=session, version_id=first.id, name=signers[1], role="CMO", team="Marketing",
                         signed_on=date(2026, 11, 21))
    agreement.agree(session=session, workshop_id=workshop_id, number=1)
    agreement.set_sla(session=session, workshop_id=workshop_id, demo_follow_up_hours=2)
    agreement.propose(session=session, workshop_id=workshop_id)
    return workshop_id
