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


@pytest.fixture
def db_url(tmp_path) -> str:
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
