"""Start-up of the real program (``main.py`` in a subprocess) and its failure modes:
ready report and lean imports, a second copy, a newer or corrupt database, an error in a slot."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, Signal
from shell_helpers import Dialogs

from alignwork_gui import app as app_module

ROOT = Path(__file__).resolve().parents[2]


def start(home: Path, *extra: str, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {**os.environ, "ALIGNWORK_HOME": str(home), "QT_QPA_PLATFORM": "offscreen", **(env or {})}
    environment.pop("ALIGNWORK_DB", None)
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "--quit-after-ready", *extra],
                          capture_output=True, text=True, cwd=ROOT, env=environment, timeout=60)


def test_ready_with_the_demo_open_and_no_heavy_modules(tmp_path, _private_home):
    from alignwork.workshops.bundle import import_demo
    from alignwork.db import open_database

    database = open_database(f"sqlite:///{_private_home / 'alignwork.db'}")
    with database.session() as session:
        demo = import_demo(session=session)
    database.dispose()
    result = start(_private_home, env={app_module.REPORT_MODULES_ENV: "1"})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("ready in ") and lines[0].endswith(" ms")
    assert lines[1] == "heavy modules: none"
    assert "Traceback" not in result.stderr
    # the window really opened the workshop (its overview page was built): the last one is remembered
    settings = (_private_home / "ui-settings.ini").read_text(encoding="utf-8")
    assert f"workshop={demo.workshop_id}" in settings


def test_heavy_module_report_is_not_blind():
    sys.modules.setdefault("polars", type(sys)("polars"))  # what an eager import would leave behind
    try:
        assert "polars" in app_module.heavy_modules_loaded()
    finally:
        if getattr(sys.modules["polars"], "__file__", None) is None:
            del sys.modules["polars"]


def test_a_second_copy_on_the_same_data_folder_is_told_and_quits(_private_home):
    lock = QLockFile(str(_private_home / "alignwork.lock"))
    assert lock.tryLock(0)
    try:
        result = start(_private_home)
    finally:
        lock.unlock()
    assert result.returncode == app_module.EXIT_ALREADY_RUNNING
    assert "already running" in result.stderr and "ready in" not in result.stdout
    assert "Traceback" not in result.stderr


def test_the_user_may_continue_beside_another_copy(qapp, tmp_path, monkeypatch):
    held = QLockFile(str(tmp_path / "alignwork.lock"))
    assert held.tryLock(0)
    dialogs = Dialogs(monkeypatch, answer="Quit")
    messenger = app_module.Messenger(interactive=True)
    assert app_module.acquire_instance_lock(tmp_path, messenger) is None
    assert "already running" in dialogs.last[1]
    dialogs.answer = "Continue anyway"
    assert app_module.acquire_instance_lock(tmp_path, messenger) is not None
    held.unlock()
    lock = app_module.acquire_instance_lock(tmp_path, messenger)
    assert lock is not None and lock.isLocked()
    lock.unlock()


def test_a_newer_database_is_refused_plainly(_private_home):
    from alignwork.db import open_database

    database = open_database(f"sqlite:///{_private_home / 'alignwork.db'}")
    database.dispose()
    with sqlite3.connect(_private_home / "alignwork.db") as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    result = start(_private_home)
    assert result.returncode == 2
    assert "newer version of Alignwork" in result.stderr and "Traceback" not in result.stderr
    with sqlite3.connect(_private_home / "alignwork.db") as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == ("9999",)


def test_a_corrupt_database_is_set_aside_and_told(_private_home):
    (_private_home / "alignwork.db").write_bytes(b"this is not a database" * 100)
    result = start(_private_home)
    assert result.returncode == 0, result.stderr
    assert "moved to" in result.stderr and "ready in" in result.stdout
    assert any(p.name.startswith("alignwork.db.corrupt-") for p in _private_home.iterdir())


class Emitter(QObject):
    fired = Signal()


def test_an_error_in_a_slot_shows_a_plain_message(qapp, monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    dialogs = Dialogs(monkeypatch)
    log = tmp_path / "errors.log"
    app_module.install_excepthook(app_module.Messenger(interactive=True), lambda: None, log)
    emitter = Emitter()

    def broken_slot():
        raise RuntimeError("the disk vanished")

    emitter.fired.connect(broken_slot)
    emitter.fired.emit()
    title, text = dialogs.last
    assert title == "Something went wrong" and "the disk vanished" in text and str(log) in text
    assert "RuntimeError" in capsys.readouterr().err  # the details go to the terminal…
    assert "in broken_slot" in log.read_text(encoding="utf-8")  # …and to the log in the data folder


def test_a_lock_left_by_a_crashed_copy_does_not_block(qapp, tmp_path, monkeypatch):
    crash = ("import os, sys; from PySide6.QtCore import QLockFile; lock = QLockFile(sys.argv[1]); "
             "assert lock.tryLock(0); os._exit(0)")  # dies holding the lock, as a crash would
    subprocess.run([sys.executable, "-c", crash, str(tmp_path / "alignwork.lock")], check=True, timeout=30)
    assert (tmp_path / "alignwork.lock").exists()
    dialogs = Dialogs(monkeypatch)
    lock = app_module.acquire_instance_lock(tmp_path, app_module.Messenger(interactive=True))
    assert lock is not None and lock.isLocked() and dialogs.shown == []
    lock.unlock()


def test_an_unusable_data_folder_is_told_plainly(tmp_path):
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = start(blocker / "home")
    assert result.returncode == 2
    assert "cannot open its data folder" in result.stderr and "Traceback" not in result.stderr
