"""First export of a version from the app's Export page, with and without the page drawing the
document's charts ahead (it starts as the page shows, while the user picks a format and a file).

    python benchmarks/export_page.py

Each run is a fresh process with its own data folder (no chart drawn before): the demo workshop is
imported and proposed as version 1, the page is shown offscreen, and the export is timed from the
click to the file written — once straight away, once after the page has drawn the charts. Target
(issue 6): ≤ 2 s; the ratio to it is printed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 2.0
RUN = """
import os, sys, tempfile, time
folder = tempfile.mkdtemp()
os.environ["ALIGNWORK_HOME"] = folder + "/home"
sys.path.insert(0, {root!r})
from PySide6.QtWidgets import QApplication
app = QApplication([])
from alignwork.db import open_database
from alignwork.definition import agreement
from alignwork.workshops.bundle import import_demo
from alignwork_gui.context import AppContext
from alignwork_gui.pages.export import ExportPage
database = open_database(f"sqlite:///{{folder}}/bench.db")
with database.session() as session:
    workshop_id = import_demo(session=session).workshop_id
    agreement.propose(session=session, workshop_id=workshop_id)
context = AppContext(database)
page = ExportPage(context)
page.set_workshop(workshop_id)
page.resize(1280, 800)
ahead = 0.0
if {ahead}:
    page.show()
    started = time.perf_counter()
    while page._drawn_for is None or page._drawing is not None:
        app.processEvents()
        time.sleep(0.005)
    ahead = time.perf_counter() - started
page.format.setCurrentIndex(page.format.findData({fmt!r}))
page.path.setText(f"{{folder}}/out.{fmt}")
started = time.perf_counter()
page.start_export()
while page.task is not None:
    app.processEvents()
    time.sleep(0.005)
print(time.perf_counter() - started, ahead, page.result.text().startswith("Wrote"))
context.stop_feed()
"""


def run(fmt: str, ahead: bool) -> tuple[float, float]:
    done = subprocess.run([sys.executable, "-c", RUN.format(root=str(ROOT), fmt=fmt, ahead=ahead)],
                          capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    seconds, drawn, written = done.stdout.strip().splitlines()[-1].split()
    if written != "True":
        raise SystemExit(f"the {fmt} export failed:\n{done.stdout}{done.stderr}")
    return float(seconds), float(drawn)


def main() -> None:
    print(f"{'format':<6} {'straight away':>14} {'charts ahead':>13} {'drawing ahead':>14}   ratio to {TARGET_SECONDS:g} s")
    for fmt in ("docx", "pdf", "md", "html"):
        cold, _ = run(fmt, ahead=False)
        warm, drawn = run(fmt, ahead=True)
        print(f"{fmt:<6} {cold:>12.2f} s {warm:>11.2f} s {drawn:>12.2f} s   {cold / TARGET_SECONDS:.2f} → "
              f"{warm / TARGET_SECONDS:.2f}")


if __name__ == "__main__":
    main()
