"""One command to launch or test Alignwork on a fresh machine (Python 3.11+).

    python3 run.py            launch the app
    python3 run.py test       run the whole test suite (offscreen, no screen needed)

The first run creates a private virtual environment in .venv and installs the
project with its test tools there; later runs reuse it and reinstall only when
pyproject.toml changed. Extra arguments go to the app or to pytest.
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


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_environment() -> Path:
    if sys.version_info < (3, 11):
        sys.exit(f"Alignwork needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    python = venv_python()
    if not python.exists():
        print("Creating a private Python environment in .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    if not STAMP.exists() or STAMP.read_text().strip() != wanted:
        print("Installing Alignwork and its dependencies (first run only) …", flush=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                        "-e", f"{ROOT}[test]"], check=True)
        STAMP.write_text(wanted)
    return python


def main(argv: list[str]) -> int:
    python = ensure_environment()
    if argv[:1] == ["test"]:
        env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
        return subprocess.call([str(python), "-m", "pytest", *argv[1:]], cwd=ROOT, env=env)
    return subprocess.call([str(python), str(ROOT / "main.py"), *argv], cwd=ROOT)


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except subprocess.CalledProcessError as error:
        sys.exit(f"Installing failed (exit {error.returncode}); see the messages above.")
    except KeyboardInterrupt:
        sys.exit(130)
