"""Every file the app writes is private (0600, folders 0700), written atomically, never through
a link, and never replaces anything but a regular file (issue 14, points 6 and 7)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from alignwork import atomic
from alignwork.atomic import UnsafeTarget, write_atomic


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_a_new_file_is_private_whatever_the_umask(tmp_path, umask_022):
    written = write_atomic(tmp_path / "out.json", "{}")
    assert mode(written) == 0o600 and written.read_text() == "{}"


def test_overwriting_a_private_file_keeps_it_private(tmp_path, umask_022):
    target = tmp_path / "out.json"
    target.write_text("old")
    target.chmod(0o644)
    write_atomic(target, "new")
    assert mode(target) == 0o600 and target.read_text() == "new"


def test_a_dangling_link_exists_and_is_never_written_through(tmp_path):
    outside = tmp_path / "outside.txt"
    link = tmp_path / "out.json"
    link.symlink_to(outside)
    assert atomic.exists(link) and not link.exists()
    with pytest.raises(UnsafeTarget, match="symbolic link"):
        write_atomic(link, "data")
    assert not outside.exists() and link.is_symlink()


def test_a_link_to_a_file_is_not_replaced_nor_followed(tmp_path):
    real = tmp_path / "real.txt"
    real.write_text("keep")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    with pytest.raises(UnsafeTarget):
        write_atomic(link, "data")
    assert real.read_text() == "keep" and link.is_symlink()


def test_a_fifo_is_never_replaced(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(UnsafeTarget, match="FIFO"):
        write_atomic(fifo, "data")
    assert fifo.is_fifo()


def test_a_device_node_is_never_replaced():
    assert atomic.refusal("/dev/null") and "device" in atomic.refusal("/dev/null")
    with pytest.raises(UnsafeTarget, match="device"):
        write_atomic("/dev/null", "data")
    assert Path("/dev/null").is_char_device()


def test_folders_made_for_the_app_are_private(tmp_path, umask_022):
    made = atomic.make_private_folders(tmp_path / "a" / "b")
    assert mode(tmp_path / "a") == 0o700 and mode(made) == 0o700


def test_appended_log_is_private_and_refuses_links(tmp_path, umask_022):
    log = tmp_path / "errors.log"
    atomic.append_private(log, "one\n")
    atomic.append_private(log, "two\n")
    assert log.read_text() == "one\ntwo\n" and mode(log) == 0o600
    link = tmp_path / "link.log"
    link.symlink_to(tmp_path / "elsewhere.log")
    with pytest.raises(UnsafeTarget):
        atomic.append_private(link, "x")
    assert not (tmp_path / "elsewhere.log").exists()


def cli(*args: str, home: Path) -> subprocess.CompletedProcess:
    """``python -m alignwork …`` run in-process (as tests/test_cli_bundle.py does): exit code and
    stderr, with the data folder at ``home``."""
    import contextlib
    import io

    from alignwork.cli import main

    saved = {name: os.environ.get(name) for name in ("ALIGNWORK_HOME", "ALIGNWORK_DB")}
    os.environ["ALIGNWORK_HOME"] = str(home)
    os.environ.pop("ALIGNWORK_DB", None)
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(args))
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    result = cli("import", str(Path(__file__).resolve().parents[2] / "resources" / "demo_workshop.json"), home=home)
    assert result.returncode == 0, result.stderr
    return home


def test_cli_exports_are_private_and_force_keeps_them_so(demo_home, tmp_path):
    target = tmp_path / "bundle.json"
    assert cli("export-bundle", "1", "-o", str(target), home=demo_home).returncode == 0
    assert mode(target) == 0o600
    target.chmod(0o644)
    result = cli("export-bundle", "1", "-o", str(target), "--force", home=demo_home)
    assert result.returncode == 0, result.stderr
    assert mode(target) == 0o600
    document = tmp_path / "agreement.md"
    result = cli("export", "1", "--format", "md", "--draft", "--out", str(document), home=demo_home)
    assert result.returncode == 0, result.stderr
    assert mode(document) == 0o600


def test_cli_export_refuses_a_dangling_link_even_with_force(demo_home, tmp_path):
    outside = tmp_path / "outside" / "stolen.json"
    outside.parent.mkdir()
    link = tmp_path / "bundle.json"
    link.symlink_to(outside)
    for extra in ((), ("--force",)):
        result = cli("export-bundle", "1", "-o", str(link), *extra, home=demo_home)
        assert result.returncode == 2 and "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert not outside.exists() and link.is_symlink()
    md_link = tmp_path / "agreement.md"
    md_link.symlink_to(outside.with_suffix(".md"))
    document = cli("export", "1", "--format", "md", "--draft", "--out", str(md_link), "--force", home=demo_home)
    assert document.returncode == 2 and "symbolic link" in document.stderr
    assert not outside.with_suffix(".md").exists()


def test_cli_export_never_replaces_a_fifo(demo_home, tmp_path):
    fifo = tmp_path / "bundle.json"
    os.mkfifo(fifo)
    result = cli("export-bundle", "1", "-o", str(fifo), "--force", home=demo_home)
    assert result.returncode == 2 and "FIFO" in result.stderr
    assert fifo.is_fifo()


def test_bundle_to_a_full_stdout_is_one_line(demo_home):
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-m", "alignwork", "export-bundle", "1", "-o", "-"],
                                stdout=full, stderr=subprocess.PIPE, text=True, timeout=120,
                                env=dict(os.environ, ALIGNWORK_HOME=str(demo_home)))
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "No space left" in result.stderr or "cannot write" in result.stderr
