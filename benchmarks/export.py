"""Time to export the demo workshop (resources/demo_workshop.json) in each format; target ≤ 2 s each.

    python benchmarks/export.py

Imports the demo into a temporary database, drafts and proposes version 1, then times
``export_workshop`` per format (each run reads the workshop, builds and writes the file;
the first document format also pays for importing matplotlib and the writer library).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from alignwork import agreement  # noqa: E402
from alignwork.bundle import import_demo  # noqa: E402
from alignwork.db import open_database  # noqa: E402
from alignwork.docmodel import DocumentOptions  # noqa: E402
from alignwork.export import FORMATS, export_workshop  # noqa: E402

TARGET_SECONDS = 2.0


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        database = open_database(f"sqlite:///{Path(folder) / 'bench.db'}")
        with database.session() as session:
            workshop_id = import_demo(session=session).workshop_id
            agreement.propose(session=session, workshop_id=workshop_id)
            print(f"{'format':<22} {'document':<10} {'seconds':>8} {'size':>10}")
            worst = 0.0
            for document in ("agreement", "summary"):
                for fmt in FORMATS:
                    if document == "summary" and fmt not in ("docx", "pdf", "md", "html"):
                        continue
                    started = time.perf_counter()
                    result = export_workshop(session=session, workshop_id=workshop_id, format=fmt,
                                             path=Path(folder) / f"{document}-{fmt}{FORMATS[fmt][0]}",
                                             options=DocumentOptions(document=document))
                    seconds = time.perf_counter() - started
                    worst = max(worst, seconds)
                    print(f"{fmt:<22} {document:<10} {seconds:>8.2f} {result.size:>10,}")
        database.dispose()
    print(f"slowest: {worst:.2f} s (target ≤ {TARGET_SECONDS:.0f} s): {'OK' if worst <= TARGET_SECONDS else 'SLOW'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
