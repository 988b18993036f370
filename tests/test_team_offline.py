"""The network drops mid-interview: answers queue in the autosave writer, the facilitator is
told, and everything is written when the server is back (a real PostgreSQL, stopped and
started again on the same port)."""

from __future__ import annotations

import time

from alignwork import store
from alignwork.db import open_database
from alignwork.interviews import flow
from alignwork.interviews.autosave import AutosaveWriter


def _interview(database):
    with database.session() as session:
        ws = store.create_workshop(session=session, name="Team week")
        rep = store.add_participant(session=session, workshop_id=ws.id, name="Ana")
        return flow.interview_for_participant(session=session, participant_id=rep.id)


def test_answers_typed_while_the_server_is_down_are_written_when_it_is_back(own_pg_server):
    database = open_database(own_pg_server.url("team"))
    interview = _interview(database)
    errors: list[str] = []
    writer = AutosaveWriter(database.engine, delay=0.05, on_error=errors.append)
    try:
        own_pg_server.pause()
        writer.set_answer(interview.id, "surprises", "They read the pricing page twice")
        writer.add_note(interview.id, "quote", "Nobody calls back within a day", None)
        assert not writer.flush(timeout=2.5)  # cannot be written now …
        assert writer.pending
        assert errors and errors[0].startswith("Not saved yet (") and errors[0].endswith("retrying…")
        assert "\n" not in errors[0]
        own_pg_server.resume()
        assert writer.flush(timeout=15)  # … and is, once the server is back
    finally:
        writer.close(5)
    with database.session() as session:
        assert store.answers_for(session=session, interview_id=interview.id) == {
            "surprises": "They read the pricing page twice"}
        assert [n.text for n in store.notes_for(session=session, interview_id=interview.id)] == [
            "Nobody calls back within a day"]
    database.dispose()


def test_the_change_feed_survives_a_server_restart_and_refreshes_everything(own_pg_server):
    import queue

    from alignwork.team_feed import ChangeFeed

    mine, theirs = open_database(own_pg_server.url("team")), open_database(own_pg_server.url("team"))
    events: queue.Queue = queue.Queue()
    feed = ChangeFeed(mine.engine, events.put)
    try:
        deadline = time.monotonic() + 5
        while feed.mode != "listening" and time.monotonic() < deadline:
            time.sleep(0.02)
        own_pg_server.pause()
        own_pg_server.resume()
        changes = events.get(timeout=15)  # listening again: one "everything changed" so views catch up
        assert changes.any() and changes.workshops and changes.interviews
        with theirs.session() as session:
            store.create_workshop(session=session, name="After the restart")
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            changes = events.get(timeout=5)
            if changes.workshops and changes.workshop_id is not None:
                break
        assert feed.mode == "listening" and changes.workshop_id is not None
    finally:
        feed.stop()
        mine.dispose()
        theirs.dispose()


def test_closing_while_the_server_is_down_keeps_the_answers_for_the_next_start(own_pg_server):
    from alignwork.paths import data_dir

    database = open_database(own_pg_server.url("team"))
    interview = _interview(database)
    errors: list[str] = []
    writer = AutosaveWriter(database.engine, delay=0.05, on_error=errors.append, journal_folder=data_dir())
    own_pg_server.pause()
    writer.set_answer(interview.id, "surprises", "They read the pricing page twice")
    writer.add_note(interview.id, "quote", "Nobody calls back within a day", None)
    started = time.monotonic()
    assert writer.close(timeout=10) is False
    assert time.monotonic() - started < 5  # kept on disk: no ten seconds of retries at exit
    assert errors[-1].startswith("1 answer and 1 note could not be written to the database yet (")
    assert errors[-1].endswith("Nothing is lost: kept on this computer, to be written the next time Alignwork "
                               "reaches the database.")
    assert writer.journal_path.exists()
    database.dispose()

    own_pg_server.resume()
    reopened = open_database(own_pg_server.url("team"))
    recovered: list[str] = []
    again = AutosaveWriter(reopened.engine, delay=0.05, on_recovered=recovered.append, journal_folder=data_dir())
    assert again.journal_path == writer.journal_path  # the same database, the same file
    deadline = time.monotonic() + 10
    while not recovered and time.monotonic() < deadline:
        time.sleep(0.02)
    assert again.close()
    assert recovered == ["1 answer and 1 note typed while the team database was unreachable were saved"]
    with reopened.session() as session:
        assert store.answers_for(session=session, interview_id=interview.id) == {
            "surprises": "They read the pricing page twice"}
        assert [n.text for n in store.notes_for(session=session, interview_id=interview.id)] == [
            "Nobody calls back within a day"]
    assert not writer.journal_path.exists()
    reopened.dispose()
