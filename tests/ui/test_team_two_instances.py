"""Two app instances on one PostgreSQL database (team mode): what one facilitator adds shows up
in the other's window within a couple of seconds, without a restart."""

from __future__ import annotations

import time

import pytest
from shell_helpers import open_window

from alignwork import store
from alignwork.changes import Changes
from alignwork.db import open_database


def sidebar_texts(window) -> list[str]:
    lst = window.sidebar.list
    return [lst.item(row).text() for row in range(lst.count())]


def test_a_colleagues_workshop_and_reps_appear_in_my_window(qtbot, pg_url, monkeypatch):
    mine_db, theirs_db = open_database(pg_url), open_database(pg_url)
    mine, theirs = open_window(qtbot, mine_db), open_window(qtbot, theirs_db)
    try:
        assert mine.context.feed is not None and theirs.context.feed is not None
        qtbot.waitUntil(lambda: mine.context.feed.mode == "listening", timeout=5000)
        monkeypatch.setenv("ALIGNWORK_FACILITATOR", "Dana")
        with theirs.context.session() as session:  # Dana, in her window, creates the workshop
            workshop = store.create_workshop(session=session, name="Team week — EMEA")
        theirs.context.announce(Changes(workshops=True, workshop_id=workshop.id))
        started = time.monotonic()
        qtbot.waitUntil(lambda: any("Team week — EMEA" in text for text in sidebar_texts(mine)), timeout=3000)
        assert time.monotonic() - started < 2.5

        mine.open_workshop(workshop.id, select=True)
        roster = mine.show_step("roster")
        qtbot.waitUntil(lambda: roster.body.currentWidget() is roster.empty, timeout=3000)
        with theirs.context.session() as session:
            store.add_participant(session=session, workshop_id=workshop.id, name="Priya Raman", team="EMEA")
        started = time.monotonic()
        qtbot.waitUntil(lambda: roster.model.rowCount() == 1, timeout=3000)
        assert time.monotonic() - started < 2.5
        assert roster.model.participant(0).name == "Priya Raman"
        mine.resize(1280, 800)
        mine.grab().save("/tmp/team-two-instances.png")
    finally:
        for window in (mine, theirs):
            window.context.stop_feed()
            window.close()
        mine_db.dispose()
        theirs_db.dispose()


def test_a_colleagues_answers_refresh_only_the_interviews_of_their_workshop(qtbot, pg_url):
    """The notification of an answer names its workshop: my Interviews page on another workshop
    stays as it is, and on the colleague's workshop it shows the new answer count."""
    from alignwork.interviews.autosave import AutosaveWriter

    mine_db, theirs_db = open_database(pg_url), open_database(pg_url)
    with theirs_db.session() as session:
        emea = store.create_workshop(session=session, name="EMEA week")
        us = store.create_workshop(session=session, name="US week")
        ana = store.add_participant(session=session, workshop_id=emea.id, name="Ana")
        store.add_participant(session=session, workshop_id=us.id, name="Uma")
        interview_id = store.create_interview(session=session, participant_id=ana.id).id
    mine = open_window(qtbot, mine_db)
    writer = AutosaveWriter(theirs_db.engine, delay=0.01)  # Dana's interview in EMEA, autosaved
    try:
        qtbot.waitUntil(lambda: mine.context.feed.mode == "listening", timeout=5000)
        mine.open_workshop(us.id, select=True)
        page = mine.show_step("interview")
        reloads = []
        real_reload = page.reload
        page.reload = lambda: (reloads.append(page.workshop_id), real_reload())
        seen = []
        mine.context.changed.connect(lambda changes: seen.append(changes))
        writer.set_answer(interview_id, "surprises", "They read pricing twice")
        assert writer.flush()
        qtbot.waitUntil(lambda: any(c.interviews for c in seen), timeout=3000)
        assert [c.workshop_id for c in seen if c.interviews] == [emea.id]
        assert reloads == []  # the US list did not reload for an EMEA answer

        mine.open_workshop(emea.id, select=True)
        assert page.model.rows[0].answered == 1
        writer.set_answer(interview_id, "ideal_lead", "CFOs at banks")
        assert writer.flush()
        qtbot.waitUntil(lambda: page.model.rows[0].answered == 2, timeout=3000)
        assert reloads[-1] == emea.id
    finally:
        writer.close()
        mine.context.stop_feed()
        mine.close()
        mine_db.dispose()
        theirs_db.dispose()
