"""Team mode: who changed what, and two facilitators editing the same thing (on SQLite and on
PostgreSQL): the second save is refused with who and when, and nothing is overwritten."""

from __future__ import annotations

import pytest

from alignwork import store
from alignwork.db import open_database
from alignwork.definition import agreement, versions
from alignwork.interviews import guide_edit
from alignwork.premortem import checklist
from alignwork.store import EditConflict

pytestmark = pytest.mark.backends  # SQLite and PostgreSQL


@pytest.fixture
def two(db_url, monkeypatch):
    """Two facilitators' sessions on one database; ``as_(name)`` switches who is writing."""
    database = open_database(db_url)

    def as_(name):
        monkeypatch.setenv("ALIGNWORK_FACILITATOR", name)
        return database.session()

    yield database, as_
    database.dispose()


def _workshop(session):
    ws = store.create_workshop(session=session, name="Team week")
    rep = store.add_participant(session=session, workshop_id=ws.id, name="Ana")
    return ws, rep


def _dana_interviews_ana(as_):
    from alignwork.interviews import flow

    with as_("Dana") as session:
        ws, rep = _workshop(session)
        record = flow.interview_for_participant(session=session, participant_id=rep.id)
        store.save_answer(session=session, interview_id=record.id, key="titles", value=["CFO"])
    return ws, record


def test_every_change_records_the_facilitator(two):
    database, as_ = two
    ws, record = _dana_interviews_ana(as_)
    with as_("Lee") as session:
        store.add_note(session=session, interview_id=record.id, kind="quote", text="They never call back",
                       question=None)
    from alignwork.models import Answer, Interview, Note
    with database.session() as session:
        assert session.get(Interview, record.id).changed_by == "Dana"
        assert [a.changed_by for a in session.exec(store.select(Answer))] == ["Dana"]
        assert [n.changed_by for n in session.exec(store.select(Note))] == ["Lee"]


def test_definition_draft_second_save_is_refused_with_who_and_when(two):
    database, as_ = two
    with as_("Dana") as session:
        ws, _ = _workshop(session)
        draft = versions.current_draft(session=session, workshop_id=ws.id)
        seen = draft.version
        definition = versions.load_definition(draft)
    mine = definition.model_copy(update={"summary": "Lee's summary"})
    theirs = definition.model_copy(update={"summary": "Dana's summary"})
    with as_("Dana") as session:
        saved = versions.update_draft(session=session, workshop_id=ws.id, definition=theirs, expected_version=seen)
        assert (saved.version, saved.changed_by) == (seen + 1, "Dana")
    with as_("Lee") as session, pytest.raises(EditConflict) as raised:
        versions.update_draft(session=session, workshop_id=ws.id, definition=mine, expected_version=seen)
    message = str(raised.value)
    assert message.startswith("The definition draft was changed by Dana at ")
    assert message.endswith("— reload or keep yours")
    assert raised.value.current_version == seen + 1
    with database.session() as session:
        assert versions.current_draft(session=session, workshop_id=ws.id).body["summary"] == "Dana's summary"
    # "keep yours": save again over the version now shown
    with as_("Lee") as session:
        kept = versions.update_draft(session=session, workshop_id=ws.id, definition=mine,
                                     expected_version=raised.value.current_version)
        assert (kept.body["summary"], kept.changed_by) == ("Lee's summary", "Lee")


def test_guide_risk_and_signer_conflicts(two):
    database, as_ = two
    with as_("Dana") as session:
        ws, _ = _workshop(session)
        assert store.guide_version(session=session, workshop_id=ws.id) == 0
        guide_edit.edit_guide(session=session, workshop_id=ws.id, expected_version=0,
                              operation=lambda qs: guide_edit.reword(qs, "titles", prompt="Who signs?"))
        assert store.guide_version(session=session, workshop_id=ws.id) == 1
    with as_("Lee") as session, pytest.raises(EditConflict, match="The guide was changed by Dana"):
        guide_edit.edit_guide(session=session, workshop_id=ws.id, expected_version=0,
                              operation=lambda qs: guide_edit.reword(qs, "titles", prompt="Who buys?"))
    with database.session() as session:
        prompts = {q.key: q.prompt for q in store.workshop_guide(session=session, workshop_id=ws.id)}
        assert prompts["titles"] == "Who signs?"

    with as_("Dana") as session:
        risk = checklist.add_risk(session=session, workshop_id=ws.id, title="Reps ignore the score")
        seen = risk.version
        checklist.update_risk(session=session, risk_id=risk.id, expected_version=seen, owner="Dana")
    with as_("Lee") as session, pytest.raises(EditConflict, match="changed by Dana"):
        checklist.update_risk(session=session, risk_id=risk.id, expected_version=seen, owner="Lee")
    with database.session() as session:
        assert checklist.get_risk(session=session, risk_id=risk.id).owner == "Dana"

    with as_("Dana") as session:
        draft = versions.current_draft(session=session, workshop_id=ws.id)
        version = versions.save_version(session=session, workshop_id=ws.id)
        signer = agreement.add_signer(session=session, version_id=version.id, name="Sam Ortiz", team="Sales")
        seen = signer.version
        agreement.update_signer(session=session, signer_id=signer.id, expected_version=seen, role="VP Sales")
    with as_("Lee") as session, pytest.raises(EditConflict, match="The signer Sam Ortiz was changed by Dana"):
        agreement.update_signer(session=session, signer_id=signer.id, expected_version=seen, role="CRO")

    # the SLA and the glossary live in the working draft: its version guards them
    with as_("Dana") as session:
        seen = versions.current_draft(session=session, workshop_id=ws.id).version
        agreement.set_sla(session=session, workshop_id=ws.id, expected_version=seen, mql_follow_up_hours=8)
    with as_("Lee") as session, pytest.raises(EditConflict, match="The definition draft was changed by Dana"):
        agreement.set_glossary(session=session, workshop_id=ws.id, expected_version=seen,
                               entries=[{"term": "MQL", "meaning": "Lee's"}])
    with database.session() as session:
        kept = versions.load_definition(versions.current_draft(session=session, workshop_id=ws.id))
        assert kept.sla["mql_follow_up_hours"] == 8 and not any(e["meaning"] == "Lee's" for e in kept.glossary)


def test_recent_activity_names_who_did_what(two):
    from alignwork import team

    database, as_ = two
    ws, _record = _dana_interviews_ana(as_)
    with as_("Lee") as session:
        draft = versions.current_draft(session=session, workshop_id=ws.id)
        versions.update_draft(session=session, workshop_id=ws.id, expected_version=draft.version,
                              definition=versions.load_definition(draft).model_copy(update={"summary": "x"}))
    with database.session() as session:
        lines = [(who, what) for _when, who, what in team.recent_activity(session=session, workshop_id=ws.id)]
    assert lines[0] == ("Lee", "edited the definition draft")
    assert ("Dana", "interviewed Ana") in lines


def test_documents_say_who_ran_the_interviews_when_a_team_did(db_url, tmp_path, monkeypatch, capsys):
    from alignwork.cli import main
    from alignwork.interviews import flow
    from alignwork.workshops.bundle import demo_bundle_path, import_bundle, load_bundle_file

    database = open_database(db_url)
    with database.session() as session:
        result = import_bundle(session=session, data=load_bundle_file(demo_bundle_path()))
        interviews = [i for i in store.list_interviews(session=session, workshop_id=result.workshop_id)
                      if i.status == "done"]
        for number, interview in enumerate(interviews):
            monkeypatch.setenv("ALIGNWORK_FACILITATOR", "Dana Kim" if number % 2 else "Lee Park")
            flow.save_position(session=session, interview_id=interview.id, current_key=None, elapsed_seconds=60)
    database.dispose()
    out = tmp_path / "agreement.md"
    assert main(["--db", db_url, "export", str(result.workshop_id), "--format", "md", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    dana, lee = len(interviews) // 2, len(interviews) - len(interviews) // 2
    assert "Interviews run by " in text
    assert f"Lee Park ({lee})" in text and f"Dana Kim ({dana})" in text
