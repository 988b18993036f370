"""Core of the interviews room: list rows, start/finish/resume, guide edits, tag completion, autosave."""

from datetime import date

import pytest

from alignwork import store
from alignwork.interviews import guide_edit
from alignwork.interviews import flow as interview
from alignwork.interviews.autosave import AutosaveWriter
from alignwork.interviews.guide import DEFAULT_GUIDE, default_question

pytestmark = pytest.mark.backends  # SQLite and PostgreSQL


@pytest.fixture
def workshop(session):
    ws = store.create_workshop(session=session, name="Q3 alignment", target_minutes=15)
    ana = store.add_participant(session=session, workshop_id=ws.id, name="Ana", team="EMEA")
    ben = store.add_participant(session=session, workshop_id=ws.id, name="Ben")
    return ws, ana, ben


def test_rows_start_finish_and_percent(session, workshop):
    ws, ana, ben = workshop
    rows = interview.interview_rows(session=session, workshop_id=ws.id)
    assert [(r.rep, r.status, r.interview_id) for r in rows] == [("Ana", "not_started", None), ("Ben", "not_started", None)]
    record = interview.interview_for_participant(session=session, participant_id=ana.id)
    assert record.status == "planned"
    interview.start_interview(session=session, interview_id=record.id, today=date(2026, 11, 3))
    store.save_answer(session=session, interview_id=record.id, key="titles", value=["CFO"])
    store.save_answer(session=session, interview_id=record.id, key="wiifm", value="  ")  # blank is no answer
    store.save_answer(session=session, interview_id=record.id, key="surprises", value="pricing page")
    interview.save_position(session=session, interview_id=record.id, current_key="industries", elapsed_seconds=95)
    [point] = interview.interrupted_interviews(session=session, workshop_id=ws.id)
    assert (point.rep, point.current_key, point.elapsed_seconds) == ("Ana", "industries", 95)
    assert point.prompt == default_question("industries").prompt
    # hiding an answered question takes it out of the percentage, not out of the database
    guide_edit.edit_guide(session=session, workshop_id=ws.id,
                          operation=lambda qs: guide_edit.set_hidden(qs, "surprises", True))
    row = interview.interview_rows(session=session, workshop_id=ws.id)[0]
    assert (row.status, row.held_on, row.answered, row.total) == ("in_progress", date(2026, 11, 3), 1, 15)
    assert row.percent == 7
    interview.finish_interview(session=session, interview_id=record.id, elapsed_seconds=14 * 60 + 5)
    row = interview.interview_rows(session=session, workshop_id=ws.id)[0]
    assert (row.status, row.duration_seconds, interview.format_duration(row.duration_seconds)) == ("done", 845, "14:05")
    assert interview.interrupted_interviews(session=session, workshop_id=ws.id) == []
    assert store.answers_for(session=session, interview_id=record.id) == {"titles": ["CFO"], "surprises": "pricing page"}
    # opening the rep again gives the same, finished interview for review
    assert interview.interview_for_participant(session=session, participant_id=ana.id).id == record.id


def test_guide_edits_keep_keys_and_answers(session, workshop):
    ws, ana, _ = workshop
    record = store.create_interview(session=session, participant_id=ana.id)
    store.save_answer(session=session, interview_id=record.id, key="industries", value=["fintech"])

    def edit(operation):
        return guide_edit.edit_guide(session=session, workshop_id=ws.id, operation=operation)

    edit(lambda qs: guide_edit.reword(qs, "industries", prompt="Which sectors buy fastest?", hint="Verticals"))
    questions, key = guide_edit.add_question(store.workshop_guide(session=session, workshop_id=ws.id),
                                             section="Today's leads", prompt="Preferred channel?", kind="choice",
                                             options=["email", "phone", " ", "email"])
    store.save_guide(session=session, workshop_id=ws.id, questions=questions)
    assert key == "custom_preferred_channel"
    saved = {q.key: q for q in store.workshop_guide(session=session, workshop_id=ws.id)}
    assert saved[key].options == ("email", "phone") and saved[key].section == "Today's leads"
    assert saved["industries"].prompt == "Which sectors buy fastest?" and saved["industries"].kind == "tags"
    keys = [q.key for q in store.workshop_guide(session=session, workshop_id=ws.id)]
    assert keys.index(key) == keys.index("helpful_content") + 1
    # moving up inside a section swaps; at the section's top it crosses into the previous one
    moved = edit(lambda qs: guide_edit.move(qs, "titles", -1))
    assert [q.key for q in moved][1:3] == ["titles", "ideal_lead"]
    moved = edit(lambda qs: guide_edit.move(qs, "titles", -1))
    assert (moved[1].key, moved[1].section) == ("titles", "Opening")
    assert edit(lambda qs: guide_edit.move(qs, "wiifm", -1))[0].key == "wiifm"
    with pytest.raises(store.StoreError, match="only hidden"):
        edit(lambda qs: guide_edit.remove_question(qs, "titles", answers=0))
    store.save_answer(session=session, interview_id=record.id, key=key, value="phone")
    answered = guide_edit.answer_count(session=session, workshop_id=ws.id, key=key)
    with pytest.raises(store.StoreError, match="hide it instead"):
        edit(lambda qs: guide_edit.remove_question(qs, key, answers=answered))
    with pytest.raises(store.StoreError, match="two options"):
        guide_edit.add_question(list(DEFAULT_GUIDE), section="X", prompt="Pick", kind="choice", options=["a"])
    assert store.answers_for(session=session, interview_id=record.id) == {"industries": ["fintech"], key: "phone"}


def test_tag_suggestions_merge_case_and_rank_by_use(session, workshop):
    ws, ana, ben = workshop
    for participant, tags in ((ana, ["CFO", "VP Finance"]), (ben, ["cfo", "Controller"])):
        record = store.create_interview(session=session, participant_id=participant.id)
        store.save_answer(session=session, interview_id=record.id, key="titles", value=tags)
    assert interview.tag_suggestions(session=session, workshop_id=ws.id, key="titles") == ["CFO", "Controller", "VP Finance"]
    assert interview.tag_suggestions(session=session, workshop_id=ws.id, key="regions") == []


def test_autosave_coalesces_reports_bad_values_and_flushes(database, session, workshop):
    ws, ana, _ = workshop
    record = store.create_interview(session=session, participant_id=ana.id)
    saved, errors = [], []
    writer = AutosaveWriter(database.engine, on_saved=saved.append, on_error=errors.append)
    scale = default_question("lead_quality_rating")
    for text in ("f", "fi", "fin", "fintech"):
        writer.set_answer(record.id, "ideal_lead", text, default_question("ideal_lead"))
    writer.set_answer(record.id, "lead_quality_rating", 9, scale)  # refused, the rest still lands
    writer.set_position(record.id, "ideal_lead", 42)
    writer.add_note(record.id, "quote", "“Give me CFOs”", "ideal_lead")
    assert writer.close()
    assert store.answers_for(session=session, interview_id=record.id) == {"ideal_lead": "fintech"}
    assert [(n.kind, n.text, n.question) for n in store.notes_for(session=session, interview_id=record.id)] == [
        ("quote", "“Give me CFOs”", "ideal_lead")]
    session.expire_all()
    assert interview.interview_rows(session=session, workshop_id=ws.id)[0].elapsed_seconds == 42
    assert len(errors) == 1 and errors[0].startswith("Not saved: lead_quality_rating")
    assert sum(saved) == 3  # four edits coalesced into one answer, plus the position and the note


def test_autosave_retries_a_failed_write_and_skips_a_vanished_interview(database, session, workshop, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from alignwork.interviews import autosave

    ws, ana, ben = workshop
    kept = store.create_interview(session=session, participant_id=ana.id)
    gone = store.create_interview(session=session, participant_id=ben.id)
    store.delete_participant(session=session, participant_id=ben.id)  # takes the interview with it
    monkeypatch.setattr(autosave, "RETRY_SECONDS", 0.05)
    real_save, failures = store.save_answer, []

    def flaky_save(**kwargs):
        if not failures:
            failures.append(1)
            raise OperationalError("UPDATE answer", {}, Exception("database is locked"))
        return real_save(**kwargs)

    monkeypatch.setattr(store, "save_answer", flaky_save)
    errors = []
    writer = AutosaveWriter(database.engine, delay=0.01, on_error=errors.append)
    writer.set_answer(kept.id, "regions", ["DACH"], default_question("regions"))
    writer.set_answer(gone.id, "regions", ["UK"], default_question("regions"))
    writer.add_note(gone.id, "idea", "lost rep", None)
    assert writer.close()
    assert errors[0] == "Not saved yet (database is locked); retrying…"
    assert len(errors) == 3 and all("the interview was removed meanwhile" in e for e in errors[1:])
    assert store.answers_for(session=session, interview_id=kept.id) == {"regions": ["DACH"]}


def test_the_promise_and_the_kit_count_in_plain_english():
    from alignwork.interviews.kit import brevity_promise

    assert brevity_promise(1) == "We'll keep this to 1 minute and only ask what matters."
    assert brevity_promise(20) == "We'll keep this to 20 minutes and only ask what matters."


def test_the_printed_kit_reads_as_a_paper_guide():
    from alignwork.interviews.guide import DEFAULT_GUIDE, Question
    from alignwork.interviews.kit import kit_html

    custom = Question("custom_fit", "Close", "How well do we fit?", "Click a star, or press Ctrl+1. Ask for a reason.",
                      "scale", minimum=0, maximum=9)
    html = kit_html(workshop_name="Q3", company="Northwind", facilitator="Dana", minutes=20,
                    questions=[*DEFAULT_GUIDE, custom])
    assert "Press" not in html and "press" not in html and "Click" not in html and "Ctrl" not in html
    assert "1 = junk, 5 = excellent." in html and "Ask for a reason." in html  # the rest of the hint stays
    assert "Scale 1–5" in html and "Scale 0–9" in html and "Range, employees" in html
