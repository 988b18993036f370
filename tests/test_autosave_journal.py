"""What autosave cannot write is kept on this computer (alignwork.interviews.journal) and written
when the database takes writes again — later in the same run, or by the next writer on the same
database. A SQLite file locked by another program stands in for an unreachable server here;
tests/test_team_offline.py and tests/ui/test_interview_offline.py stop a real PostgreSQL."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import time

import pytest

from alignwork import store
from alignwork.db import sqlite_path
from alignwork.interviews import autosave, journal
from alignwork.interviews.autosave import AutosaveWriter
from alignwork.interviews.guide import default_question
from alignwork.models import Interview
from alignwork.paths import data_dir


@pytest.fixture
def fast(monkeypatch):
    monkeypatch.setattr(autosave, "BUSY_TIMEOUT_MS", 50)
    monkeypatch.setattr(autosave, "RETRY_SECONDS", 0.1)


@pytest.fixture
def interview_id(session):
    ws = store.create_workshop(session=session, name="Offline week")
    ana = store.add_participant(session=session, workshop_id=ws.id, name="Ana")
    return store.create_interview(session=session, participant_id=ana.id).id


def locked(database) -> sqlite3.Connection:
    """Another program holding the write lock of the database file."""
    other = sqlite3.connect(sqlite_path(str(database.engine.url)), timeout=0)
    other.execute("BEGIN EXCLUSIVE")
    return other


def wait_for(condition, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_a_healthy_database_never_sees_a_journal(database, interview_id):
    writer = AutosaveWriter(database.engine, delay=0.01, journal_folder=data_dir())
    writer.set_answer(interview_id, "surprises", "Nothing odd")
    writer.add_note(interview_id, "quote", "All good", None)
    assert writer.close()
    assert not writer.journal_path.exists() and not list(data_dir().glob("unsaved-*"))


def test_locked_changes_are_kept_privately_and_written_by_the_next_writer(database, session, interview_id, fast):
    other = locked(database)
    errors, recovered = [], []
    writer = AutosaveWriter(database.engine, delay=0.02, on_error=errors.append, journal_folder=data_dir())
    writer.set_answer(interview_id, "titles", ["CFO", "Controller"], default_question("titles"))
    writer.set_position(interview_id, "titles", 95)
    writer.add_note(interview_id, "quote", "Anything under 200 is a waste", "titles")
    wait_for(lambda: writer.kept)
    path = writer.journal_path
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    kept = json.loads(path.read_text(encoding="utf-8"))
    assert kept["database"] == f"sqlite:///{database.path}"
    assert [a["value"] for a in kept["answers"]] == [["CFO", "Controller"]]
    assert errors[0] == "Not saved yet (database is locked); retrying… Kept on this computer meanwhile: nothing is lost."

    writer.set_answer(interview_id, "wiifm", "Fewer, better leads")  # typed while it stays locked: kept too
    wait_for(lambda: writer.kept and "Fewer" in path.read_text(encoding="utf-8"))
    assert writer.close(timeout=5) is False
    assert errors[-1] == ("2 answers and 1 note could not be written to the database yet (database is locked). "
                          "Nothing is lost: kept on this computer, to be written the next time Alignwork reaches "
                          "the database.")
    assert path.exists()
    other.rollback()
    other.close()
    assert store.answers_for(session=session, interview_id=interview_id) == {}

    again = AutosaveWriter(database.engine, delay=0.02, on_recovered=recovered.append, journal_folder=data_dir())
    wait_for(lambda: recovered)
    assert again.close()
    assert recovered == ["2 answers and 1 note typed while the database was unreachable were saved"]
    assert store.answers_for(session=session, interview_id=interview_id) == {
        "titles": ["CFO", "Controller"], "wiifm": "Fewer, better leads"}
    notes = store.notes_for(session=session, interview_id=interview_id)
    assert [(n.kind, n.question, n.text) for n in notes] == [("quote", "titles", "Anything under 200 is a waste")]
    record = session.get(Interview, interview_id)
    session.refresh(record)
    assert (record.current_key, record.elapsed_seconds) == ("titles", 95)
    assert not path.exists()


def test_the_same_run_writes_the_kept_changes_once_the_lock_goes(database, session, interview_id, fast):
    other = locked(database)
    recovered = []
    writer = AutosaveWriter(database.engine, delay=0.02, on_recovered=recovered.append, journal_folder=data_dir())
    writer.set_answer(interview_id, "surprises", "They read pricing twice")
    wait_for(lambda: writer.kept and writer.journal_path.exists())
    other.rollback()
    other.close()
    assert writer.flush(timeout=5)
    wait_for(lambda: recovered)
    assert recovered == ["1 answer typed while the database was unreachable was saved"]
    assert not writer.journal_path.exists()
    assert writer.close()
    assert store.answers_for(session=session, interview_id=interview_id) == {"surprises": "They read pricing twice"}


def test_a_replay_reports_what_it_cannot_apply_and_does_not_retry_it(database, session, fast):
    ws = store.create_workshop(session=session, name="Gone")
    ben = store.add_participant(session=session, workshop_id=ws.id, name="Ben")
    gone = store.create_interview(session=session, participant_id=ben.id).id
    other = locked(database)
    writer = AutosaveWriter(database.engine, delay=0.02, journal_folder=data_dir())
    writer.set_answer(gone, "surprises", "typed before the rep was removed")
    writer.add_note(gone, "idea", "call back", None)
    writer.set_position(gone, "surprises", 30)
    wait_for(lambda: writer.kept)
    writer.close(timeout=1)
    other.rollback()
    other.close()
    store.delete_participant(session=session, participant_id=ben.id)  # takes the interview with it

    errors, saved = [], []
    again = AutosaveWriter(database.engine, delay=0.02, on_error=errors.append, on_saved=saved.append,
                           journal_folder=data_dir())
    wait_for(lambda: len(errors) == 3)
    assert again.flush(timeout=2) and not again.pending
    time.sleep(0.3)  # no second round
    assert again.close()
    assert sum("the interview was removed meanwhile" in e for e in errors) == 2, errors
    assert f"Not saved: no interview with id {gone}" in errors
    assert len(errors) == 3 and not saved
    assert not again.journal_path.exists()


def test_a_note_already_written_before_a_crash_is_not_added_twice(database, session, interview_id):
    """A kill just after the write but before the journal was updated: the replay finds the note."""
    writer = AutosaveWriter(database.engine, delay=0.01)
    writer.add_note(interview_id, "quote", "Only once", None)
    note = writer.unsaved().notes[0]
    assert writer.close()
    kept = journal.Queue(notes=[note])
    kept.answers[(interview_id, "wiifm")] = ("Budget holders", None)
    journal.write(journal.path_for(database.engine, data_dir()), kept, "test")

    again = AutosaveWriter(database.engine, delay=0.01, journal_folder=data_dir())
    wait_for(lambda: not again.journal_path.exists())
    assert again.close()
    assert [n.text for n in store.notes_for(session=session, interview_id=interview_id)] == ["Only once"]
    assert store.answers_for(session=session, interview_id=interview_id) == {"wiifm": "Budget holders"}


def test_an_unreadable_journal_is_set_aside_in_words(database):
    path = journal.path_for(database.engine, data_dir())
    path.write_text("{not json", encoding="utf-8")
    errors = []
    writer = AutosaveWriter(database.engine, on_error=errors.append, journal_folder=data_dir())
    wait_for(lambda: errors)
    assert writer.close()
    assert errors[0].startswith(f"The changes kept on this computer in {path} cannot be read back (it is not a "
                                "valid list of unsaved changes")
    assert errors[0].endswith(f"the file is left as {path}.unreadable for you to look at")
    assert "\n" not in errors[0]
    assert not path.exists() and path.with_name(path.name + ".unreadable").exists()


def test_one_journal_per_database(tmp_path):
    from alignwork.db import make_engine

    first, same = make_engine(f"sqlite:///{tmp_path / 'a.db'}"), make_engine(f"sqlite:///{tmp_path / '.' / 'a.db'}")
    second = make_engine(f"sqlite:///{tmp_path / 'b.db'}")
    server = make_engine("postgresql://dana:secret@db.example:5432/team?sslmode=require")
    assert journal.path_for(first, tmp_path) == journal.path_for(same, tmp_path)
    assert journal.path_for(first, tmp_path) != journal.path_for(second, tmp_path)
    assert journal.database_identity(server) == "postgresql://dana@db.example:5432/team"  # never the password
    for engine in (first, same, second, server):
        engine.dispose()
