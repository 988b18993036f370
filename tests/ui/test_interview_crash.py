"""Kill a real app process mid-interview; the data is on disk and the page offers to resume."""

from __future__ import annotations

from alignwork.interviews import flow as core
from alignwork import store
from alignwork.models import Interview
from interview_child import run_and_kill


def test_killed_mid_interview_resumes_where_it_stopped(qtbot, context, database, session, show_page):
    ws = store.create_workshop(session=session, name="Crash test", target_minutes=20)
    rep = store.add_participant(session=session, workshop_id=ws.id, name="Chloé Martin")
    lines = run_and_kill([database.url, str(rep.id)], "saved")
    stopped_at = lines[-1][1]
    assert stopped_at == "company_size"

    record = session.exec(store.select(Interview).where(Interview.participant_id == rep.id)).one()
    assert (record.status, record.current_key) == ("in_progress", "company_size")
    assert store.answers_for(session=session, interview_id=record.id) == {
        "wiifm": "Leads that are already looking", "titles": ["CFO", "Controller"], "company_size": "200-2000"}
    assert [(n.kind, n.question, n.text) for n in store.notes_for(session=session, interview_id=record.id)] == [
        ("quote", "company_size", "Anything under 200 is a waste of a call")]

    # reopening: the list offers to resume at that question with the clock where it was
    from alignwork_gui.pages.interviews.page import InterviewPage

    page = show_page(InterviewPage(context), ws.id)
    assert page.banner.isVisible()
    assert "Chloé Martin's interview stopped at “How big is the company, in people?”" in page.banner_text.text()
    page.resume_button.click()
    runner = page.runner
    assert runner.current_key == "company_size"
    assert runner.blocks["company_size"].input.edit.hasFocus()
    assert runner.timer.running and runner.timer.elapsed() >= record.elapsed_seconds
    assert runner.blocks["titles"].input.tags == ["CFO", "Controller"]
    assert runner.notes.count() == 1
    page.close_writer()
    assert core.interrupted_interviews(session=session, workshop_id=ws.id)[0].current_key == "company_size"


def test_a_tag_typed_but_not_entered_survives_a_kill(context, database, session):
    ws = store.create_workshop(session=session, name="Crash test", target_minutes=20)
    rep = store.add_participant(session=session, workshop_id=ws.id, name="Chloé Martin")
    run_and_kill([database.url, str(rep.id), "half-tag"], "saved")
    record = session.exec(store.select(Interview).where(Interview.participant_id == rep.id)).one()
    # the banner says "Nothing was lost": the half-typed tag is on disk with the entered one
    assert store.answers_for(session=session, interview_id=record.id)["titles"] == ["CFO", "Head of RevOps"]
