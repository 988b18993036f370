"""Storage safety: pragmas, private files, migrations equal the models, backups,
newer and corrupt files, unusable URLs."""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import alignwork.models
from alignwork import db, store
from alignwork.workshops import bundle
from alignwork.db import DatabaseTooNew, DatabaseUnavailable, open_database


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def revision_of(path: Path) -> str:
    connection = sqlite3.connect(path)
    try:
        return connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        connection.close()


def test_every_connection_gets_the_safe_pragmas(database):
    with database.engine.connect() as connection:
        values = {name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
                  for name in ("journal_mode", "foreign_keys", "synchronous", "busy_timeout")}
    assert values == {"journal_mode": "wal", "foreign_keys": 1, "synchronous": 2, "busy_timeout": 5000}


def test_foreign_keys_are_enforced(session):
    from alignwork.models import Participant

    session.add(Participant(workshop_id=999, ref="p1", name="Orphan"))
    with pytest.raises(Exception, match="FOREIGN KEY"):
        session.commit()


def test_new_folder_and_files_are_private(tmp_path):
    path = tmp_path / "new" / "nested" / "alignwork.db"
    database = open_database(f"sqlite:///{path}")
    with database.session() as session:  # keep a connection so the -wal and -shm files exist
        store.create_workshop(session=session, name="Private")
        modes = {p.name: p.stat().st_mode & 0o777 for p in path.parent.iterdir() if p.is_file()}
    database.dispose()
    assert (tmp_path / "new").stat().st_mode & 0o777 == 0o700
    assert path.parent.stat().st_mode & 0o777 == 0o700
    assert modes["alignwork.db"] == 0o600
    assert set(modes.values()) == {0o600}, modes


def test_migrations_build_exactly_the_models(database):
    """Protects every room: a table or column added to a model must be in its migration too."""
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, alignwork.models.metadata) == []
    assert db.current_revision(database.engine) == db.head_revision()


def test_migrations_go_down_and_up_again(database):
    with database.engine.begin() as connection:
        command.downgrade(db._alembic_config(connection), "base")
    with database.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT name FROM sqlite_master WHERE name='workshop'").first() is None
    db.migrate(database)
    assert db.current_revision(database.engine) == db.head_revision()


def test_existing_file_is_backed_up_and_verified_before_upgrading(tmp_path):
    path = tmp_path / "alignwork.db"
    url = f"sqlite:///{path}"
    old = open_database(url, migrate_schema=False)
    with old.engine.begin() as connection:  # an install from the first release: schema 0001 only
        command.upgrade(db._alembic_config(connection), "0001")
    with old.session() as session:
        store.create_workshop(session=session, name="Kept through the upgrade")
    old.dispose()
    if db.head_revision() == "0001":
        pytest.skip("nothing to upgrade yet")

    upgraded = open_database(url)
    backups = list((tmp_path / "backups").glob("alignwork-before-*.db"))
    assert len(backups) == 1
    assert backups[0].stat().st_mode & 0o777 == 0o600
    assert revision_of(backups[0]) == "0001"
    check = sqlite3.connect(backups[0])
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert check.execute("SELECT name FROM workshop").fetchall() == [("Kept through the upgrade",)]
    check.close()
    assert db.current_revision(upgraded.engine) == db.head_revision()
    with upgraded.session() as session:
        assert [w.name for w in store.list_workshops(session=session)] == ["Kept through the upgrade"]
    upgraded.dispose()

    open_database(url).dispose()  # already at head: no second backup
    assert len(list((tmp_path / "backups").glob("*.db"))) == 1


def test_database_from_a_newer_app_is_refused_and_untouched(tmp_path):
    path = tmp_path / "alignwork.db"
    database = open_database(f"sqlite:///{path}")
    with database.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '9999_future'")
    database.dispose()
    before = digest(path)
    with pytest.raises(DatabaseTooNew, match=r"newer version of Alignwork \(schema 9999_future\); please update"):
        open_database(f"sqlite:///{path}")
    assert digest(path) == before
    assert revision_of(path) == "9999_future"
    assert not (tmp_path / "backups").exists()


def test_someone_elses_database_is_refused_and_untouched(tmp_path):
    path = tmp_path / "other.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    connection.commit()
    connection.close()
    before = digest(path)
    with pytest.raises(DatabaseUnavailable, match="tables that are not Alignwork's"):
        open_database(f"sqlite:///{path}")
    assert digest(path) == before


def healthy_bytes(tmp_path: Path) -> bytes:
    source = tmp_path / "source.db"
    database = open_database(f"sqlite:///{source}")
    with database.session() as session:
        bundle.import_demo(session=session)
    database.dispose()
    return source.read_bytes()


@pytest.mark.parametrize("damage", ["garbage", "truncated", "header_only"])
def test_corrupt_file_is_set_aside_and_a_fresh_database_works(tmp_path, damage):
    good = healthy_bytes(tmp_path)
    broken = {"garbage": os.urandom(5000), "truncated": good[: len(good) // 2],
              "header_only": good[:100]}[damage]
    path = tmp_path / "alignwork.db"
    path.write_bytes(broken)

    database = open_database(f"sqlite:///{path}")
    assert len(database.notices) == 1
    notice = database.notices[0]
    moved = [p for p in tmp_path.iterdir() if p.name.startswith("alignwork.db.corrupt-")
             and not p.name.endswith(("-wal", "-shm"))]  # SQLite's side files move along with it
    assert len(moved) == 1 and moved[0].read_bytes() == broken
    assert str(moved[0]) in notice and str(path) in notice and "new, empty database" in notice
    with database.session() as session:
        assert store.list_workshops(session=session) == []
        assert bundle.import_demo(session=session).participants == 12
    database.dispose()
    assert open_database(f"sqlite:///{path}").notices == []


def test_unreadable_file_is_refused_plainly(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root can read anything")
    path = tmp_path / "alignwork.db"
    open_database(f"sqlite:///{path}").dispose()
    path.chmod(0o000)
    with pytest.raises(DatabaseUnavailable, match="cannot be read or written"):
        open_database(f"sqlite:///{path}")


@pytest.mark.parametrize("url,message", [
    ("::garbage::", "is not a database URL"),
    ("nosuchdb://host/x", "Cannot open the database nosuchdb://host/x"),
    ("postgresql://user:secret@127.0.0.1:1/x", "Cannot open the database postgresql://user:***@127.0.0.1:1/x"),
])
def test_unusable_urls_give_one_clear_line(url, message):
    with pytest.raises(DatabaseUnavailable, match=re.escape(message)) as caught:
        open_database(url)
    assert "\n" not in str(caught.value) and "secret" not in str(caught.value)


def test_odd_characters_in_the_path_work(tmp_path):
    path = tmp_path / "100% sure #1 — ünï" / "my db.db"
    url = "sqlite:///" + str(path).replace("%", "%25")  # SQLAlchemy URLs decode %XX
    for _ in range(2):  # create, then reopen (the health check reads the file by URI)
        database = open_database(url)
        assert database.notices == []
        database.dispose()
    assert path.exists()
    path.write_bytes(path.read_bytes()[:3000])  # damaged: the check must read this very file
    database = open_database(url)
    assert len(database.notices) == 1
    assert "damaged" in database.notices[0] or "cannot be read" in database.notices[0]
    database.dispose()
