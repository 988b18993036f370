"""Time to export the demo workshop (resources/demo_workshop.json) in each format; target ≤ 2 s each.

    python benchmarks/export.py

Imports the demo into a temporary database and proposes version 1. Then, per format:

- cold: a fresh Python process times one ``export_workshop`` call (reading the workshop,
  synthesizing for the charts, rendering the charts, importing matplotlib and the writer
  library, writing the file) — what a one-off CLI export costs;
- cold, charts on disk: a fresh process again, now with the charts the first one drew kept in
  the data folder (documents/chart_files.py) — what the next CLI export of the same version costs;
- warm: the same export again in one process (charts come from the in-process cache,
  libraries are loaded) — what the next export from the GUI costs.

The cold processes get a data folder of their own (ALIGNWORK_HOME); its chart folder is emptied
before each format's first cold run, so that one draws every chart.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from alignwork.definition import agreement  # noqa: E402
from alignwork.workshops.bundle import import_demo  # noqa: E402
from alignwork.db import open_database  # noqa: E402
from alignwork.documents.docmodel import DocumentOptions  # noqa: E402
from alignwork.documents.writers import FORMATS, export_workshop  # noqa: E402

TARGET_SECONDS = 2.0
COLD = """
import sys, time
sys.path.insert(0, {root!r})
from alignwork.db import open_database
from alignwork.documents.docmodel import DocumentOptions
from alignwork.documents.writers import export_workshop
database = open_database({url!r})
with database.session() as session:
    started, cpu = time.perf_counter(), time.process_time()
    export_workshop(session=session, workshop_id={workshop_id}, format={fmt!r}, path={path!r},
                    options=DocumentOptions(document={document!r}), force=True)
    print(time.perf_counter() - started, time.process_time() - cpu)
"""


def cold(url: str, workshop_id: int, fmt: str, document: str, path: Path, home: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one export in a fresh process (CPU time is what a busy machine hides)."""
    code = COLD.format(root=str(ROOT), url=url, workshop_id=workshop_id, fmt=fmt, path=str(path), document=document)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            env={**os.environ, "ALIGNWORK_HOME": str(home)})
    wall, cpu = result.stdout.strip().splitlines()[-1].split()
    return float(wall), float(cpu)


def main() -> int:
    worst = worst_again = 0.0
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder) / "home"
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        database = open_database(url)
        with database.session() as session:
            workshop_id = import_demo(session=session).workshop_id
            agreement.propose(session=session, workshop_id=workshop_id)
        print(f"{'format':<10} {'document':<10} {'cold s':>7} {'cold cpu':>8} {'again s':>8} {'warm s':>7} "
              f"{'bytes':>10}")
        for document in ("agreement", "summary"):
            for fmt in FORMATS:
                if document == "summary" and fmt not in ("docx", "pdf", "md", "html"):
                    continue
                path = Path(folder) / f"{document}-{fmt}{FORMATS[fmt][0]}"
                shutil.rmtree(home / "charts", ignore_errors=True)
                first, cpu = cold(url, workshop_id, fmt, document, path, home)
                again, _cpu = cold(url, workshop_id, fmt, document, path, home)
                with database.session() as session:
                    export_workshop(session=session, workshop_id=workshop_id, format=fmt, path=path, force=True,
                                    options=DocumentOptions(document=document))  # load libraries, fill the cache
                    started = time.perf_counter()
                    result = export_workshop(session=session, workshop_id=workshop_id, format=fmt, path=path,
                                             force=True, options=DocumentOptions(document=document))
                    warm = time.perf_counter() - started
                worst, worst_again = max(worst, first), max(worst_again, again)
                print(f"{fmt:<10} {document:<10} {first:>7.2f} {cpu:>8.2f} {again:>8.2f} {warm:>7.2f} "
                      f"{result.size:>10,}")
        database.dispose()
    print(f"slowest cold export: {worst:.2f} s wall, drawing every chart (target ≤ {TARGET_SECONDS:.0f} s): "
          f"{'OK' if worst <= TARGET_SECONDS else 'SLOW'}; with the charts on disk {worst_again:.2f} s: "
          f"{'OK' if worst_again <= TARGET_SECONDS else 'SLOW'}; load average now {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
