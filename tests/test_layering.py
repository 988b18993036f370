"""The core never imports Qt or the UI; the app never loads heavy modules at start."""

import ast
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parent.parent / "alignwork"


def test_core_imports_no_qt():
    offenders = []
    for path in CORE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                if name.split(".")[0] in {"PySide6", "PyQt5", "PyQt6", "shiboken6", "ui"}:
                    offenders.append(f"{path.relative_to(CORE.parent)}: {name}")
    assert offenders == []


def test_core_cli_runs_without_qt_loaded(tmp_path):
    code = ("import sys; from alignwork.cli import main; main(['--db', sys.argv[1], 'list']); "
            "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt was imported'")
    result = subprocess.run([sys.executable, "-c", code, f"sqlite:///{tmp_path / 'x.db'}"],
                            capture_output=True, text=True, cwd=CORE.parent)
    assert result.returncode == 0, result.stderr
