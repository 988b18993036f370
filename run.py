"""One command to launch or test Alignwork on a fresh machine (Python 3.11+).

    python3 run.py            launch the app
    python3 run.py test       run the whole test suite (offscreen, no screen needed)

The first run creates a private virtual environment in .venv and installs the
project with its test tools there, at the exact versions of requirements.lock;
later runs reuse it and reinstall only when pyproject.toml or the lock changed.
Before launching, it checks that Qt finds the system libraries it needs to open a
window (X11/xcb on Linux) and prints the one install line that fixes a missing one.
Extra arguments go to the app or to pytest.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".alignwork-installed"
LOCK = ROOT / "requirements.lock"
EXIT_MISSING_LIBRARIES = 4


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_environment() -> Path:
    if sys.version_info < (3, 11):
        sys.exit(f"Alignwork needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + LOCK.read_bytes()).hexdigest()
    python = venv_python()
    if not python.exists():
        print("Creating a private Python environment in .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    if not STAMP.exists() or STAMP.read_text().strip() != wanted:
        print("Installing Alignwork and its dependencies (first run only) …", flush=True)
        # the project (editable) with its test tools, every package at the version the lock pins
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                        "-c", str(LOCK), "-e", f"{ROOT}[test]"], check=True)
        STAMP.write_text(wanted)
    return python


def pyside_dir() -> Path | None:
    """PySide6 inside .venv (found by path: this Python has no Qt to import)."""
    found = sorted(VENV.glob("lib/python3*/site-packages/PySide6")) + sorted(VENV.glob("Lib/site-packages/PySide6"))
    return found[-1] if found else None


def qt_problem() -> str | None:
    """What stops Qt from opening a window here, with the line that fixes it; None if nothing."""
    sys.path.insert(0, str(ROOT))
    try:
        from alignwork.qt_libraries import check  # standard library only
    finally:
        sys.path.pop(0)
    pyside = pyside_dir()
    return check(pyside) if pyside else None


def main(argv: list[str]) -> int:
    python = ensure_environment()
    if argv[:1] == ["test"]:
        env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
        return subprocess.call([str(python), "-m", "pytest", *argv[1:]], cwd=ROOT, env=env)
    problem = qt_problem()
    if problem:
        print(problem, file=sys.stderr)
        return EXIT_MISSING_LIBRARIES
    return subprocess.call([str(python), str(ROOT / "main.py"), *argv], cwd=ROOT)


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except subprocess.CalledProcessError as error:
        sys.exit(f"Installing failed (exit {error.returncode}); see the messages above.")
    except KeyboardInterrupt:
        sys.exit(130)
