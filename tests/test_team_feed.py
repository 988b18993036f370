"""Other instances' changes reach the change bus within a couple of seconds: LISTEN/NOTIFY on
PostgreSQL, polling where that is not possible (and on SQLite)."""

from __future__ import annotations

import queue
import time

import pytest

from alignwork import store
from alignwork.db import open_database
from alignwork.team_feed import ChangeFeed

pytestmark = pytest.mark.backends  # SQLite and PostgreSQL


def _wait(events: queue.Queue, want, seconds: float = 3.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            changes = events.get(timeout=max(0.01, deadline - time.monotonic()))
        except queue.Empty:
            break
        if want(changes):
            return changes, time.monotonic()
    pytest.fail("no change arrived in time")


@pytest.mark.parametrize("poll_only", [False, True], ids=["listen", "poll"])
def test_a_colleagues_interview_and_answers_arrive(db_url, db_backend, poll_only):
    mine, theirs = open_database(db_url), open_database(db_url)
    events: queue.Queue = queue.Queue()
    feed = ChangeFeed(mine.engine, events.put, poll_only=poll_only, poll_seconds=0.3)
    try:
        deadline = time.monotonic() + 5
        while feed.mode == "starting" and time.monotonic() < deadline:
            time.sleep(0.02)
        assert feed.mode == ("listening" if db_backend == "postgresql" and not poll_only else "polling")
        time.sleep(0.4)  # the poller's first look
        with theirs.session() as session:
            started = time.monotonic()
            ws = store.create_workshop(session=session, name="Shared week")
            store.add_participant(session=session, workshop_id=ws.id, name="Ana")
        changes, arrived = _wait(events, lambda c: c.roster)
        assert arrived - started < 2.0
        if db_backend == "postgresql" and not poll_only:
            assert changes.workshop_id == ws.id
        # our own writes are not echoed back (the page that wrote already shows them)
        if db_backend == "postgresql" and not poll_only:
            while not events.empty():
                events.get()
            with mine.session() as session:
                store.add_participant(session=session, workshop_id=ws.id, name="Ben")
            time.sleep(0.8)
            assert events.empty()
    finally:
        feed.stop()
        mine.dispose()
        theirs.dispose()


@pytest.mark.parametrize("poll_only", [False, True], ids=["listen", "poll"])
def test_answers_and_notes_name_their_workshop(db_url, db_backend, poll_only):
    """An answer or a note typed in one workshop reaches the bus with that workshop's id, so a page
    showing another workshop is left alone (a Changes without one reloads every page)."""
    from alignwork.interviews.autosave import AutosaveWriter

    mine, theirs = open_database(db_url), open_database(db_url)
    with theirs.session() as session:
        here = store.create_workshop(session=session, name="EMEA week")
        store.create_workshop(session=session, name="US week")  # another workshop, shown elsewhere
        rep = store.add_participant(session=session, workshop_id=here.id, name="Ana")
        interview_id = store.create_interview(session=session, participant_id=rep.id).id
    events: queue.Queue = queue.Queue()
    feed = ChangeFeed(mine.engine, events.put, poll_only=poll_only, poll_seconds=0.3)
    writer = AutosaveWriter(theirs.engine, delay=0.01)  # a colleague's interview, autosaved
    try:
        deadline = time.monotonic() + 5
        while feed.mode == "starting" and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(0.4)  # the poller's first look
        writer.set_answer(interview_id, "surprises", "They read pricing twice")
        assert writer.flush()
        changes, _ = _wait(events, lambda c: c.interviews)
        assert changes.workshop_id == here.id and not changes.roster
        writer.add_note(interview_id, "quote", "Call within the hour", None)
        assert writer.flush()
        changes, _ = _wait(events, lambda c: c.interviews)
        assert changes.workshop_id == here.id
    finally:
        writer.close()
        feed.stop()
        mine.dispose()
        theirs.dispose()


def test_the_workshop_lookup_goes_down_and_up_with_its_migration(pg_url):
    from alembic import command

    from alignwork import db

    database = open_database(pg_url)

    def notify_function() -> str:
        with database.engine.connect() as connection:
            return connection.exec_driver_sql("SELECT prosrc FROM pg_proc WHERE proname = 'alignwork_notify'").scalar()

    assert "interview_id" in notify_function()
    with database.engine.begin() as connection:
        command.downgrade(db._alembic_config(connection), "0009")
    assert "interview_id" not in notify_function() and "workshop_id" in notify_function()  # 0007's, as it was
    db.migrate(database)
    assert "interview_id" in notify_function() and db.current_revision(database.engine) == db.head_revision()
    database.dispose()
