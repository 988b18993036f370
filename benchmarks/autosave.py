"""Autosave figures on the default SQLite settings (WAL, synchronous=FULL, foreign keys).

1. Time to persist one edited answer: one upsert + commit, as the autosave writer does it.
   Target: median ≤ 10 ms.
2. Typing is never blocked: a simulated facilitator types 25 keys/s into answers while the
   writer saves in the background; we time every call the GUI thread makes (queueing a
   change) and check that every keystroke is on disk at the end.

    python benchmarks/autosave.py [--edits 300] [--dir FOLDER]
    python benchmarks/autosave.py --db postgresql://user:password@host/dbname
    python benchmarks/autosave.py --start-postgres   (a throw-away local PostgreSQL, fsync on)
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from alignwork import store  # noqa: E402
from alignwork.interviews.autosave import AutosaveWriter  # noqa: E402
from alignwork.db import open_database  # noqa: E402
from alignwork.interviews.guide import default_question  # noqa: E402
from alignwork.interviews.journal import Queue  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def setup(url: str):
    database = open_database(url)
    with database.session() as session:
        workshop = store.create_workshop(session=session, name=store.unique_workshop_name(session=session,
                                                                                          name="Benchmark"))
        rep = store.add_participant(session=session, workshop_id=workshop.id, name="Rep")
        interview = store.create_interview(session=session, participant_id=rep.id)
        for key in ("titles", "industries", "regions"):
            store.save_answer(session=session, interview_id=interview.id, key=key, value=["seed"])
    return database, interview.id


def persist_one_answer(database, interview_id: int, edits: int) -> list[float]:
    question = default_question("ideal_lead")
    timings = []
    with database.session() as session:
        if database.engine.dialect.name == "sqlite":
            pragmas = session.connection().exec_driver_sql("PRAGMA journal_mode").scalar(), \
                session.connection().exec_driver_sql("PRAGMA synchronous").scalar()
            assert pragmas == ("wal", 2), f"unexpected SQLite settings {pragmas}"
        else:
            assert session.connection().exec_driver_sql("SHOW fsync").scalar() == "on", "fsync must be on"
        session.commit()
        text = "Finance leaders at mid-sized banks"
        for index in range(edits):
            started = time.perf_counter()
            store.save_answer(session=session, interview_id=interview_id, key="ideal_lead",
                              value=f"{text} {index}", question=question)
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def writer_transaction(database, interview_id: int, edits: int) -> list[float]:
    """The writer's whole batch for one edited answer: its own connection, the short busy
    timeout, a savepoint, the commit (what the figure above leaves out)."""
    question = default_question("ideal_lead")
    writer = AutosaveWriter(database.engine)
    timings = []
    for index in range(edits):
        started = time.perf_counter()
        _written, problems = writer._write(Queue(answers={(interview_id, "ideal_lead"): (f"Banks {index}", question)}))
        timings.append((time.perf_counter() - started) * 1000)
        assert not problems, problems
    writer.close()
    return timings


def typing_while_saving(database, interview_id: int, journal_folder: Path, seconds: float = 4.0,
                        keys_per_second: int = 25):
    question = default_question("surprises")
    batches: list[int] = []
    # as the interview page runs it: with a journal folder (used only while the database fails)
    writer = AutosaveWriter(database.engine, on_saved=batches.append, journal_folder=journal_folder)
    call_timings, typed = [], ""
    interval = 1 / keys_per_second
    started = time.perf_counter()
    next_key = started
    while time.perf_counter() - started < seconds:
        typed += "abcdefghij klmnopqrstuvwxyz"[len(typed) % 27]
        begin = time.perf_counter()
        writer.set_answer(interview_id, "surprises", typed, question)  # what a keystroke costs the GUI
        if len(typed) % 10 == 0:
            writer.set_position(interview_id, "surprises", int(time.perf_counter() - started))
        call_timings.append((time.perf_counter() - begin) * 1000)
        next_key += interval
        time.sleep(max(0.0, next_key - time.perf_counter()))
    flush_started = time.perf_counter()
    assert writer.close()
    flush_ms = (time.perf_counter() - flush_started) * 1000
    with database.session() as session:
        stored = store.answers_for(session=session, interview_id=interview_id)["surprises"]
    return call_timings, len(typed), stored == typed, flush_ms, len(batches)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--edits", type=int, default=300)
    parser.add_argument("--dir", type=Path, default=None, help="folder for the benchmark database (default: temp)")
    parser.add_argument("--db", metavar="URL", help="benchmark this database instead (e.g. postgresql://…)")
    parser.add_argument("--start-postgres", action="store_true",
                        help="start a throw-away local PostgreSQL (fsync on) from the machine's binaries")
    args = parser.parse_args()
    server = None
    if args.start_postgres:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
        from pgserver import LocalPostgres, find_bindir

        bindir = find_bindir()
        if bindir is None:
            sys.exit("no PostgreSQL server binaries found (initdb, pg_ctl)")
        server = LocalPostgres(bindir, fast=False).start()
        server.sql("CREATE DATABASE bench")
        args.db = server.url("bench")
    try:
        return run(args)
    finally:
        if server is not None:
            server.stop()


def run(args) -> int:
    with tempfile.TemporaryDirectory(dir=args.dir) as folder:
        url = args.db or f"sqlite:///{Path(folder) / 'bench.db'}"
        database, interview_id = setup(url)
        backend = "PostgreSQL, fsync on" if database.engine.dialect.name == "postgresql" else "WAL, synchronous=FULL"
        timings = persist_one_answer(database, interview_id, args.edits)
        median = statistics.median(timings)
        print(f"persist one edited answer ({backend}), {len(timings)} edits:")
        print(f"  median {median:.2f} ms   p99 {percentile(timings, 0.99):.2f} ms   "
              f"max {max(timings):.2f} ms   (target: median <= 10 ms; ratio {median / 10:.2f} of the floor)")
        batch = writer_transaction(database, interview_id, min(args.edits, 100))
        print(f"the writer's whole transaction for one edited answer (new connection, savepoint), "
              f"{len(batch)} edits:")
        print(f"  median {statistics.median(batch):.2f} ms   p99 {percentile(batch, 0.99):.2f} ms   "
              f"max {max(batch):.2f} ms")
        calls, keys, complete, flush_ms, batches = typing_while_saving(database, interview_id, Path(folder))
        print(f"typing while saving: {keys} keystrokes at 25/s, each queued to the background writer:")
        print(f"  GUI-thread cost per keystroke: median {statistics.median(calls) * 1000:.0f} µs   "
              f"p99 {percentile(calls, 0.99) * 1000:.0f} µs   max {max(calls) * 1000:.0f} µs")
        print(f"  {batches} background transactions (edits coalesced, each on disk within 0.3 s); "
              f"final flush {flush_ms:.1f} ms; every keystroke on disk: {'yes' if complete else 'NO'}")
        database.dispose()
        ok = statistics.median(timings) <= 10 and complete
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
