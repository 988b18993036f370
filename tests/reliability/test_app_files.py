"""The desktop app's own files (issue 14, points 6 and 9): the lock, ui-settings.ini and
errors.log are private; the second-copy check also holds when the database is chosen with --db;
a full disk at start-up leaves the database where it is and says so."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("PySide6")
from PySide6.QtCore import QLockFile  # noqa: E402

from alignwork_gui import app as app_module  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
EXIT_ALREADY_RUNNING = app_module.EXIT_ALREADY_RUNNING


def start(home: Path, *extra: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "ALIGNWORK_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    environment.pop("ALIGNWORK_DB", None)
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "--quit-after-ready", *extra],
                          capture_output=True, text=True, cwd=ROOT, env=environment, timeout=90)


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_the_app_files_are_private_under_a_loose_umask(tmp_path, qapp):
    home = tmp_path / "home"
    previous = os.umask(0o022)
    try:
        result = start(home)
        assert result.returncode == 0, result.stderr
        from alignwork_gui.context import ui_settings

        os.environ["ALIGNWORK_HOME"], saved = str(home), os.environ.get("ALIGNWORK_HOME")
        try:
            settings = ui_settings()
            settings.setValue("reliability/check", 1)
            settings.sync()
        finally:
            if saved is None:
                os.environ.pop("ALIGNWORK_HOME")
            else:
                os.environ["ALIGNWORK_HOME"] = saved
        lock = app_module.acquire_instance_lock(home, app_module.Messenger(interactive=False))
        assert lock is not None and lock.isLocked()
        assert mode(home / "alignwork.lock") == 0o600
        lock.unlock()
        assert app_module.log_error(home / "errors.log", RuntimeError, RuntimeError("x"), None)
    finally:
        os.umask(previous)
    assert mode(home) == 0o700
    assert mode(home / "ui-settings.ini") == 0o600
    assert mode(home / "errors.log") == 0o600
    assert mode(home / "alignwork.db") == 0o600


def test_errors_log_is_never_written_through_a_link(tmp_path):
    target = tmp_path / "elsewhere.txt"
    (tmp_path / "errors.log").symlink_to(target)
    assert not app_module.log_error(tmp_path / "errors.log", RuntimeError, RuntimeError("x"), None)
    assert not target.exists()


def test_a_second_copy_on_the_same_db_file_is_told_even_with_another_data_folder(tmp_path):
    database = tmp_path / "shared" / "team.db"
    database.parent.mkdir()
    lock_file = app_module.lock_path(tmp_path / "home-a", f"sqlite:///{database}")
    assert lock_file == database.with_name("team.db.lock")
    held = QLockFile(str(lock_file))
    assert held.tryLock(0)
    try:
        result = start(tmp_path / "home-b", "--db", f"sqlite:///{database}")
    finally:
        held.unlock()
    assert result.returncode == EXIT_ALREADY_RUNNING, result.stderr
    assert "already running" in result.stderr and "Traceback" not in result.stderr


def test_the_data_folders_own_file_keeps_its_lock_name(tmp_path):
    home = tmp_path / "home"
    assert app_module.lock_path(home, None) == home / "alignwork.lock"
    assert app_module.lock_path(home, f"sqlite:///{home / 'alignwork.db'}") == home / "alignwork.lock"


def test_a_full_disk_at_start_up_is_told_and_moves_nothing(small_disk):
    from alignwork.db import open_database
    from alignwork.workshops.bundle import import_demo
    from tests.reliability.conftest import fill

    database = open_database(f"sqlite:///{small_disk / 'alignwork.db'}")
    with database.session() as session:
        import_demo(session=session)
    database.dispose()
    fill(small_disk)
    result = start(small_disk)
    (small_disk / "filler").unlink()
    assert "Traceback" not in result.stderr, result.stderr
    assert not [p for p in small_disk.iterdir() if ".corrupt-" in p.name]
    assert result.returncode in (0, 2)
    if result.returncode == 2:
        assert "left where it is" in result.stderr or "disk" in result.stderr
