"""Start-up tells a damaged file from a failing disk (issue 14, points 1 and 9): only a file that
is really damaged is set aside and the user is told where; a full disk or a permission problem
leaves the file where it is with a clear message; a garbage -wal keeps its bytes."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from alignwork import db, store
from alignwork.db import DatabaseError, DatabaseMissing, DatabaseUnavailable, open_database
from alignwork.workshops import bundle
from tests.reliability.conftest import fill
from tests.reliability.test_private_files import cli


def demo_database(path: Path) -> None:
    database = open_database(f"sqlite:///{path}")
    with database.session() as session:
        bundle.import_demo(session=session)
    database.dispose()


def write_in_wal(path: Path, statement: str) -> sqlite3.Connection:
    """Commit ``statement`` into the -wal without a checkpoint; the open connection keeps it there."""
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA wal_autocheckpoint=0")
    connection.execute(statement)
    connection.commit()
    return connection


def workshop_names(path: Path) -> list[str]:
    database = open_database(f"sqlite:///{path}")
    try:
        with database.session() as session:
            return [w.name for w in store.list_workshops(session=session)]
    finally:
        database.dispose()


def start_on_a_full_disk(path: Path) -> str | None:
    """Start on ``path``: None if it opened, else the one-line message."""
    try:
        database = open_database(f"sqlite:///{path}")
    except DatabaseError as error:
        assert "\n" not in str(error)
        return str(error)
    database.dispose()
    return None


def test_a_full_disk_at_start_up_leaves_the_healthy_file_where_it_is(small_disk):
    path = small_disk / "alignwork.db"
    demo_database(path)
    keep = sqlite3.connect(path)  # another reader keeps the -wal and -shm files alive
    keep.execute("SELECT count(*) FROM workshop").fetchone()
    fill(small_disk)
    try:
        message = start_on_a_full_disk(path)
    finally:
        keep.close()
    assert message is None or "left where it is" in message
    assert not [p for p in small_disk.iterdir() if ".corrupt-" in p.name], "a healthy file was set aside"
    (small_disk / "filler").unlink()
    assert len(workshop_names(path)) == 1  # the data is all there


def test_a_full_disk_during_an_upgrade_changes_nothing_and_says_so(small_disk):
    from alembic import command

    path = small_disk / "alignwork.db"
    demo_database(path)
    database = open_database(f"sqlite:///{path}")
    with database.engine.begin() as connection:
        command.downgrade(db._alembic_config(connection), "0001")
    database.dispose()
    fill(small_disk)
    message = start_on_a_full_disk(path)
    assert message and ("left where it is" in message or "full" in message)
    assert not [p for p in small_disk.iterdir() if ".corrupt-" in p.name]
    (small_disk / "filler").unlink()
    assert len(workshop_names(path)) == 1
    assert db.current_revision(open_database(f"sqlite:///{path}").engine) == db.head_revision()


def test_a_full_disk_when_opening_is_said_plainly_and_moves_nothing(small_disk):
    path = small_disk / "alignwork.db"
    demo_database(path)
    write_in_wal(path, "CREATE TABLE IF NOT EXISTS scratch (x)").close()
    (small_disk / "alignwork.db-shm").unlink(missing_ok=True)
    fill(small_disk)
    try:
        database = open_database(f"sqlite:///{path}")
    except DatabaseUnavailable as error:
        assert "left where it is" in str(error) or "cannot" in str(error)
    else:
        database.dispose()
    assert not [p for p in small_disk.iterdir() if ".corrupt-" in p.name]
    (small_disk / "filler").unlink()
    assert len(workshop_names(path)) == 1


def test_a_disk_error_is_not_damage(tmp_path, monkeypatch):
    path = tmp_path / "alignwork.db"
    demo_database(path)
    real_connect = sqlite3.connect

    def failing(*args, **kwargs):
        error = sqlite3.OperationalError("disk I/O error")
        error.sqlite_errorcode = 10  # SQLITE_IOERR
        raise error

    monkeypatch.setattr(sqlite3, "connect", failing)
    with pytest.raises(DatabaseUnavailable, match="left where it is") as caught:
        open_database(f"sqlite:///{path}")
    monkeypatch.setattr(sqlite3, "connect", real_connect)
    assert "disk I/O error" in str(caught.value) and "\n" not in str(caught.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["alignwork.db"]
    assert len(workshop_names(path)) == 1


def test_a_file_set_aside_is_always_named_even_when_the_new_start_fails(tmp_path, monkeypatch):
    path = tmp_path / "alignwork.db"
    path.write_bytes(b"not a database at all" * 50)

    def refuse(_database):
        raise DatabaseUnavailable("Cannot create tables: database or disk is full")

    monkeypatch.setattr(db, "migrate", refuse)
    with pytest.raises(DatabaseUnavailable) as caught:
        open_database(f"sqlite:///{path}")
    moved = [p for p in tmp_path.iterdir() if p.name.startswith("alignwork.db.corrupt-")]
    assert len(moved) == 1 and str(moved[0]) in str(caught.value) and "disk is full" in str(caught.value)


def test_a_garbage_wal_keeps_its_bytes_aside_and_is_told(tmp_path):
    path = tmp_path / "alignwork.db"
    demo_database(path)
    garbage = b"this is not a write-ahead log " * 40
    Path(f"{path}-wal").write_bytes(garbage)
    database = open_database(f"sqlite:///{path}")
    try:
        kept = [p for p in tmp_path.iterdir() if ".garbage-" in p.name]
        assert len(kept) == 1 and kept[0].read_bytes() == garbage
        assert kept[0].stat().st_mode & 0o777 == 0o600
        assert len(database.notices) == 1 and str(kept[0]) in database.notices[0]
        with database.session() as session:
            assert len(store.list_workshops(session=session)) == 1
    finally:
        database.dispose()


def test_a_real_wal_is_left_to_sqlite(tmp_path):
    path = tmp_path / "alignwork.db"
    demo_database(path)
    writer = write_in_wal(path, "UPDATE workshop SET goal = 'from the wal'")
    assert Path(f"{path}-wal").stat().st_size > 0
    database = open_database(f"sqlite:///{path}")
    writer.close()
    try:
        assert database.notices == []
        assert not [p for p in tmp_path.iterdir() if ".garbage-" in p.name]
    finally:
        database.dispose()


def test_reading_never_creates_a_database_or_its_folders(tmp_path):
    path = tmp_path / "typo" / "deeper" / "alignwork.db"
    with pytest.raises(DatabaseMissing, match="no database at"):
        open_database(f"sqlite:///{path}", create=False)
    assert not (tmp_path / "typo").exists()


def test_list_with_a_mistyped_db_creates_nothing(tmp_path):
    home = tmp_path / "home"
    typo = tmp_path / "Documnets" / "alignwork.db"
    for command in (["list"], ["premortem", "1"], ["agreement", "1"], ["export-bundle", "1", "-o", "-"]):
        result = cli("--db", f"sqlite:///{typo}", *command, home=home)
        assert result.returncode == 2, (command, result.stderr)
        assert "no database at" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "Documnets").exists()


def test_list_on_a_fresh_data_folder_says_no_workshops_and_creates_no_database(tmp_path):
    result = cli("list", home=tmp_path / "home")
    assert result.returncode == 0 and "No workshops yet" in result.stdout
    assert not (tmp_path / "home" / "alignwork.db").exists()


def test_a_non_utf8_name_in_sqlite_master_is_one_line(tmp_path):
    path = tmp_path / "alignwork.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE t (x)")
    connection.commit()
    connection.execute("PRAGMA writable_schema=ON")
    connection.execute("UPDATE sqlite_master SET name = CAST(X'74ff' AS TEXT), tbl_name = CAST(X'74ff' AS TEXT)")
    connection.commit()
    connection.close()
    original = path.read_bytes()
    result = cli("--db", f"sqlite:///{path}", "list", home=tmp_path / "home")
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    moved = [p for p in tmp_path.iterdir() if p.name.startswith("alignwork.db.corrupt-")]
    assert len(moved) == 1 and moved[0].read_bytes() == original and str(moved[0]) in result.stderr
