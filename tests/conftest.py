"""Shared fixtures. Tests need no screen: Qt runs offscreen; data goes to tmp_path."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture(autouse=True)
def _private_home(tmp_path_factory, monkeypatch):
    """Every test gets its own data folder and settings; nothing touches the real ones."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("ALIGNWORK_HOME", str(home))
    monkeypatch.delenv("ALIGNWORK_DB", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    return home


# ---------------------------------------------------------------- backends
# A module (or test) marked ``pytest.mark.backends`` runs on SQLite and on a real PostgreSQL
# server; everything else stays on SQLite. One server serves the whole session.

def pytest_configure(config):
    config.addinivalue_line("markers", "backends: run the test on SQLite and on PostgreSQL")


def pytest_generate_tests(metafunc):
    if "db_backend" in metafunc.fixturenames and metafunc.definition.get_closest_marker("backends"):
        metafunc.parametrize("db_backend", ["sqlite", "postgresql"])


@pytest.fixture
def db_backend() -> str:
    return "sqlite"


@pytest.fixture(scope="session")
def pg_server():
    """A real PostgreSQL server for this test session (started here, stopped at the end)."""
    from tests.pgserver import LocalPostgres, find_bindir

    bindir = find_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) not found; install PostgreSQL 15 "
                    "or set ALIGNWORK_PG_BIN to run the PostgreSQL tests")
    server = LocalPostgres(bindir).start()
    yield server
    server.stop()


@pytest.fixture
def own_pg_server():
    """A server of the test's own, with a database "team": the test may stop it (pause) and start
    it again (resume) on the same port; the session's shared server stays up."""
    from tests.pgserver import LocalPostgres, find_bindir

    if find_bindir() is None:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) not found; install PostgreSQL 15")
    server = LocalPostgres(find_bindir()).start()
    server.sql("CREATE DATABASE team")
    yield server
    server.stop()


_pg_counter = iter(range(1, 1_000_000))


@pytest.fixture(scope="session")
def pg_template(pg_server) -> str:
    """A database migrated to head once; each test gets a copy (CREATE DATABASE … TEMPLATE)."""
    from alignwork.db import open_database

    pg_server.sql("CREATE DATABASE aw_template")
    open_database(pg_server.url("aw_template")).dispose()
    return "aw_template"


@pytest.fixture
def pg_url(pg_server, pg_template) -> str:
    """A fresh, migrated PostgreSQL database for one test."""
    name = f"aw_test_{next(_pg_counter)}"
    pg_server.sql(f"CREATE DATABASE {name} TEMPLATE {pg_template}")
    yield pg_server.url(name)
    pg_server.sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def pg_empty_url(pg_server) -> str:
    """A fresh PostgreSQL database with no tables at all (for migration tests)."""
    name = f"aw_empty_{next(_pg_counter)}"
    pg_server.sql(f"CREATE DATABASE {name}")
    yield pg_server.url(name)
    pg_server.sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def db_url(request, tmp_path, db_backend) -> str:
    if db_backend == "postgresql":
        return request.getfixturevalue("pg_url")
    return f"sqlite:///{tmp_path / 'alignwork.db'}"


@pytest.fixture
def database(db_url):
    from alignwork.db import open_database

    database = open_database(db_url)
    yield database
    database.dispose()


@pytest.fixture
def session(database):
    with database.session() as session:
        yield session


@pytest.fixture
def memory_keyring():
    """An in-memory OS keyring for the test (the machine's own is never touched)."""
    import keyring
    from keyring.backend import KeyringBackend

    class MemoryKeyring(KeyringBackend):
        priority = 1

        def __init__(self):
            super().__init__()
            self.saved = {}

        def get_password(self, service, username):
            return self.saved.get((service, username))

        def set_password(self, service, username, password):
            self.saved[(service, username)] = password

        def delete_password(self, service, username):
            self.saved.pop((service, username), None)

    previous, ring = keyring.get_keyring(), MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(previous)
