"""Benchmark: import a 20,000-rep workshop bundle (issue 14 saw 14 s).

    python benchmarks/bundle_import.py [--reps N]

Measures, in the same run: parse + validate + import of the bundle into a fresh SQLite
file (the app's path), against the floor of writing the same rows with bare sqlite3
executemany into the same schema. Prints both and their ratio.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import tempfile
import time
from datetime import datetime
from pathlib import Path


def bundle(reps: int) -> str:
    return json.dumps({
        "format": "alignwork-bundle", "version": 1, "workshop": {"name": "Huge roster"},
        "participants": [{"ref": f"p{n}", "name": f"Rep {n}", "team": "SMB" if n % 2 else "Enterprise"}
                         for n in range(reps)],
        "interviews": [{"participant": f"p{n}", "status": "done", "answers": {"lead_quality_rating": 3},
                        "notes": [{"kind": "quote", "question": None, "text": f"note {n}"}]}
                       for n in range(0, reps, 4)]})


def bare_import(text: str, path: Path) -> None:
    """The floor: parse the JSON and executemany the same rows, no checks."""
    data = json.loads(text)
    now = datetime.now().isoformat(" ")
    with sqlite3.connect(path) as floor:
        floor.execute("INSERT INTO workshop (id, name, goal, company, facilitator, target_minutes, archived, "
                      "created_at, updated_at) VALUES (1, 'Huge roster', '', '', '', 20, 0, ?, ?)", (now, now))
        floor.executemany("INSERT INTO participant (id, workshop_id, ref, name, role, team, region, profile, notes, "
                          "position) VALUES (?, 1, ?, ?, '', ?, '', 'other', '', ?)",
                          [(n + 1, rep["ref"], rep["name"], rep["team"], n)
                           for n, rep in enumerate(data["participants"])])
        refs = {rep["ref"]: n + 1 for n, rep in enumerate(data["participants"])}
        floor.executemany("INSERT INTO interview (id, workshop_id, participant_id, status, elapsed_seconds, "
                          "created_at, updated_at) VALUES (?, 1, ?, 'done', 0, ?, ?)",
                          [(n + 1, refs[item["participant"]], now, now) for n, item in enumerate(data["interviews"])])
        floor.executemany("INSERT INTO answer (interview_id, key, value, updated_at) VALUES (?, ?, ?, ?)",
                          [(n + 1, "lead_quality_rating", "3", now) for n in range(len(data["interviews"]))])
        floor.executemany("INSERT INTO note (interview_id, kind, question, text, position, created_at) "
                          "VALUES (?, 'quote', NULL, ?, 0, ?)",
                          [(n + 1, item["notes"][0]["text"], now) for n, item in enumerate(data["interviews"])])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=20_000)
    reps = parser.parse_args().reps
    from alignwork.db import open_database
    from alignwork.workshops.bundle import import_bundle, parse_bundle_text

    text = bundle(reps)
    folder = Path(tempfile.mkdtemp(prefix="alignwork-bench-"))
    database = open_database(f"sqlite:///{folder / 'app.db'}")
    floor_path = folder / "floor.db"
    with sqlite3.connect(floor_path) as floor, sqlite3.connect(folder / "app.db") as source:
        for (sql,) in source.execute("SELECT sql FROM sqlite_master WHERE type='table' AND sql IS NOT NULL"):
            floor.execute(sql)
    started = time.perf_counter()
    with database.session() as session:
        result = import_bundle(session=session, data=parse_bundle_text(text))
    app = time.perf_counter() - started
    database.dispose()
    started = time.perf_counter()
    bare_import(text, floor_path)
    bare = time.perf_counter() - started
    print(f"{result.participants:,} reps, {result.interviews:,} interviews: import {app:.2f} s "
          f"vs bare sqlite3 {bare:.2f} s -> ratio {app / bare:.1f}")


if __name__ == "__main__":
    main()
