"""A result derived from the interviews knows what it was built from and says when it is stale."""

from __future__ import annotations

from datetime import date

from alignwork import store
from alignwork.definition import versions
from alignwork.interviews.inputs import BuiltFrom, Staleness, finished_interviews, staleness


def _workshop_with_done_interviews(session, count: int) -> int:
    workshop = store.create_workshop(session=session, name="Stale")
    for n in range(count):
        rep = store.add_participant(session=session, workshop_id=workshop.id, name=f"Rep {n + 1}")
        store.create_interview(session=session, participant_id=rep.id, status="done", held_on=date(2026, 11, 2))
    return workshop.id


def test_staleness_counts_new_changed_and_removed():
    built = BuiltFrom({1: "2026-11-02T10:00:00+00:00", 2: "2026-11-02T10:00:00+00:00", 3: ""})
    now = BuiltFrom({1: "2026-11-02T10:00:00+00:00", 2: "2026-11-03T09:00:00+00:00", 3: "x", 4: "y"})
    assert staleness(built, now) == Staleness(new=1, changed=1, removed=0)
    assert staleness(built, now).message() == "Out of date — 1 new interview, 1 interview changed"
    assert staleness(now, now).fresh and staleness(now, now).message() == ""
    assert staleness(BuiltFrom({1: "", 5: ""}), BuiltFrom({1: ""})).message() == \
        "Out of date — 1 interview no longer finished"
    assert BuiltFrom.from_json(built.to_json()) == built
    assert BuiltFrom.from_json("nonsense") == BuiltFrom()


def test_the_draft_knows_its_interviews_and_a_twelfth_makes_it_stale(session):
    workshop_id = _workshop_with_done_interviews(session, 11)
    draft = versions.current_draft(session=session, workshop_id=workshop_id)
    definition = versions.load_definition(draft)
    assert len(versions.built_from_of(definition)) == 11
    assert versions.definition_staleness(session=session, workshop_id=workshop_id, definition=definition).fresh

    rep = store.add_participant(session=session, workshop_id=workshop_id, name="Rep 12")
    store.create_interview(session=session, participant_id=rep.id, status="done", held_on=date(2026, 11, 3))
    stale = versions.definition_staleness(session=session, workshop_id=workshop_id, definition=definition)
    assert stale == Staleness(new=1) and stale.message() == "Out of date — 1 new interview"
    # a saved version keeps what it was built from; re-synthesis brings the draft up to date
    refreshed = versions.load_definition(versions.resynthesize_draft(session=session, workshop_id=workshop_id))
    assert versions.definition_staleness(session=session, workshop_id=workshop_id, definition=refreshed).fresh
    assert len(finished_interviews(session=session, workshop_id=workshop_id)) == 12
