"""Status flow, locking, sign-off, SLA and glossary on a real SQLite database."""

from datetime import date

import pytest

from alignwork.definition import agreement
from alignwork.definition import versions
from alignwork.definition.compare import compare_definitions
from alignwork.store import StoreError
from tests.agreement.workshop import definition, make_workshop

pytestmark = pytest.mark.backends  # SQLite and PostgreSQL


def _sign_both(session, version_id):
    agreement.add_signer(session=session, version_id=version_id, name="Ana Ruiz", role="VP Sales", team="sales",
                         signed_on=date(2026, 11, 20))
    agreement.add_signer(session=session, version_id=version_id, name="Maya Lindqvist", role="CMO",
                         team="Marketing", signed_on=date(2026, 11, 21))


def test_flow_draft_proposed_agreed_superseded(session):
    workshop_id = make_workshop(session)
    first = agreement.propose(session=session, workshop_id=workshop_id, note="for the QBR")
    assert (first.number, first.status) == (1, "proposed")
    with pytest.raises(agreement.AgreementError, match="Sales signer.*Marketing signer"):
        agreement.agree(session=session, workshop_id=workshop_id, number=1)
    agreement.add_signer(session=session, version_id=first.id, name="Ana Ruiz", team="Sales")  # no date yet
    with pytest.raises(agreement.AgreementError, match="Sales signer"):
        agreement.agree(session=session, workshop_id=workshop_id, number=1)
    _sign_both(session, first.id)
    assert agreement.agree(session=session, workshop_id=workshop_id, number=1).status == "agreed"
    assert agreement.status_date(session=session, version=first) == date.today()

    # an unchanged copy is no new version
    with pytest.raises(agreement.AgreementError, match="no changes since version 1"):
        agreement.propose(session=session, workshop_id=workshop_id)
    # a new draft from the agreed version, changed, proposed and agreed: version 1 is superseded
    agreement.set_sla(session=session, workshop_id=workshop_id, mql_follow_up_hours=12)
    second = agreement.propose(session=session, workshop_id=workshop_id)
    assert second.number == 2 and second.based_on_id == first.id
    _sign_both(session, second.id)
    agreement.agree(session=session, workshop_id=workshop_id, number=2)
    statuses = {v.number: v.status for v in versions.list_versions(session=session, workshop_id=workshop_id)}
    assert statuses == {1: "superseded", 2: "agreed"}
    assert [e.status for e in agreement.events_of(session=session, version_id=first.id)] == \
        ["proposed", "agreed", "superseded"]
    assert agreement.default_version(session=session, workshop_id=workshop_id).number == 2


def test_agreed_versions_are_locked(session):
    workshop_id = make_workshop(session)
    version = agreement.propose(session=session, workshop_id=workshop_id)
    _sign_both(session, version.id)
    agreement.agree(session=session, workshop_id=workshop_id, number=1)
    signer = agreement.list_signers(session=session, version_id=version.id)[0]
    for change in (lambda: agreement.add_signer(session=session, version_id=version.id, name="X", team="Sales"),
                   lambda: agreement.update_signer(session=session, signer_id=signer.id, name="Someone else"),
                   lambda: agreement.remove_signer(session=session, signer_id=signer.id)):
        with pytest.raises(agreement.AgreementError, match="locked"):
            change()
    with pytest.raises(agreement.AgreementError, match="only a saved version"):
        agreement.propose(session=session, workshop_id=workshop_id, number=1)
    # editing goes to the working draft; the agreed body never changes
    agreement.set_glossary(session=session, workshop_id=workshop_id,
                           entries=[{"term": "MQL", "meaning": "Ready for Sales"}])
    assert versions.load_definition(versions.get_version(session=session, workshop_id=workshop_id, number=1)) \
        .glossary == []
    with pytest.raises(agreement.AgreementError, match="edits"):
        agreement.start_draft_from(session=session, workshop_id=workshop_id, number=1)
    draft = agreement.start_draft_from(session=session, workshop_id=workshop_id, number=1, replace=True)
    assert draft.number is None and draft.based_on_id == version.id
    assert not agreement.draft_has_edits(session=session, workshop_id=workshop_id)


def test_signers_need_a_name_and_a_known_team_and_not_the_draft(session):
    workshop_id = make_workshop(session)
    draft = versions.current_draft(session=session, workshop_id=workshop_id)
    with pytest.raises(agreement.AgreementError, match="propose it"):
        agreement.add_signer(session=session, version_id=draft.id, name="Ana", team="Sales")
    version = agreement.propose(session=session, workshop_id=workshop_id)
    with pytest.raises(StoreError, match="Sales or Marketing"):
        agreement.add_signer(session=session, version_id=version.id, name="Ana", team="Finance")
    with pytest.raises(StoreError, match="name"):
        agreement.add_signer(session=session, version_id=version.id, name="  ", team="Sales")
    assert agreement.list_signers(session=session, version_id=version.id) == []


def test_sla_defaults_and_validation(session):
    workshop_id = make_workshop(session)
    sla = agreement.sla_of(definition())
    assert (sla.mql_follow_up_hours, sla.demo_follow_up_hours) == (24, 4)
    assert (sla.review_meeting, sla.full_review) == ("monthly", "quarterly")
    assert sla.next_review == agreement.add_months(date.today(), 1)
    odd = agreement.sla_of(definition(sla={"mql_follow_up_hours": -3, "contact_attempts": 8, "colour": "red"}))
    assert (odd.mql_follow_up_hours, odd.contact_attempts) == (24, 8)  # the bad field falls back alone
    with pytest.raises(agreement.AgreementError, match="mql_follow_up_hours"):
        agreement.set_sla(session=session, workshop_id=workshop_id, mql_follow_up_hours=0)
    with pytest.raises(agreement.AgreementError, match="unknown SLA"):
        agreement.set_sla(session=session, workshop_id=workshop_id, pizza=1)
    agreement.set_sla(session=session, workshop_id=workshop_id, contact_attempts=7, next_review="2027-02-01")
    stored = versions.load_definition(versions.current_draft(session=session, workshop_id=workshop_id)).sla
    assert stored["contact_attempts"] == 7 and stored["next_review"] == "2027-02-01"
    assert stored["mql_follow_up_hours"] == 24


def test_glossary_seeded_and_editable(session):
    workshop_id = make_workshop(session)
    terms = [entry["term"] for entry in agreement.glossary_of(definition())]
    assert terms == ["Lead", "MQL", "SQL", "Disqualified", "Recycled / nurture"]
    with pytest.raises(agreement.AgreementError, match="twice"):
        agreement.set_glossary(session=session, workshop_id=workshop_id,
                               entries=[{"term": "MQL", "meaning": "a"}, {"term": "mql", "meaning": "b"}])
    with pytest.raises(agreement.AgreementError, match="term and a meaning"):
        agreement.set_glossary(session=session, workshop_id=workshop_id, entries=[{"term": "SQL", "meaning": ""}])
    agreement.set_glossary(session=session, workshop_id=workshop_id,
                           entries=[{"term": " MQL ", "meaning": "Fits and engaged; Sales calls within a day"}])
    draft = versions.current_draft(session=session, workshop_id=workshop_id)
    assert agreement.glossary_of(versions.load_definition(draft)) == \
        [{"term": "MQL", "meaning": "Fits and engaged; Sales calls within a day"}]


def test_compare_names_added_removed_and_changed():
    before = definition()
    after = definition(mql_threshold=35)
    after.criteria = [c for c in after.criteria if c.id != "mql.webinar"]
    after.criteria[0] = after.criteria[0].model_copy(update={"points": 20}, deep=True)
    after.criteria[0].value = ["Software/SaaS", "Fintech"]
    after.criteria[1] = after.criteria[1].model_copy(update={"label": "Company size: 50–2,000 employees"})
    after.criteria.append(after.criteria[2].model_copy(update={"id": "persona.seniority", "label": "Seniority: VP"}))
    after.reason_codes = after.reason_codes[:2]
    comparison = compare_definitions(before, after)
    assert [c.id for c in comparison.added] == ["persona.seniority"]
    assert [c.id for c in comparison.removed] == ["mql.webinar"]
    changed = {c.id: {f.name for f in c.changes} for c in comparison.changed}
    assert changed == {"ideal_company.industry": {"points", "conditions"}, "ideal_company.employees": {"label"}}
    assert [(t.name, t.before, t.after) for t in comparison.thresholds] == [("mql_threshold", 30, 35)]
    lines = comparison.lines()
    assert lines[0] == "MQL threshold: 30 → 35"
    assert "Changed: Industry: Software/SaaS — rule: industry is Software/SaaS → industry is any of Software/SaaS, " \
        "Fintech; points: 15 → 20" in lines
    assert "Reason code dropped: OTHER (Other | *say why*)" in lines
    assert compare_definitions(before, definition()).is_empty()


def test_compare_skips_review_bookkeeping_but_not_a_rejection():
    before = definition()
    after = definition()
    after.criteria[0] = after.criteria[0].model_copy(update={"points": 20, "decision": "edited"})
    after.criteria[1] = after.criteria[1].model_copy(update={"decision": "rejected"})
    changed = {c.id: {f.name for f in c.changes} for c in compare_definitions(before, after).changed}
    assert changed == {"ideal_company.industry": {"points"}, "ideal_company.employees": {"decision"}}
