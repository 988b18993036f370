"""Premortem timings: seeding a checklist, reading it, and building both charts.

    python benchmarks/premortem.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from alignwork import store  # noqa: E402
from alignwork.premortem import checklist as premortem
from alignwork.workshops.bundle import import_demo  # noqa: E402
from alignwork.charts import figure_png  # noqa: E402
from alignwork.charts.premortem import risk_matrix_figure, votes_figure  # noqa: E402
from alignwork.db import open_database  # noqa: E402


def timed(label: str, function, repeat: int = 5):
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - started)
    print(f"{label:<48} {best * 1000:8.1f} ms")
    return result


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        database = open_database(f"sqlite:///{folder}/bench.db")
        with database.session() as session:
            counter = iter(range(1000))

            def seed():
                workshop = store.create_workshop(session=session, name=f"bench {next(counter)}")
                return premortem.seed_checklist(session=session, workshop_id=workshop.id)

            timed("seed an empty workshop's checklist (library)", seed)

            def seed_demo():
                demo = import_demo(session=session)
                return premortem.seed_checklist(session=session, workshop_id=demo.workshop_id)

            seeded = timed("import + seed the demo (synthesis + library)", seed_demo, repeat=3)
            print(f"{'':<48} ({len(seeded)} items, {sum(r.source == 'synthesis' for r in seeded)} from synthesis)")
            workshop = store.create_workshop(session=session, name="bench big")
            for number in range(200):
                premortem.add_risk(session=session, workshop_id=workshop.id, title=f"Risk {number}", commit=False)
            session.commit()
            risks = timed("list_risks, 220 items", lambda: premortem.list_risks(session=session,
                                                                                 workshop_id=workshop.id))
            for number, risk in enumerate(risks):
                risk.likelihood, risk.impact, risk.votes = number % 5 + 1, number % 4 + 2, number % 7
                risk.score = risk.likelihood * risk.impact
            timed("risk matrix figure + PNG, 220 items", lambda: figure_png(risk_matrix_figure(risks)), repeat=3)
            timed("votes figure + PNG, 220 items", lambda: figure_png(votes_figure(risks)), repeat=3)
        database.dispose()


if __name__ == "__main__":
    main()
