"""A start killed at every SQL statement of every migration (the first start and each upgrade):
the next start works and nothing is lost (issue 14, point 2).

Each crash is a forked child that runs the real start-up (open_database) and dies with
os._exit() the moment SQLite is handed statement N (sqlite3's trace callback sees every
statement, BEGIN and COMMIT included). The parent then starts normally on the same file.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import event

from alignwork import db, store
from alignwork.workshops import bundle

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")

KILLED = 77


def tables_and_rows(path: Path) -> dict[str, int]:
    connection = sqlite3.connect(path)
    try:
        names = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
        return {name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}
    finally:
        connection.close()


def revision(path: Path) -> str | None:
    connection = sqlite3.connect(path)
    try:
        return connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    except sqlite3.OperationalError:
        return None
    finally:
        connection.close()


def start_and_die_at(path: Path, statement: int | None):
    """Fork a child that starts on ``path`` and dies at SQL statement ``statement`` of the
    migration (None: never). Returns the child's exit code (KILLED when it died) or, with
    ``statement=None``, the first word of each statement the migration ran."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns to pytest
        try:
            os.close(reader)
            count = 0
            seen: list[str] = []

            def trace(sql: str) -> None:
                nonlocal count
                count += 1
                seen.append(sql.split(None, 1)[0].upper() if sql.strip() else "")
                if statement is not None and count == statement:
                    os._exit(KILLED)

            original = db._migration_engine

            def traced(url):
                engine = original(url)
                event.listen(engine, "connect", lambda connection, _record: connection.set_trace_callback(trace))
                return engine

            db._migration_engine = traced
            db.open_database(f"sqlite:///{path}").dispose()
            os.write(writer, " ".join(seen).encode())
            os._exit(0)
        except BaseException:  # noqa: BLE001
            import traceback

            traceback.print_exc()
            os._exit(1)
    os.close(writer)
    output = b""
    while chunk := os.read(reader, 64):
        output += chunk
    os.close(reader)
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if statement is None:
        assert code == 0, "the start without a crash failed"
        return output.decode().split()
    return code


@pytest.fixture(scope="module")
def templates(tmp_path_factory) -> dict[str | None, Path]:
    """A database at each revision before head, holding the demo workshop's rows."""
    folder = tmp_path_factory.mktemp("templates")
    head = db.head_revision()
    script_revisions = [None, *db._pending_revisions(
        __import__("alembic.script", fromlist=["ScriptDirectory"]).ScriptDirectory.from_config(
            db._alembic_config(None)), None, head)][:-1]
    found: dict[str | None, Path] = {}
    for old in script_revisions:
        path = folder / f"at-{old or 'nothing'}" / "alignwork.db"
        if old is None:
            path.parent.mkdir()
            found[None] = path
            continue
        database = db.open_database(f"sqlite:///{path}")
        with database.session() as session:
            bundle.import_demo(session=session)
        with database.engine.begin() as connection:
            command.downgrade(db._alembic_config(connection), old)
        database.dispose()
        assert revision(path) == old
        found[old] = path
    return found


def check_recovered(path: Path, before: dict[str, int]) -> None:
    database = db.open_database(f"sqlite:///{path}")
    try:
        assert database.notices == []  # nothing was set aside: the file was never damaged
        assert db.current_revision(database.engine) == db.head_revision()
        with database.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        with database.session() as session:
            names = [w.name for w in store.list_workshops(session=session)]
        assert len(names) == before.get("workshop", 0)
    finally:
        database.dispose()
    after = tables_and_rows(path)
    for table, rows in before.items():
        if table != "alembic_version":
            assert after[table] == rows, f"{table}: {rows} rows before, {after[table]} after"


def kill_points(words: list[str], full: bool) -> list[int]:
    """Every statement (full), else every transaction boundary and its neighbours plus every
    sixteenth statement: the points where a crash is likeliest to hurt, at a fraction of the time."""
    if full:
        return list(range(1, len(words) + 1))
    chosen = set(range(1, len(words) + 1, 16)) | {len(words)}
    for index, word in enumerate(words, start=1):
        if word in ("BEGIN", "COMMIT", "ROLLBACK", "DROP", "ALTER"):
            chosen |= {index - 1, index, index + 1}
    return sorted(point for point in chosen if 1 <= point <= len(words))


def crash_everywhere(template: Path, work: Path, full: bool) -> int:
    """Kill a start at statements of the migration from ``template``; check each recovery."""
    work.mkdir(exist_ok=True)
    path = work / "alignwork.db"
    if template.exists():
        shutil.copy(template, path)
    words = start_and_die_at(path, None)
    assert words.count("BEGIN") >= 1 and "CREATE" in words
    before = tables_and_rows(template) if template.exists() else {}
    old_revision = revision(template) if template.exists() else None
    for statement in kill_points(words, full):
        shutil.rmtree(work)
        work.mkdir()
        if template.exists():
            shutil.copy(template, path)
        assert start_and_die_at(path, statement) == KILLED
        check_recovered(path, before)
        backups = list((work / "backups").glob("*.db")) if (work / "backups").exists() else []
        if old_revision is None:  # a crash after the first migration committed: an upgrade of an empty file
            assert len(backups) <= 1 and all(tables_and_rows(item).get("workshop", 0) == 0 for item in backups)
        else:  # one verified backup of the clean file, however far the crash got
            assert len(backups) == 1, backups
            assert revision(backups[0]) == old_revision
            assert tables_and_rows(backups[0]) == before
        assert not (work / "backups" / "alignwork.upgrade-pending").exists()
    return len(words)


def test_a_first_start_killed_at_its_statements_starts_cleanly_next_time(templates, tmp_path):
    assert crash_everywhere(templates[None], tmp_path / "work", full=False) > 20


def test_the_oldest_upgrade_killed_at_its_statements_is_finished_next_time_with_nothing_lost(templates, tmp_path):
    oldest = min(key for key in templates if key)
    crash_everywhere(templates[oldest], tmp_path / "work", full=False)


@pytest.mark.slow
@pytest.mark.parametrize("old", [None, "0001", "0002", "0003", "0004"])
def test_every_start_killed_at_every_single_statement_recovers(templates, tmp_path, old):
    if old not in templates:
        pytest.skip(f"no revision {old}")
    crash_everywhere(templates[old], tmp_path / "work", full=True)


def test_repeated_crashes_keep_the_one_clean_backup(templates, tmp_path):
    old = min(key for key in templates if key)
    path = tmp_path / "alignwork.db"
    shutil.copy(templates[old], path)
    for statement in (40, 25, 60):  # three starts die at different points of the upgrade
        assert start_and_die_at(path, statement) in (KILLED, 0)
    backups = list((tmp_path / "backups").glob("*.db"))
    assert len(backups) == 1 and revision(backups[0]) == old
    check_recovered(path, tables_and_rows(templates[old]))
    assert len(list((tmp_path / "backups").glob("*.db"))) == 1


def test_two_first_starts_at_once_both_work(tmp_path):
    path = tmp_path / "alignwork.db"
    pids = []
    for _ in range(2):
        pid = os.fork()
        if pid == 0:
            try:
                database = db.open_database(f"sqlite:///{path}")
                database.dispose()
                os._exit(0)
            except BaseException:  # noqa: BLE001
                import traceback

                traceback.print_exc()
                os._exit(1)
        pids.append(pid)
    codes = [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in pids]
    assert codes == [0, 0]
    assert revision(path) == db.head_revision()
