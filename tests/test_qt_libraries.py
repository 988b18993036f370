"""run.py's check of Qt's system libraries: the dynamic loader's "not found" becomes one
install line naming the right Debian packages (not Qt's generic libxcb-cursor0 hint)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from alignwork import qt_libraries

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the check runs on Linux")

LDD_OUTPUT = """\
\tlinux-vdso.so.1 (0x00007ffd)
\tlibQt6XcbQpa.so.6 => /x/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007f)
\tlibxcb-cursor.so.0 => /lib/x86_64-linux-gnu/libxcb-cursor.so.0 (0x00007f)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibfancy-new.so.2 => not found
\tlibxcb-icccm.so.4 => not found
"""


@pytest.fixture
def pyside(tmp_path, monkeypatch):
    """A PySide6 folder with an xcb plugin, and an ldd on PATH that reports three missing libraries."""
    plugin = qt_libraries.plugin_path(tmp_path / "PySide6", "xcb")
    plugin.parent.mkdir(parents=True)
    plugin.write_bytes(b"\x7fELF")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (tmp_path / "ldd.out").write_text(LDD_OUTPUT)
    ldd = bin_dir / "ldd"
    ldd.write_text(f"#!/bin/sh\ncat {tmp_path / 'ldd.out'}\n")
    ldd.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    return tmp_path / "PySide6"


def test_missing_libraries_give_one_install_line(pyside):
    message = qt_libraries.check(pyside, {"DISPLAY": ":0"})
    assert "libxcb-icccm.so.4, libxcb-keysyms.so.1, libfancy-new.so.2" in message
    line = message.splitlines()[-1].strip()
    assert line.split("#")[0].split()[-2:] == ["libxcb-icccm4", "libxcb-keysyms1"]
    assert "apt-get install -y" in line and "libxcb-cursor0" not in line
    assert line.endswith("# and the packages providing: libfancy-new.so.2")


def test_nothing_to_say_offscreen_or_when_all_are_found(pyside, tmp_path):
    assert qt_libraries.check(pyside, {"QT_QPA_PLATFORM": "offscreen"}) is None
    (tmp_path / "ldd.out").write_text(LDD_OUTPUT.replace("=> not found", "=> /lib/found.so"))
    assert qt_libraries.check(pyside, {"DISPLAY": ":0"}) is None


def test_platform_follows_the_environment():
    assert qt_libraries.platform_name({"QT_QPA_PLATFORM": "wayland;xcb"}) == "wayland"
    assert qt_libraries.platform_name({"WAYLAND_DISPLAY": "wayland-0"}) == "wayland"
    assert qt_libraries.platform_name({"DISPLAY": ":0", "WAYLAND_DISPLAY": "w"}) == "xcb"


def test_the_real_plugin_is_checked_with_the_real_loader():
    """On this machine's own PySide6: every soname ldd reports missing has a package, or is named."""
    pyside = qt_libraries.installed_pyside_dir()
    assert pyside is not None and qt_libraries.plugin_path(pyside, "xcb").exists()
    missing = qt_libraries.missing_libraries(qt_libraries.plugin_path(pyside, "xcb"))
    message = qt_libraries.check(pyside, {"DISPLAY": ":0"})
    assert (message is None) == (missing == [])


def test_run_py_prints_the_line_and_does_not_launch(pyside, tmp_path, monkeypatch, capsys):
    import importlib.util

    spec = importlib.util.spec_from_file_location("run_py", Path(__file__).resolve().parent.parent / "run.py")
    run_py = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run_py)
    venv = tmp_path / "venv"
    (venv / "lib" / "python3.11" / "site-packages").mkdir(parents=True)
    pyside.rename(venv / "lib" / "python3.11" / "site-packages" / "PySide6")
    monkeypatch.setattr(run_py, "VENV", venv)
    monkeypatch.setattr(run_py, "ensure_environment", lambda: Path(sys.executable))
    launched = []
    monkeypatch.setattr(run_py.subprocess, "call", lambda *a, **k: launched.append(a) or 0)
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    assert run_py.main([]) == run_py.EXIT_MISSING_LIBRARIES and launched == []
    assert "apt-get install -y libxcb-icccm4 libxcb-keysyms1" in capsys.readouterr().err
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert run_py.main([]) == 0 and len(launched) == 1
