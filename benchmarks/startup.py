"""Start-up time of the app beside a bare PySide6 + sqlmodel window, in the same run.

    python benchmarks/startup.py [--runs 9]

Both are started as fresh processes, alternately, on an offscreen display, each with a
database at head in a private data folder holding the demo workshop. Each prints
"ready in N ms" (from its first import to the window shown and idle); the wall time
from spawning the process to its exit and the CPU time it used are reported too.
Bytecode is cached as on a normal install (a shell with PYTHONDONTWRITEBYTECODE set would
otherwise recompile every project module on each start). Medians; target ratio ≤ 1.3.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BARE = """
import time
_STARTED = time.perf_counter()
import sqlmodel  # noqa: F401
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

app = QApplication([])
app.setStyle("Fusion")
window = QMainWindow()
window.resize(1280, 800)
window.show()

def report():
    print(f"ready in {round((time.perf_counter() - _STARTED) * 1000)} ms", flush=True)
    app.quit()

QTimer.singleShot(0, report)
app.exec()
"""


def cpu_seconds_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """(the 'ready in' figure, wall ms from spawn to exit, CPU ms of the process) of one run.

    CPU time is the steadier figure on a busy machine: other work on the machine
    stretches wall time but not the CPU the process itself used."""
    started, cpu_before = time.perf_counter(), cpu_seconds_of_children()
    result = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)
    wall = (time.perf_counter() - started) * 1000
    cpu = (cpu_seconds_of_children() - cpu_before) * 1000
    found = re.search(r"ready in (\d+) ms", result.stdout)
    if result.returncode != 0 or not found:
        sys.exit(f"{command[1]} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return float(found.group(1)), wall, cpu


MIGRATION_CHECK = """
import sys, time
from alignwork import db
database = db.open_database(sys.argv[1], migrate_schema=False)
started = time.perf_counter()
db.migrate(database)  # at head: reads the revision files, no Alembic import
fast = (time.perf_counter() - started) * 1000
assert "alembic" not in sys.modules
started = time.perf_counter()
db.head_revision()  # what the check cost when it asked Alembic
slow = (time.perf_counter() - started) * 1000
print(f"{fast:.1f} {slow:.1f}")
"""


def migration_check(env: dict[str, str], home: str) -> tuple[float, float]:
    """(ms of the at-head migration check, ms of asking Alembic for the head instead), medians of 5."""
    runs = []
    for _ in range(5):
        result = subprocess.run([sys.executable, "-c", MIGRATION_CHECK, f"sqlite:///{home}/alignwork.db"],
                                env=env, cwd=ROOT, capture_output=True, text=True, check=True)
        runs.append(tuple(float(x) for x in result.stdout.split()))
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ALIGNWORK_HOME": home,
               # compiled bytecode is cached as on any normal install (the warm-up run writes it),
               # in a temporary folder so the source tree stays clean
               "PYTHONPYCACHEPREFIX": str(Path(home) / "pycache")}
        env.pop("ALIGNWORK_DB", None)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        bare_script = Path(home) / "bare_window.py"
        bare_script.write_text(BARE, encoding="utf-8")
        # the demo workshop (12 reps, their interviews) in a database at head: the everyday start
        subprocess.run([sys.executable, "-c", "from alignwork.db import open_database; from alignwork.workshops import bundle; "
                        "s = open_database().session(); bundle.import_demo(session=s)"],
                       env=env, cwd=ROOT, check=True)
        app_command = [sys.executable, str(ROOT / "main.py"), "--quit-after-ready"]
        bare_command = [sys.executable, str(bare_script)]
        timed(app_command, env), timed(bare_command, env)  # warm the file cache
        check_ms, alembic_ms = migration_check(env, home)
        app_runs, bare_runs = [], []
        for _ in range(args.runs):
            app_runs.append(timed(app_command, env))
            bare_runs.append(timed(bare_command, env))
    app_ready, app_wall, app_cpu = (statistics.median(run[i] for run in app_runs) for i in range(3))
    bare_ready, bare_wall, bare_cpu = (statistics.median(run[i] for run in bare_runs) for i in range(3))
    print(f"runs: {args.runs} each, alternating (medians)")
    print(f"alignwork  ready in {app_ready:.0f} ms   process wall {app_wall:.0f} ms   CPU {app_cpu:.0f} ms")
    print(f"bare       ready in {bare_ready:.0f} ms   process wall {bare_wall:.0f} ms   CPU {bare_cpu:.0f} ms")
    print(f"ratio      {app_ready / bare_ready:.2f} ready   {app_wall / bare_wall:.2f} wall   "
          f"{app_cpu / bare_cpu:.2f} CPU   (target ≤ 1.3)")
    print(f"migration check at head: {check_ms:.1f} ms (asking Alembic instead: {alembic_ms:.0f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
