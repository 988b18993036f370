"""The core never imports Qt or the UI; the app never loads heavy modules at start."""

import ast
import os
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
                if name.split(".")[0] in {"PySide6", "PyQt5", "PyQt6", "shiboken6", "ui", "alignwork_gui"}:
                    offenders.append(f"{path.relative_to(CORE.parent)}: {name}")
    assert offenders == []


def test_core_cli_runs_without_qt_loaded(tmp_path):
    code = ("import sys; from alignwork.cli import main; main(['--db', sys.argv[1], 'list']); "
            "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt was imported'")
    result = subprocess.run([sys.executable, "-c", code, f"sqlite:///{tmp_path / 'x.db'}"],
                            capture_output=True, text=True, cwd=CORE.parent)
    assert result.returncode == 0, result.stderr


HEAVY = ("polars", "matplotlib", "docx", "reportlab", "alembic", "alignwork.documents.writers", "alignwork.charts")


def _loaded_after(code: str, tmp_path) -> list[str]:
    probe = (f"import sys\n{code}\n"
             f"print('LOADED:', ' '.join(sorted(m for m in sys.modules if m.split('.')[0] in {{'polars', 'matplotlib', 'docx', "
             f"'reportlab', 'alembic'}} or m.startswith(('alignwork.documents.writers', 'alignwork.charts')))))")
    env = {**os.environ, "ALIGNWORK_HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=CORE.parent, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout.rpartition('LOADED:')[2].split()


def test_building_the_cli_parser_loads_no_heavy_module(tmp_path):
    loaded = _loaded_after("from alignwork.cli import build_parser; build_parser().parse_args(['export', 'x', "
                           "'--format', 'pdf', '--out', 'x.pdf'])", tmp_path)
    assert loaded == [], f"parsing loaded {loaded} (one of {HEAVY})"


def test_cli_list_loads_no_heavy_module_nor_every_table(tmp_path):
    _loaded_after("from alignwork.cli import main; main(['list'])", tmp_path)  # creates the database
    loaded = _loaded_after("from alignwork.cli import main; main(['list'])\n"
                           "assert 'alignwork.models.premortem' not in sys.modules, 'list built every table'",
                           tmp_path)
    assert loaded == []
