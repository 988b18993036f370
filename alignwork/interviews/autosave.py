"""Autosave for a running interview: changes are queued instantly and written by a
dedicated thread, so the caller (the GUI thread) never waits on a disk sync.

Edits to the same answer coalesce; a batch is written at most ``delay`` seconds
after its first change (default 0.3 s, well inside the one-second promise) in one
transaction. A failed write keeps the changes queued and retries, so nothing typed
is dropped by a busy or briefly locked database.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlmodel import Session

from alignwork import store
from alignwork.interviews.guide import Question
from alignwork.interviews.flow import save_position
from alignwork.words import counted

RETRY_SECONDS = 1.0
# how long one write waits for a lock held elsewhere before it reports and retries: short,
# so the facilitator hears of a locked database within about a second, not after five
BUSY_TIMEOUT_MS = 800
DEFAULT_BUSY_TIMEOUT_MS = 5000  # what alignwork.db gives every connection; restored after a write


@dataclass
class _Position:
    current_key: str | None
    elapsed_seconds: int


class AutosaveWriter:
    """Queue answers, positions and notes; a background thread persists them.

    ``on_saved(count)`` and ``on_error(message)`` are called from the writer thread;
    a GUI must hop back to its own thread (a Qt signal does that).
    """

    def __init__(self, engine, *, delay: float = 0.3, on_saved: Callable[[int], None] | None = None,
                 on_error: Callable[[str], None] | None = None):
        self._engine = engine
        self._delay = delay
        self._on_saved = on_saved
        self._on_error = on_error
        self._lock = threading.Condition()
        self._answers: dict[tuple[int, str], tuple[Any, Question | None]] = {}
        self._positions: dict[int, _Position] = {}
        self._notes: list[dict[str, Any]] = []
        self._first_change: float | None = None
        self._queued = 0  # generation of the last queued change
        self._saved = 0  # generation of the last change known to be on disk
        self._closing = False
        self._give_up_at: float | None = None  # on close: keep retrying until then
        self._thread = threading.Thread(target=self._run, name="alignwork-autosave", daemon=True)
        self._thread.start()

    # ------------------------------------------------------------ queueing (any thread, never blocks on I/O)
    def _queued_change(self) -> None:
        self._queued += 1
        if self._first_change is None:
            self._first_change = time.monotonic()
        self._lock.notify()

    def set_answer(self, interview_id: int, key: str, value: Any, question: Question | None = None) -> None:
        with self._lock:
            self._answers[(interview_id, key)] = (value, question)
            self._queued_change()

    def set_position(self, interview_id: int, current_key: str | None, elapsed_seconds: int) -> None:
        with self._lock:
            self._positions[interview_id] = _Position(current_key, int(elapsed_seconds))
            self._queued_change()

    def add_note(self, interview_id: int, kind: str, text: str, question: str | None) -> None:
        with self._lock:
            self._notes.append({"interview_id": interview_id, "kind": kind, "text": text, "question": question})
            self._queued_change()

    @property
    def pending(self) -> bool:
        with self._lock:
            return self._saved < self._queued

    def flush(self, timeout: float = 10.0) -> bool:
        """Write everything queued now and wait for it; False if it did not make it in time."""
        deadline = time.monotonic() + timeout
        with self._lock:
            target = self._queued
            if self._saved < target and self._first_change is not None:
                self._first_change = 0.0  # due immediately
                self._lock.notify()
            while self._saved < target:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not self._thread.is_alive():
                    return False
                self._lock.wait(remaining)
        return True

    def use_engine(self, engine, timeout: float = 10.0) -> bool:
        """Write what is queued to the current database, then write to ``engine`` from now on
        (the app switched to the team database). False if the old one took the queue too long:
        then it stays queued and goes to the new one."""
        done = self.flush(timeout)
        with self._lock:
            self._engine = engine
        return done

    def close(self, timeout: float = 10.0) -> bool:
        """Flush and stop the thread; returns whether everything was written.

        A locked database is retried until ``timeout``; what still could not be written
        then is reported through ``on_error`` (never dropped without a word)."""
        with self._lock:
            self._give_up_at = time.monotonic() + timeout
        done = self.flush(timeout)
        with self._lock:
            self._closing = True
            self._lock.notify()
        self._thread.join(timeout)
        return done

    # ------------------------------------------------------------ the writer thread
    def _take_batch(self):
        with self._lock:
            while True:
                if self._closing and self._first_change is None:
                    return None
                if self._first_change is None:
                    self._lock.wait()
                    continue
                due = self._first_change + self._delay
                now = time.monotonic()
                if now >= due or self._closing:
                    break
                self._lock.wait(due - now)
            batch = (self._answers, self._positions, self._notes, self._queued)
            self._answers, self._positions, self._notes = {}, {}, []
            self._first_change = None
            return batch

    def _requeue(self, answers, positions, notes) -> None:
        """Put a failed batch back, under anything newer queued meanwhile."""
        with self._lock:
            self._answers = {**answers, **self._answers}
            self._positions = {**positions, **self._positions}
            self._notes = notes + self._notes
            if self._first_change is None:
                self._first_change = time.monotonic() + RETRY_SECONDS - self._delay

    def _write(self, answers, positions, notes) -> list[str]:
        """One transaction; an item that cannot be stored (bad value, interview gone) is
        reported and skipped inside its own savepoint. A database that cannot be written
        at all (locked, disk full) raises, and the whole batch is retried."""
        problems: list[str] = []
        sqlite = self._engine.dialect.name == "sqlite"
        with self._engine.connect() as connection:
            if sqlite:
                connection.exec_driver_sql(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
                connection.commit()
            try:
                with Session(bind=connection, expire_on_commit=False) as session:
                    self._write_items(session, answers, positions, notes, problems)
            finally:
                if sqlite:  # a pooled connection goes back as it came
                    connection.rollback()
                    connection.exec_driver_sql(f"PRAGMA busy_timeout={DEFAULT_BUSY_TIMEOUT_MS}")
                    connection.commit()
        return problems

    @staticmethod
    def _write_items(session: Session, answers, positions, notes, problems: list[str]) -> None:
        def attempt(operation) -> None:
            try:
                with session.begin_nested():
                    operation()
            except store.StoreError as error:
                problems.append(f"Not saved: {error}")
            except IntegrityError as error:
                problems.append(f"Not saved: the interview was removed meanwhile ({error.orig})")

        for (interview_id, key), (value, question) in answers.items():
            attempt(lambda: store.save_answer(session=session, interview_id=interview_id, key=key,
                                              value=value, question=question, commit=False))
        for interview_id, position in positions.items():
            attempt(lambda: save_position(session=session, interview_id=interview_id,
                                          current_key=position.current_key,
                                          elapsed_seconds=position.elapsed_seconds, commit=False))
        for note in notes:
            attempt(lambda: store.add_note(session=session, commit=False, **note))
        session.commit()

    def _run(self) -> None:
        while True:
            batch = self._take_batch()
            if batch is None:
                return
            answers, positions, notes, generation = batch
            try:
                problems = self._write(answers, positions, notes)
            except Exception as error:  # noqa: BLE001 (the thread must survive to save what comes next)
                if not isinstance(error, SQLAlchemyError):
                    problems = [f"not saved: {error}"]  # a bug, not the disk: retrying would not help
                    self._finish_batch(generation, problems, 0)
                    continue
                self._requeue(answers, positions, notes)
                message = str(getattr(error, "orig", error)).splitlines()[0]
                with self._lock:
                    if self._give_up_at is not None and time.monotonic() >= self._give_up_at:
                        # closing and out of time: rather than hang the exit, say what is lost
                        lost = len(self._answers) + len(self._positions) + len(self._notes)
                        self._answers, self._positions, self._notes = {}, {}, []
                        self._first_change = None
                        self._saved = self._queued
                        self._lock.notify_all()
                        report = f"{counted(lost, 'change')} could not be saved ({message})"
                    else:
                        report = f"Not saved yet ({message}); retrying…"
                if self._on_error:
                    self._on_error(report)
                continue
            self._finish_batch(generation, problems, len(answers) + len(positions) + len(notes) - len(problems))

    def _finish_batch(self, generation: int, problems: list[str], saved: int) -> None:
        with self._lock:
            self._saved = max(self._saved, generation)
            self._lock.notify_all()
        for problem in problems:
            if self._on_error:
                self._on_error(problem)
        if self._on_saved and saved:
            self._on_saved(saved)
