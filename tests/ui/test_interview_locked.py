"""A database locked by another program while the facilitator types: the status bar says
the answer is not saved yet, nothing is lost, and it lands once the lock goes."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt

from alignwork import autosave, store
from alignwork.db import sqlite_path


def test_locked_database_is_told_and_nothing_is_lost(qtbot, context, session, db_url, keyboard, show_page,
                                                     monkeypatch):
    from ui.pages.interview import InterviewPage

    monkeypatch.setattr(autosave, "BUSY_TIMEOUT_MS", 100)
    monkeypatch.setattr(autosave, "RETRY_SECONDS", 0.2)
    ws = store.create_workshop(session=session, name="Locked")
    ana = store.add_participant(session=session, workshop_id=ws.id, name="Ana Lopez")
    messages = []
    context.status.connect(lambda message, _timeout: messages.append(message))
    page = show_page(InterviewPage(context), ws.id)
    page.start_for_participant(ana.id)
    keyboard.enter()  # begin
    assert page.writer.flush()
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
    assert errors[-1] == "2 change(s) could not be saved (database is locked)"
