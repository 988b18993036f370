"""Corrections and decisions survive re-synthesis; saved versions never change."""

import pytest

from alignwork import store
from alignwork.synthesis import corrections
from alignwork.definition import versions
from alignwork.definition.criteria import Criterion
from alignwork.synthesis.engine import synthesize_workshop
from tests.synthesis.cases import nine_reps, store_workshop

pytestmark = pytest.mark.backends  # SQLite and PostgreSQL


@pytest.fixture
def workshop_id(session):
    return store_workshop(session, nine_reps())


def groups(session, workshop_id, key):
    result = synthesize_workshop(session=session, workshop_id=workshop_id)
    return {g.label: sorted(g.members) for g in result.groups[key]}, result


def test_database_synthesis_matches_the_pure_one(session, workshop_id):
    by_label, result = groups(session, workshop_id, "industries")
    assert result.count == 8 and result.pending == 1
    assert by_label["Financial services"] == ["Banking", "Fin services", "financial services", "fintech"]
    criterion = result.definition.criterion("sql.signal.asked-for-pricing")
    assert len(criterion.evidence.interview_ids) == 4


def test_corrections_survive_resynthesis(session, workshop_id):
    add = lambda **kw: corrections.add_correction(session=session, workshop_id=workshop_id, **kw)  # noqa: E731
    add(op="merge", key="rejection_triggers", labels=["Student or academic", "Personal email address"],
        target="Not a business contact")
    add(op="rename", key="punt_signals", labels=["No reply after several tries"], target="Went silent")
    add(op="move", key="industries", members=["Insurance"], target="Financial services")
    add(op="split", key="titles", labels=["Marketing"], members=["Head of Demand Gen"], target="Demand generation")
    rejections, result = groups(session, workshop_id, "rejection_triggers")
    assert rejections["Not a business contact"] == sorted(
        ["students", "student email", "Students!", "gmail address", "personal e-mail", "gmail"])
    merged = next(g for g in result.groups["rejection_triggers"] if g.label == "Not a business contact")
    assert merged.support == 6 and merged.consensus == "strong"
    assert "Went silent" in {g.label for g in result.groups["punt_signals"]}
    industries = {g.label: g.support for g in result.groups["industries"]}
    assert industries["Financial services"] == 6 and "Insurance" not in industries
    assert result.definition.criterion("ideal_company.industry.financial-services").value == [
        "Financial services", "Insurance"]  # the moved answer still scores as what it is
    titles = {g.label: g.members for g in result.groups["titles"]}
    assert titles["Demand generation"] == ["Head of Demand Gen"]
    assert "Head of Demand Gen" not in titles["Marketing"]
    # the draft follows the corrected groups
    assert result.definition.criterion("disqualifiers.student").label == "Not a business contact"
    assert result.stale_corrections == []


def test_a_correction_that_no_longer_fits_is_skipped(session, workshop_id):
    stale = corrections.add_correction(session=session, workshop_id=workshop_id, op="rename",
                                       key="industries", labels=["Agriculture"], target="Farms")
    _groups, result = groups(session, workshop_id, "industries")
    assert [c.id for c in result.stale_corrections] == [stale.id]
    corrections.delete_correction(session=session, correction_id=stale.id)
    assert corrections.list_corrections(session=session, workshop_id=workshop_id) == []


@pytest.mark.parametrize("kwargs, message", [
    ({"op": "explode", "key": "titles"}, "a correction is one of"),
    ({"op": "merge", "key": "titles", "labels": ["IT"]}, "at least two groups"),
    ({"op": "rename", "key": "titles", "labels": ["IT"], "target": "  "}, "needs a name"),
    ({"op": "move", "key": "titles", "target": "IT"}, "pick the answers"),
])
def test_bad_corrections_are_refused_and_change_nothing(session, workshop_id, kwargs, message):
    with pytest.raises(store.StoreError, match=message):
        corrections.add_correction(session=session, workshop_id=workshop_id, **kwargs)
    assert corrections.list_corrections(session=session, workshop_id=workshop_id) == []


def test_decisions_survive_resynthesis(session, workshop_id):
    draft = versions.current_draft(session=session, workshop_id=workshop_id)
    definition = versions.load_definition(draft)
    pricing = definition.criterion("sql.signal.asked-for-pricing")
    pricing.decision, pricing.rationale = "accepted", "Everyone calls these first"
    retail = definition.criterion("ideal_company.industry.retail-e-commerce")
    retail.decision, retail.rationale = "rejected", "SMB retail churns"
    size = definition.criterion("ideal_company.employees")
    size.value, size.points = {"min": 200, "max": 2000}, 25  # edited while open → "edited"
    definition.mql_threshold = 45
    definition.criteria.append(Criterion(id="manual.partner-intro", section="sql", label="Partner intro",
                                         attribute="lead_source", operator="in", value=["referral"], points=20,
                                         axis="intent"))
    versions.update_draft(session=session, workshop_id=workshop_id, definition=definition)
    # a new interview and a correction change the synthesis underneath
    corrections.add_correction(session=session, workshop_id=workshop_id, op="rename", key="buying_signals",
                               labels=["Requested a demo"], target="Asked for a demo")
    draft = versions.resynthesize_draft(session=session, workshop_id=workshop_id)
    after = versions.load_definition(draft)
    kept = after.criterion("sql.signal.asked-for-pricing")
    assert (kept.decision, kept.rationale) == ("accepted", "Everyone calls these first")
    assert kept.support == 4 and kept.evidence.participants  # evidence refreshed
    assert after.criterion("ideal_company.industry.retail-e-commerce").decision == "rejected"
    size = after.criterion("ideal_company.employees")
    assert (size.decision, size.value, size.points) == ("edited", {"min": 200, "max": 2000}, 25)
    assert after.criterion("manual.partner-intro") is not None
    assert after.mql_threshold == 45 and "mql_threshold" in after.edited
    assert after.criterion("sql.signal.asked-for-a-demo").decision == "open"
    assert after.criterion("sql.signal.requested-a-demo") is None  # open, so it followed the rename


def test_saved_versions_are_frozen(session, workshop_id):
    draft = versions.current_draft(session=session, workshop_id=workshop_id)
    first = versions.save_version(session=session, workshop_id=workshop_id, note="after workshop")
    assert (first.id, first.number, first.status) == (draft.id, 1, "saved")
    frozen = dict(first.body)
    new_draft = versions.current_draft(session=session, workshop_id=workshop_id)
    assert new_draft.id != first.id and new_draft.based_on_id == first.id and new_draft.number is None
    edited = versions.load_definition(new_draft)
    edited.sql_threshold = 99
    versions.update_draft(session=session, workshop_id=workshop_id, definition=edited)
    versions.resynthesize_draft(session=session, workshop_id=workshop_id)
    session.expire_all()
    again = versions.get_version(session=session, workshop_id=workshop_id, number=1)
    assert again.body == frozen and again.note == "after workshop"
    second = versions.save_version(session=session, workshop_id=workshop_id)
    assert second.number == 2 and versions.load_definition(second).sql_threshold == 99
    assert [v.number for v in versions.list_versions(session=session, workshop_id=workshop_id)] == [1, 2]
    with pytest.raises(store.StoreError, match="no definition version 7"):
        versions.get_version(session=session, workshop_id=workshop_id, number=7)
