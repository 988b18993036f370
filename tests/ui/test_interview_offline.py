"""The database goes away mid-interview (a team server stopped, or a SQLite file locked by another
program): what the facilitator types next is kept on this computer, survives a kill -9 of the
app or a close, and is written — with a word to the facilitator — when the app next reaches the
database."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from interview_child import run_and_kill
from shell_helpers import Dialogs, open_window

from alignwork import store
from alignwork.db import open_database, sqlite_path
from alignwork.interviews import journal
from alignwork.models import Interview
from alignwork.paths import data_dir

def _kill_while_unreachable(url: str, participant_id: int, go: Path, make_unreachable) -> str:
    """The real interview page in its own process: the first answer saved, then the database made
    unreachable, the rest typed, and the process killed once the writer says it is all kept."""
    def on_line(words: list[str]) -> None:
        if words[0] == "ready":
            make_unreachable()
            go.touch()

    lines = run_and_kill([url, str(participant_id), "offline", str(go)], "kept", on_line)
    return lines[-1][1]


def _reopen_and_check(qtbot, url: str, participant_id: int, told: str) -> None:
    """A fresh window on the database, as at the next start: the kept answers are written and said."""
    database = open_database(url)
    assert journal.kept_for(database.engine, data_dir())
    window = open_window(qtbot, database)  # the replay may start here already (the last step shown)
    try:
        window.offer_resume()
        qtbot.waitUntil(lambda: window.statusBar().currentMessage() == told, timeout=10000)
        with database.session() as session:
            record = session.exec(store.select(Interview).where(Interview.participant_id == participant_id)).one()
            assert store.answers_for(session=session, interview_id=record.id) == {
                "wiifm": "Leads that are already looking", "titles": ["CFO", "Controller"],
                "company_size": "200-2000"}
            assert [(n.kind, n.question, n.text) for n in store.notes_for(session=session, interview_id=record.id)] \
                == [("quote", "company_size", "Anything under 200 is a waste of a call")]
            assert (record.status, record.current_key) == ("in_progress", "company_size")
        assert not journal.kept_for(database.engine, data_dir())
    finally:
        window.context.stop_feed()
        window.close()
        window.page("interview").close_writer()
        qtbot.wait(50)
        database.dispose()


def _workshop(url: str) -> int:
    database = open_database(url)
    with database.session() as session:
        ws = store.create_workshop(session=session, name="Offline test", target_minutes=20)
        rep_id = store.add_participant(session=session, workshop_id=ws.id, name="Chloé Martin").id
    database.dispose()
    return rep_id


def test_killed_while_the_team_server_is_down_nothing_typed_is_lost(qtbot, own_pg_server, tmp_path):
    url = own_pg_server.url("team")
    rep_id = _workshop(url)
    assert _kill_while_unreachable(url, rep_id, tmp_path / "go", own_pg_server.pause) == "company_size"
    own_pg_server.resume()
    _reopen_and_check(qtbot, url, rep_id, "2 answers and 1 note typed while the team database was unreachable "
                                          "were saved")


def test_killed_while_the_database_is_locked_nothing_typed_is_lost(qtbot, db_url, tmp_path):
    rep_id = _workshop(db_url)
    holder: list[sqlite3.Connection] = []

    def lock() -> None:  # another program takes the write lock and keeps it
        holder.append(sqlite3.connect(sqlite_path(db_url), timeout=0))
        holder[0].execute("BEGIN EXCLUSIVE")

    try:
        assert _kill_while_unreachable(db_url, rep_id, tmp_path / "go", lock) == "company_size"
    finally:
        for connection in holder:
            connection.rollback()
            connection.close()
    _reopen_and_check(qtbot, db_url, rep_id, "2 answers and 1 note typed while the database was unreachable "
                                             "were saved")


def test_closing_while_the_team_server_is_down_says_the_answers_are_kept(qtbot, own_pg_server, keyboard,
                                                                         monkeypatch):
    url = own_pg_server.url("team")
    rep_id = _workshop(url)
    database = open_database(url)
    window = open_window(qtbot, database)
    dialogs = Dialogs(monkeypatch)
    try:
        page = window.show_step("interview")
        page.start_for_participant(rep_id)
        keyboard.enter()  # begin
        keyboard.type("Leads that are already looking")
        assert page.writer.flush()
        own_pg_server.pause()
        keyboard.next_question()
        keyboard.type("Budget holders at banks")
        window.close()
        title, text = dialogs.last
        assert title == "Not in the database yet"
        assert text.startswith("1 answer could not be written to the database yet (")
        assert "Nothing is lost: kept on this computer, to be written the next time Alignwork reaches the " \
               "database." in text
        assert "lost" not in text.replace("Nothing is lost", "")
        page.close_writer()
        qtbot.wait(50)  # its last report reaches the status bar while the window is there
    finally:
        window.context.stop_feed()
        database.dispose()
    own_pg_server.resume()

    database = open_database(url)
    again = open_window(qtbot, database)
    try:
        again.offer_resume()
        qtbot.waitUntil(lambda: again.statusBar().currentMessage()
                        == "1 answer typed while the team database was unreachable was saved", timeout=10000)
        with database.session() as session:
            record = session.exec(store.select(Interview).where(Interview.participant_id == rep_id)).one()
            assert store.answers_for(session=session, interview_id=record.id) == {
                "wiifm": "Leads that are already looking", "ideal_lead": "Budget holders at banks"}
    finally:
        again.context.stop_feed()
        again.close()
        again.page("interview").close_writer()
        qtbot.wait(50)
        database.dispose()


@pytest.fixture(autouse=True)
def _no_journal_left_behind():
    yield
    assert not list(data_dir().glob("unsaved-*.json")), "a test left unsaved changes behind"
