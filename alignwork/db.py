"""Open the database: engine from a URL, safe SQLite pragmas, verified backups,
Alembic migrations at start, and plain-words handling of corrupt or newer files."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import event, inspect
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.pool import NullPool
from sqlmodel import Session, create_engine

from alignwork.db_errors import (  # noqa: F401  (part of this module's API)
    DatabaseError, DatabaseMissing, DatabaseTooNew, DatabaseUnavailable,
)
from alignwork.paths import default_db_url

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


@dataclass
class Database:
    url: str
    engine: Engine
    notices: list[str] = field(default_factory=list)  # things the user must be told (file set aside…)

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    @property
    def path(self) -> Path | None:
        return sqlite_path(self.url)

    def dispose(self) -> None:
        self.engine.dispose()


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for other databases and in-memory ones."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database).expanduser().resolve()


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # journal_mode=WAL is set once in open_database, after the file proved to be ours:
    # it is stored in the file, and a file we refuse must stay byte-for-byte untouched.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for any SQLAlchemy URL; SQLite connections get foreign keys, FULL sync and a
    busy timeout (open_database also switches the file to WAL once it is known to be ours)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 5},
                               poolclass=NullPool if sqlite_path(url) else None)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.get_backend_name() == "postgresql":
        return make_postgres_engine(url)
    return create_engine(url, pool_pre_ping=True)


# ---------------------------------------------------------------- PostgreSQL (team mode)

POSTGRES_CONNECT_TIMEOUT = 5  # seconds: a server that is down is reported, not waited on
# a network that drops silently (Wi-Fi gone, a VPN down) is noticed in about 30 s, not after the
# operating system's two hours: TCP keepalive probes on idle connections (the change feed's
# LISTEN), and unacknowledged writes given up after 30 s (Linux; libpq ignores it elsewhere)
POSTGRES_KEEPALIVE = {"keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 5, "keepalives_count": 3,
                      "tcp_user_timeout": 30_000}


def postgres_driver_url(url: str):
    """``postgresql://…`` as typed by people, with the psycopg 3 driver SQLAlchemy should use.

    Query parameters such as ``sslmode=require`` pass through to libpq unchanged."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres", "postgresql+psycopg2"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def is_postgres(url: str) -> bool:
    try:
        return make_url(url).get_backend_name() == "postgresql"
    except Exception:
        return False


def make_postgres_engine(url: str) -> Engine:
    """A pooled psycopg 3 engine: pre-ping so a dropped server is noticed, a short connect timeout,
    TCP keepalives (POSTGRES_KEEPALIVE; what the URL sets wins), and the application name set so
    `pg_stat_activity` shows who is connected."""
    import uuid

    parsed = postgres_driver_url(url)
    instance = f"alignwork-{uuid.uuid4().hex[:12]}"  # the change feed skips its own engine's writes
    connect_args = {"application_name": instance}
    if "connect_timeout" not in parsed.query:
        connect_args["connect_timeout"] = POSTGRES_CONNECT_TIMEOUT
    connect_args.update({name: value for name, value in POSTGRES_KEEPALIVE.items() if name not in parsed.query})
    engine = create_engine(parsed, pool_pre_ping=True, pool_size=5, max_overflow=5, connect_args=connect_args)
    engine.alignwork_instance = instance
    return engine


def _restrict(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        candidate = Path(f"{path}{suffix}")
        if candidate.exists():
            try:
                os.chmod(candidate, 0o600)
            except OSError:
                pass


def _driver_problem(error: Exception) -> str:
    """The first line of what the driver said, in words a user can act on."""
    if isinstance(error, ModuleNotFoundError):
        return f"its driver is not installed (pip install the package that provides {error.name!r})"
    text = str(getattr(error, "orig", None) or error).strip()
    return (text.splitlines()[0] if text else type(error).__name__).rstrip(".")


def backup_sqlite(path: Path, label: str) -> Path:
    """Copy a live SQLite file with the backup API, verify the copy, keep the last few."""
    from alignwork.sqlite_file import backup

    return backup(path, label)


def _alembic_config(connection):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config(None)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:  # one connection: each new one re-runs the pragmas
        if not inspect(connection).has_table("alembic_version"):
            return None
        row = connection.exec_driver_sql("SELECT version_num FROM alembic_version").first()
    return row[0] if row else None


_REVISION_LINE = re.compile(r"^(down_revision|revision)\s*(?::[^=]*)?=\s*['\"]?([\w.-]+)", re.MULTILINE)


def head_revision_from_files() -> str | None:
    """The single head read straight from the migration files, or None if that is not clear-cut.

    Importing Alembic costs ~0.1 s at every start; when the database is already at this
    head (nearly always) that import is skipped.
    """
    revisions, parents = set(), set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        found = dict(_REVISION_LINE.findall(path.read_text(encoding="utf-8")))
        if "revision" not in found:
            return None
        revisions.add(found["revision"])
        parents.add(found.get("down_revision"))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _refuse_unknown(script, current: str | None, table_names) -> None:
    """DatabaseTooNew for a revision this app does not know; DatabaseUnavailable for tables
    without a schema version (not ours, or made without migrations): either way, hands off."""
    if current is not None:
        try:
            script.get_revision(current)
        except Exception:
            raise DatabaseTooNew(
                "This database was written by a newer version of Alignwork "
                f"(schema {current}); please update the app. Nothing was changed.") from None
    elif set(table_names) - {"alembic_version"}:
        raise DatabaseUnavailable("The database holds tables that are not Alignwork's (or has no schema "
                                  "version); choose another file. Nothing was changed.")


def migrate(database: Database) -> None:
    """Bring the schema to head; back up an existing SQLite file first; refuse newer files."""
    current = current_revision(database.engine)
    if current is not None and current == head_revision_from_files():
        if database.path is not None:  # a start that died after the last migration, before tidying up
            from alignwork import sqlite_file

            sqlite_file.finish_pending(database.path)
        return
    from alembic import command
    from alembic.script import ScriptDirectory

    engine = database.engine
    script = ScriptDirectory.from_config(_alembic_config(None))
    current = current_revision(engine)
    head = script.get_current_head()
    if current == head:
        return
    if database.path is not None:
        _migrate_sqlite(database.url, database.path, script, head)
        return
    _refuse_unknown(script, current, inspect(engine).get_table_names())
    with engine.begin() as connection:
        command.upgrade(_alembic_config(connection), "head")


def _migration_engine(url: str) -> Engine:
    """An engine whose every transaction really is one, DDL included: the driver's own
    transaction handling is off and each begins with BEGIN IMMEDIATE (one writer at a time, so
    two first starts at once queue instead of racing). Foreign keys are off while migrating
    (batch mode copies and drops tables; ON DELETE CASCADE must not fire) and checked before
    each commit."""
    engine = create_engine(url, poolclass=NullPool, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=OFF")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _pending_revisions(script, current: str | None, head: str) -> list[str]:
    return [item.revision for item in reversed(list(script.iterate_revisions(head, current or "base")))]


def _migrate_sqlite(url: str, path: Path, script, head: str) -> None:
    """Each migration in its own transaction; a crash at any statement leaves the file at the
    last finished revision (SQLite rolls the rest back), and the next start goes on from there.
    The verified backup is taken once per upgrade and kept until the upgrade is done."""
    from alignwork import sqlite_file

    engine = _migration_engine(url)
    try:
        with engine.connect() as connection:
            current = _version_in(connection)
            _refuse_unknown(script, current, inspect(connection).get_table_names())
        if current is not None:
            sqlite_file.upgrade_backup(path, f"before-{head}")
        while True:
            with engine.begin() as connection:  # re-read under the write lock: another start may have done it
                current = _version_in(connection)
                if current == head:
                    break
                _refuse_unknown(script, current, inspect(connection).get_table_names())
                step = _pending_revisions(script, current, head)[0]
                _upgrade_to(script, connection, step)
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").first()
                if broken:
                    raise DatabaseError(f"Upgrading the database {path} to schema {step} would break the link "
                                        f"from table {broken[0]} to {broken[2]}; it was left as it was.")
        if current is not None or sqlite_file.pending_backup(path) is not None:
            sqlite_file.upgrade_done(path)
    finally:
        engine.dispose()


def _upgrade_to(script, connection, revision: str) -> None:
    """``alembic upgrade revision`` on ``connection`` with the already loaded ``script`` (what
    command.upgrade does, without reading every migration file again for each step)."""
    from alembic.runtime.environment import EnvironmentContext

    with EnvironmentContext(_alembic_config(connection), script, destination_rev=revision,
                            fn=lambda rev, _context: script._upgrade_revs(revision, rev)):
        script.run_env()


def _version_in(connection) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None
    row = connection.exec_driver_sql("SELECT version_num FROM alembic_version").first()
    return row[0] if row else None


def _prepare_sqlite(path: Path, *, create: bool) -> list[str]:
    """The SQLite file made ready before the engine touches it; what the user must be told.

    Only a damaged file is set aside (and the notice says where); a failing disk, a full disk
    or a permission problem raises DatabaseUnavailable and leaves the file where it is."""
    from alignwork import sqlite_file

    sqlite_file.prepare(path, create=create)
    notices = []
    problem = sqlite_file.damage(path)
    if problem:
        notices.append(sqlite_file.set_aside(path, problem))
        try:
            sqlite_file.prepare(path)
        except DatabaseError as error:  # the user must still learn where the old file went
            raise DatabaseUnavailable(f"{notices[0]} But: {error}") from None
    else:
        kept = sqlite_file.keep_garbage_wal(path)
        if kept:
            notices.append(kept)
    return notices


def open_database(url: str | None = None, *, migrate_schema: bool = True, create: bool = True) -> Database:
    """Open (and create or upgrade) the database at ``url`` (default: the data folder's file).

    A corrupt SQLite file is moved aside and replaced; the reason is in ``notices``.
    ``create=False`` (read-only commands) never creates a file or a folder: a missing
    SQLite file is DatabaseMissing. Raises DatabaseError with a plain message for what
    cannot be fixed here.
    """
    url = url or default_db_url()
    try:
        parsed = make_url(url)
    except Exception:
        raise DatabaseUnavailable(f"{url!r} is not a database URL; expected e.g. sqlite:////path/to/alignwork.db "
                                  "or postgresql://user@host/dbname") from None
    path = sqlite_path(url)
    notices = _prepare_sqlite(path, create=create) if path is not None else []
    try:
        engine = make_engine(url)
        database = Database(url=url, engine=engine, notices=notices)
        if migrate_schema:
            migrate(database)
        if path is not None:
            _switch_to_wal(engine)
    except DatabaseError as error:
        raise _with_notices(error, notices) from None
    except Exception as error:  # driver errors: a bad URL, a server that is down, a locked file
        problem = DatabaseUnavailable(f"Cannot open the database {parsed.render_as_string()}: "
                                      f"{_driver_problem(error)}")
        raise _with_notices(problem, notices) from None
    if path is not None:
        _restrict(path)
    return database


def _switch_to_wal(engine: Engine, patience: float = 30.0) -> None:
    """Switch the file to WAL (it is stored in the file, so once is enough). Switching needs the
    file to itself and SQLite may answer "locked" at once instead of waiting (two first starts
    at once): try again until ``patience`` seconds have passed."""
    import time

    from sqlalchemy.exc import OperationalError

    deadline = time.monotonic() + patience
    while True:
        try:
            with engine.connect() as connection:
                if connection.exec_driver_sql("PRAGMA journal_mode").scalar() != "wal":
                    connection.exec_driver_sql("PRAGMA journal_mode=WAL")
            return
        except OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _with_notices(error: DatabaseError, notices: list[str]) -> DatabaseError:
    """An error after a file was set aside still says where the old file went."""
    if not notices:
        return error
    return type(error)(" ".join(notices) + f" But: {error}")
