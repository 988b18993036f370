"""Open the database: engine from a URL, safe SQLite pragmas, verified backups,
Alembic migrations at start, and plain-words handling of corrupt or newer files."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import event, inspect
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.pool import NullPool
from sqlmodel import Session, create_engine

from alignwork.paths import default_db_url

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
KEEP_BACKUPS = 5
SQLITE_HEADER = b"SQLite format 3\x00"


class DatabaseError(Exception):
    """A database problem told to the user in one plain sentence."""


class DatabaseTooNew(DatabaseError):
    pass


class DatabaseUnavailable(DatabaseError):
    pass


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
    and the application name set so `pg_stat_activity` shows who is connected."""
    import uuid

    parsed = postgres_driver_url(url)
    instance = f"alignwork-{uuid.uuid4().hex[:12]}"  # the change feed skips its own engine's writes
    connect_args = {"application_name": instance}
    if "connect_timeout" not in parsed.query:
        connect_args["connect_timeout"] = POSTGRES_CONNECT_TIMEOUT
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


def _prepare_sqlite_file(path: Path) -> None:
    """Create the folder (0700) and an empty database file (0600) before SQLite does.

    SQLite gives its -wal and -shm files the main file's permissions, so creating
    the file private first keeps all three private from the first byte.
    """
    if not path.parent.exists():
        try:
            missing = [folder for folder in (path.parent, *path.parent.parents) if not folder.exists()]
            for folder in reversed(missing):  # each folder we create is private, not just the last
                folder.mkdir(mode=0o700)
        except OSError as error:
            raise DatabaseUnavailable(f"Cannot create the folder {path.parent}: {error.strerror}.") from None
    if path.is_dir():
        raise DatabaseUnavailable(f"The database path {path} is a folder; give a file name instead.")
    if path.exists():
        if not os.access(path, os.R_OK | os.W_OK):
            raise DatabaseUnavailable(f"The database {path} cannot be read or written (check its permissions).")
        return
    try:
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    except OSError as error:
        raise DatabaseUnavailable(f"Cannot create the database {path}: {error.strerror}.") from None


def _check_sqlite_file(path: Path) -> str | None:
    """None if the file looks healthy, else what is wrong with it."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    try:
        with open(path, "rb") as handle:
            if handle.read(16) != SQLITE_HEADER:
                return "it is not an Alignwork database (unknown file format)"
        connection = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True, timeout=5)
        try:
            result = connection.execute("PRAGMA quick_check").fetchone()
        finally:
            connection.close()
    except sqlite3.OperationalError as error:
        if "locked" in str(error):
            raise DatabaseUnavailable(f"The database {path} is locked by another program; close it and try again.")
        return f"it cannot be read ({error})"
    except (sqlite3.DatabaseError, OSError) as error:
        return f"it cannot be read ({error})"
    if not result or result[0] != "ok":
        return f"it is damaged ({result[0] if result else 'no answer'})"
    return None


def _set_aside(path: Path, problem: str) -> str:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    try:
        for suffix in ("", "-wal", "-shm"):
            source = Path(f"{path}{suffix}")
            if source.exists():
                shutil.move(source, Path(f"{target}{suffix}"))
    except OSError as error:
        raise DatabaseUnavailable(f"The database {path} cannot be used because {problem}, and it could not be "
                                  f"moved aside ({error.strerror}); move it away yourself and start again.") from None
    return (f"The database {path} could not be used because {problem}. It was moved to {target} "
            f"and a new, empty database was started. Your old file is untouched there.")


def backup_sqlite(path: Path, label: str) -> Path:
    """Copy a live SQLite file with the backup API, verify the copy, keep the last few."""
    folder = path.parent / "backups"
    folder.mkdir(mode=0o700, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{path.stem}-{label}-{stamp}.db"
    source = sqlite3.connect(path, timeout=5)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        check = copy.execute("PRAGMA integrity_check").fetchone()
    finally:
        copy.close()
        source.close()
    if not check or check[0] != "ok":
        target.unlink(missing_ok=True)
        raise DatabaseError(f"The backup of {path} before upgrading failed its check; nothing was changed.")
    os.chmod(target, 0o600)
    for old in sorted(folder.glob(f"{path.stem}-*.db"), key=lambda p: p.stat().st_mtime_ns)[:-KEEP_BACKUPS]:
        old.unlink(missing_ok=True)
    return target


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


def migrate(database: Database) -> None:
    """Bring the schema to head; back up an existing SQLite file first; refuse newer files."""
    current = current_revision(database.engine)
    if current is not None and current == head_revision_from_files():
        return
    from alembic import command
    from alembic.script import ScriptDirectory

    engine = database.engine
    script = ScriptDirectory.from_config(_alembic_config(None))
    current = current_revision(engine)
    head = script.get_current_head()
    if current == head:
        return
    if current is not None:
        try:
            script.get_revision(current)
        except Exception:
            raise DatabaseTooNew(
                "This database was written by a newer version of Alignwork "
                f"(schema {current}); please update the app. Nothing was changed.") from None
    elif set(inspect(engine).get_table_names()) - {"alembic_version"}:
        # tables but no schema version: not ours, or made without migrations; either way do not touch it
        raise DatabaseUnavailable("The database holds tables that are not Alignwork's (or has no schema "
                                  "version); choose another file. Nothing was changed.")
    path = database.path
    if current is not None and path is not None and path.exists():
        backup_sqlite(path, f"before-{head}")
    with engine.begin() as connection:
        command.upgrade(_alembic_config(connection), "head")


def open_database(url: str | None = None, *, migrate_schema: bool = True) -> Database:
    """Open (and create or upgrade) the database at ``url`` (default: the data folder's file).

    A corrupt SQLite file is moved aside and replaced; the reason is in ``notices``.
    Raises DatabaseError with a plain message for what cannot be fixed here.
    """
    url = url or default_db_url()
    notices: list[str] = []
    try:
        parsed = make_url(url)
    except Exception:
        raise DatabaseUnavailable(f"{url!r} is not a database URL; expected e.g. sqlite:////path/to/alignwork.db "
                                  "or postgresql://user@host/dbname") from None
    path = sqlite_path(url)
    if path is not None:
        _prepare_sqlite_file(path)
        problem = _check_sqlite_file(path)
        if problem:
            notices.append(_set_aside(path, problem))
            _prepare_sqlite_file(path)
    try:
        engine = make_engine(url)
        database = Database(url=url, engine=engine, notices=notices)
        if migrate_schema:
            migrate(database)
        if path is not None:
            with engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA journal_mode=WAL")
    except DatabaseError:
        raise
    except Exception as error:  # driver errors: a bad URL, a server that is down, a locked file
        raise DatabaseUnavailable(f"Cannot open the database {parsed.render_as_string()}: "
                                  f"{_driver_problem(error)}") from None
    if path is not None:
        _restrict(path)
    return database
