"""A database locked by another program while the facilitator types: the status bar says
the answer is not saved yet, nothing is lost, and it lands once the lock goes."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt

from alignwork import store
from alignwork.interviews import autosave
from alignwork.db import sqlite_path


def running_interview(context, session, keyboard, show_page):
    """Ana's interview begun on the Interviews page; the status bar's messages collected."""
    from alignwork_gui.pages.interviews.page import InterviewPage

    ws = store.create_workshop(session=session, name="Locked")
    ana = store.add_participant(session=session, workshop_id=ws.id, name="Ana Lopez")
    messages = []
    context.status.connect(lambda message, _timeout: messages.append(message))
    page = show_page(InterviewPage(context), ws.id)
    page.start_for_participant(ana.id)
    keyboard.enter()  # begin
    assert page.writer.flush()
    return page, messages


def test_locked_database_is_told_and_nothing_is_lost(qtbot, context, session, db_url, keyboard, show_page,
                                                     monkeypatch):
    monkeypatch.setattr(autosave, "BUSY_TIMEOUT_MS", 100)
    monkeypatch.setattr(autosave, "RETRY_SECONDS", 0.2)
    page, messages = running_interview(context, session, keyboard, show_page)
    interview_id = page.runner.interview_id

    other = sqlite3.connect(sqlite_path(db_url), timeout=0)  # another program holding the write lock
    other.execute("BEGIN EXCLUSIVE")
    keyboard.type("Budget holders")
    qtbot.waitUntil(lambda: any(m.startswith("Not saved yet (database is locked); retrying") for m in messages),
                    timeout=3000)
    assert not other.execute("SELECT count(*) FROM answer").fetchone()[0]
    assert page.writer.pending
    keyboard.press(Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)  # work goes on meanwhile
    keyboard.type("CFOs at banks")

    other.rollback()  # the lock goes
    other.close()
    qtbot.waitUntil(lambda: not page.writer.pending, timeout=3000)
    qtbot.waitUntil(lambda: messages[-1].startswith("Saved "))
    assert store.answers_for(session=session, interview_id=interview_id) == {
        "wiifm": "Budget holders", "ideal_lead": "CFOs at banks"}
    page.close_writer()


def test_closing_on_a_locked_database_says_what_is_lost(database, session, monkeypatch):
    monkeypatch.setattr(autosave, "BUSY_TIMEOUT_MS", 50)
    ws = store.create_workshop(session=session, name="Locked at exit")
    ana = store.add_participant(session=session, workshop_id=ws.id, name="Ana Lopez")
    record = store.create_interview(session=session, participant_id=ana.id)
    errors = []
    writer = autosave.AutosaveWriter(database.engine, on_error=errors.append)
    other = sqlite3.connect(sqlite_path(str(database.engine.url)), timeout=0)
    other.execute("BEGIN EXCLUSIVE")
    writer.set_answer(record.id, "wiifm", "Budget holders")
    writer.add_note(record.id, "quote", "Fewer, better", "wiifm")
    assert writer.close(timeout=0.5) is False
    other.rollback()
    other.close()
    assert errors[-1] == "2 changes could not be saved (database is locked)"


def test_finish_and_guide_edit_on_a_locked_database_are_refused_in_words(qtbot, context, session, db_url,
                                                                          keyboard, show_page, monkeypatch):
    from sqlalchemy import event

    from alignwork_gui.pages.interviews import runner as interview_runner
    from alignwork_gui.pages.guide.page import GuidePage

    monkeypatch.setattr(autosave, "BUSY_TIMEOUT_MS", 50)
    monkeypatch.setattr(autosave, "RETRY_SECONDS", 0.1)
    monkeypatch.setattr(interview_runner, "FLUSH_SECONDS", 0.3)
    event.listen(context.database.engine, "connect",
                 lambda connection, _record: connection.execute("PRAGMA busy_timeout=50"))
    page, messages = running_interview(context, session, keyboard, show_page)
    ws_id = page.workshop_id

    other = sqlite3.connect(sqlite_path(db_url), timeout=0)
    other.execute("BEGIN EXCLUSIVE")
    keyboard.type("Budget holders")
    keyboard.press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert any(m.startswith("Not finished: the answers are not in the database yet (database is locked)") for m in messages)
    assert page.stack.currentWidget() is page.runner and page.runner.timer.running  # still open, clock on

    guide = show_page(GuidePage(context), ws_id)
    guide._select("titles")
    guide.toggle_selected()  # hide: refused in words, the tree shows the guide as it is
    assert messages[-1].startswith("Guide not saved: the database cannot be written just now (database is locked)")
    assert not any(q.hidden for q in guide.questions)

    other.rollback()
    other.close()
    page.activateWindow()
    qtbot.waitUntil(lambda: not page.writer.pending, timeout=3000)
    page.runner.finish()
    assert page.stack.currentIndex() == 0 and messages[-1].startswith("Interview finished: 1 of 16 answered")
    record = store.list_interviews(session=session, workshop_id=ws_id)[0]
    session.refresh(record)
    assert record.status == "done"
    assert store.answers_for(session=session, interview_id=record.id) == {"wiifm": "Budget holders"}
    page.close_writer()
