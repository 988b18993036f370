"""Start-up time of the app beside a bare PySide6 + sqlmodel window, in the same run.

    python benchmarks/startup.py [--runs 7]

Both are started as fresh processes, alternately, on an offscreen display, each with a
database at head in a private data folder holding one workshop. Each prints
"ready in N ms" (from its first import to the window shown and idle); the wall time
from spawning the process to its exit is reported too. Medians; target ratio ≤ 1.3.
"""

from __future__ import annotations

import argparse
import os
import re
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


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(the 'ready in' figure, wall ms from spawn to exit) of one run."""
    started = time.perf_counter()
    result = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)
    wall = (time.perf_counter() - started) * 1000
    found = re.search(r"ready in (\d+) ms", result.stdout)
    if result.returncode != 0 or not found:
        sys.exit(f"{command[1]} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return float(found.group(1)), wall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ALIGNWORK_HOME": home}
        env.pop("ALIGNWORK_DB", None)
        bare_script = Path(home) / "bare_window.py"
        bare_script.write_text(BARE, encoding="utf-8")
        # one workshop in a database at head, so the app's start is the everyday one
        subprocess.run([sys.executable, "-c", "from alignwork.db import open_database; from alignwork import store; "
                        "s = open_database().session(); store.create_workshop(session=s, name='Benchmark')"],
                       env=env, cwd=ROOT, check=True)
        app_command = [sys.executable, str(ROOT / "main.py"), "--quit-after-ready"]
        bare_command = [sys.executable, str(bare_script)]
        timed(app_command, env), timed(bare_command, env)  # warm the file cache
        app_runs, bare_runs = [], []
        for _ in range(args.runs):
            app_runs.append(timed(app_command, env))
            bare_runs.append(timed(bare_command, env))
    app_ready = statistics.median(r for r, _ in app_runs)
    bare_ready = statistics.median(r for r, _ in bare_runs)
    app_wall = statistics.median(w for _, w in app_runs)
    bare_wall = statistics.median(w for _, w in bare_runs)
    print(f"runs: {args.runs} each, alternating (medians)")
    print(f"alignwork  ready in {app_ready:.0f} ms   (process wall {app_wall:.0f} ms)")
    print(f"bare       ready in {bare_ready:.0f} ms   (process wall {bare_wall:.0f} ms)")
    print(f"ratio      {app_ready / bare_ready:.2f} ready   {app_wall / bare_wall:.2f} wall   (target ≤ 1.3)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
