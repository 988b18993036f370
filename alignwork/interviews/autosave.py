"""Autosave for a running interview: changes are queued instantly and written by a
dedicated thread, so the caller (the GUI thread) never waits on a disk sync.

Edits to the same answer coalesce; a batch is written at most ``delay`` seconds
after its first change (default 0.3 s, well inside the one-second promise) in one
transaction. A failed write keeps the changes queued and retries, so nothing typed
is dropped by a busy or briefly locked database.

With a ``journal_folder`` (the app passes its data folder) what cannot be written is also
kept on this computer (alignwork.interviews.journal): after a failed write, within ``delay``
of every change while the database stays unreachable, and while a write hangs for more than
``KEEP_AFTER_SECONDS`` (a network drop). A kill or a close then loses nothing: the next writer
on the same database replays the file at its start. All of that happens on the writer's own
threads and only while something is unsaved; a healthy database never sees the journal.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlmodel import Session, select

from alignwork import store
from alignwork.interviews import journal
from alignwork.interviews.flow import save_position
from alignwork.interviews.guide import Question
from alignwork.interviews.journal import Position, Queue, QueuedNote
from alignwork.models import Note
from alignwork.models.base import utcnow
from alignwork.words import counted

RETRY_SECONDS = 1.0
# a write still running after this long (a dropped network, not a refused connection) has what
# it carries, and what was typed meanwhile, kept on disk while it waits
KEEP_AFTER_SECONDS = 1.0
# how long one write waits for a lock held elsewhere before it reports and retries: short,
# so the facilitator hears of a locked database within about a second, not after five
BUSY_TIMEOUT_MS = 800
DEFAULT_BUSY_TIMEOUT_MS = 5000  # what alignwork.db gives every connection; restored after a write


@dataclass
class _Batch:
    queue: Queue
    generation: int  # the last change it carries
    epoch: int  # which database it was taken for (use_engine moves to the next)
    engine: Any


def _first_line(error: BaseException) -> str:
    text = str(getattr(error, "orig", None) or error).strip()
    return text.splitlines()[0] if text else type(error).__name__


class AutosaveWriter:
    """Queue answers, positions and notes; a background thread persists them.

    ``on_saved(count)``, ``on_error(message)`` and ``on_recovered(message)`` (changes that
    waited for an unreachable database, or came from the journal of an earlier run, are in it
    now) are called from the writer's threads; a GUI must hop back to its own thread (a Qt
    signal does that).
    """

    def __init__(self, engine, *, delay: float = 0.3, on_saved: Callable[[int], None] | None = None,
                 on_error: Callable[[str], None] | None = None,
                 on_recovered: Callable[[str], None] | None = None, journal_folder: Path | None = None):
        self._engine = engine
        self._delay = delay
        self._on_saved = on_saved
        self._on_error = on_error
        self._on_recovered = on_recovered
        self._lock = threading.Condition()
        self._queue = Queue()
        self._in_flight: _Batch | None = None
        self._write_started = 0.0
        self._first_change: float | None = None
        self._queued = 0  # generation of the last queued change
        self._saved = 0  # generation of the last change known to be in the database
        self._kept = 0  # generation of the last change known to be in the journal (or the database)
        self._epoch = 0
        self._closing = False  # write what is left, then stop
        self._stopping = False  # stop now (what is left is in the journal, or reported lost)
        self._offline = False  # the last write failed: keep what is typed on disk until one works
        self._keep_due: float | None = None
        self._keep_failed = False
        self._problem = ""  # why the last write failed, for the close report
        self._recovering = False
        self._recovered = Queue()  # what was written since the database went away (or from the journal)
        self._journal_folder = journal_folder
        self._journal: Path | None = None
        self._identity = ""
        self._on_disk = False  # our journal file exists
        self._load_due = False
        self._follow_journal(engine)
        self._thread = threading.Thread(target=self._run, name="alignwork-autosave", daemon=True)
        self._thread.start()

    def _follow_journal(self, engine) -> None:
        """The journal of ``engine``'s database (read by the writer thread, never by the caller)."""
        if self._journal_folder is None:
            return
        self._journal = journal.path_for(engine, self._journal_folder)
        self._identity = journal.database_identity(engine)
        self._on_disk = False
        self._load_due = True

    @property
    def closed(self) -> bool:
        """close() has run (or the thread is gone): nothing queued from now on is written."""
        return not self._thread.is_alive()

    @property
    def engine(self):
        return self._engine

    @property
    def journal_path(self) -> Path | None:
        return self._journal

    # ------------------------------------------------------------ queueing (any thread, never blocks on I/O)
    def _queued_change(self) -> None:
        self._queued += 1
        now = time.monotonic()
        if self._first_change is None:
            self._first_change = now
        if self._offline and self._journal is not None and self._keep_due is None:
            self._keep_due = now + self._delay  # the database is away: on disk here within the delay
        self._lock.notify_all()

    def set_answer(self, interview_id: int, key: str, value: Any, question: Question | None = None) -> None:
        with self._lock:
            self._queue.answers[(interview_id, key)] = (value, question)
            self._queued_change()

    def set_position(self, interview_id: int, current_key: str | None, elapsed_seconds: int) -> None:
        with self._lock:
            self._queue.positions[interview_id] = Position(current_key, int(elapsed_seconds))
            self._queued_change()

    def add_note(self, interview_id: int, kind: str, text: str, question: str | None) -> None:
        typed_at = utcnow()
        with self._lock:
            self._queue.notes.append(QueuedNote(interview_id, kind, text, question, typed_at))
            self._queued_change()

    @property
    def pending(self) -> bool:
        with self._lock:
            return self._saved < self._queued

    @property
    def kept(self) -> bool:
        """Everything queued is safe on this computer: in the database, or in the journal."""
        with self._lock:
            return self._saved >= self._queued or self._kept >= self._queued

    @property
    def problem(self) -> str:
        """Why the last write failed ("connection refused"…), empty once one worked."""
        with self._lock:
            return self._problem if self._offline else ""

    def _stalled(self) -> bool:
        """The database is not taking writes just now (the last one failed, or one hangs)."""
        return self._offline or (self._in_flight is not None
                                 and time.monotonic() - self._write_started >= KEEP_AFTER_SECONDS)

    def flush(self, timeout: float = 10.0, *, or_kept: bool = False) -> bool:
        """Write everything queued now and wait for it; False if it did not make it in time.

        ``or_kept``: stop waiting (still False) as soon as the database is unreachable and
        everything is kept in the journal, rather than retry until ``timeout``."""
        deadline = time.monotonic() + timeout
        with self._lock:
            target = self._queued
            if self._saved < target and self._first_change is not None:
                self._first_change = 0.0  # due immediately
                self._lock.notify_all()
            while self._saved < target:
                if or_kept and self._journal is not None and self._kept >= target and self._stalled():
                    return False
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not self._thread.is_alive():
                    return False
                self._lock.wait(min(remaining, KEEP_AFTER_SECONDS / 2) if or_kept else remaining)
        return True

    def _wait_kept(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        with self._lock:
            while self._kept < self._queued and self._saved < self._queued:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not self._thread.is_alive():
                    return False
                self._lock.wait(remaining)
        return True

    def unsaved(self) -> Queue:
        """A copy of what is not in the database yet (queued, or being written)."""
        with self._lock:
            return self._unsaved_locked()

    def _unsaved_locked(self) -> Queue:
        return (self._in_flight.queue if self._in_flight is not None else Queue()).under(self._queue)

    def unsaved_report(self) -> str:
        """One line on what is not in the database yet and where it is (empty when nothing is)."""
        with self._lock:
            unsaved = self._unsaved_locked()
            kept = self._journal is not None and self._kept >= self._queued
            reason = self._problem or "the database did not answer in time"
        if not len(unsaved):
            return ""
        if kept:
            return (f"{unsaved.describe()} could not be written to the database yet ({reason}). Nothing is lost: "
                    "kept on this computer, to be written the next time Alignwork reaches the database.")
        return f"{counted(len(unsaved), 'change')} could not be saved ({reason})"

    def use_engine(self, engine, timeout: float = 10.0) -> bool:
        """Write what is queued to the current database, then write to ``engine`` from now on
        (the app switched to the team database). False if the old one took the queue too long:
        with a journal what is left is kept for the old database (written when it is opened
        again); without one it stays queued and goes to the new one."""
        done = self.flush(timeout, or_kept=True)
        if not done and self._journal is not None:
            self._wait_kept(timeout)
        with self._lock:
            if not done and self._journal is not None and self._kept >= self._queued:
                self._queue, self._first_change, self._keep_due = Queue(), None, None
                self._saved = self._queued
            self._engine = engine
            self._epoch += 1
            self._offline, self._recovering, self._recovered = False, False, Queue()
            self._follow_journal(engine)
            self._lock.notify_all()
        return done

    def close(self, timeout: float = 10.0) -> bool:
        """Flush and stop the thread; returns whether everything was written.

        A locked database is retried until ``timeout``; with a journal, an unreachable one only
        until everything is kept on disk. What is still not written then is reported through
        ``on_error``: kept on this computer for next time, or (without a journal) lost —
        never dropped without a word. Closing again only answers whether all was written."""
        if self.closed:
            return not self.pending
        done = self.flush(timeout, or_kept=True)
        with self._lock:
            if done:
                self._closing = True
            else:
                self._stopping = True
            self._lock.notify_all()
        self._thread.join(timeout if done or self._journal is None else min(timeout, KEEP_AFTER_SECONDS))
        if not done:
            report = self.unsaved_report()
            with self._lock:
                if self._journal is None or self._kept < self._queued:
                    self._queue, self._first_change = Queue(), None  # not kept anywhere: said, then let go
                    self._saved = self._queued
                    self._lock.notify_all()
            if report and self._on_error:
                self._on_error(report)
        return done

    # ------------------------------------------------------------ the writer thread
    def _next_task(self):
        """("load", …), ("keep", …), ("write", batch, snapshot) or None to stop."""
        with self._lock:
            while True:
                if self._load_due:
                    self._load_due = False
                    return "load", self._journal, self._epoch
                if self._stopping or (self._closing and self._first_change is None):
                    return None
                now = time.monotonic()
                if self._keep_due is not None and now >= self._keep_due:
                    self._keep_due = None
                    if self._kept < self._queued:
                        return "keep", self._unsaved_locked(), self._queued, self._epoch
                if self._first_change is None:
                    self._lock.wait(None if self._keep_due is None else self._keep_due - now)
                    continue
                due = self._first_change + self._delay
                if now >= due or self._closing:
                    break
                self._lock.wait((due if self._keep_due is None else min(due, self._keep_due)) - now)
            batch = _Batch(self._queue, self._queued, self._epoch, self._engine)
            self._queue = Queue()
            self._first_change = None
            self._in_flight, self._write_started = batch, time.monotonic()
            # the database was away a moment ago: what this batch carries goes on disk before trying
            keep = self._journal is not None and self._offline and self._kept < self._queued
            return "write", batch, (Queue().under(batch.queue) if keep else None)

    def _run(self) -> None:
        while True:
            task = self._next_task()
            if task is None:
                return
            if task[0] == "load":
                self._load(*task[1:])
            elif task[0] == "keep":
                self._keep(*task[1:])
            else:
                _, batch, snapshot = task
                if snapshot is not None:
                    self._keep(snapshot, batch.generation, batch.epoch)
                self._write_batch(batch)

    def _write_batch(self, batch: _Batch) -> None:
        watchdog = None
        if self._journal is not None:
            finished = threading.Event()
            watchdog = threading.Thread(target=self._keep_while_writing, args=(finished, batch.epoch),
                                        name="alignwork-autosave-keeper", daemon=True)
            watchdog.start()
        try:
            written, problems = self._write(batch.queue, batch.engine)
        except Exception as error:  # noqa: BLE001 (the thread must survive to save what comes next)
            if watchdog is not None:
                finished.set()
                watchdog.join()
            if isinstance(error, SQLAlchemyError):
                self._failed(batch, error)
            else:  # a bug, not the disk: retrying would not help
                self._done(batch, Queue(), [f"not saved: {error}"])
            return
        if watchdog is not None:
            finished.set()
            watchdog.join()
        self._done(batch, written, problems)

    def _keep_while_writing(self, finished: threading.Event, epoch: int) -> None:
        """While a write hangs, keep what it carries and what is typed meanwhile."""
        while not finished.wait(KEEP_AFTER_SECONDS):
            with self._lock:
                if self._epoch != epoch or self._kept >= self._queued:
                    continue
                snapshot, generation = self._unsaved_locked(), self._queued
            self._keep(snapshot, generation, epoch)

    def _keep(self, queue: Queue, generation: int, epoch: int) -> None:
        """Replace the journal by ``queue`` (remove it when empty); one thread at a time calls this."""
        with self._lock:
            if epoch != self._epoch or self._journal is None:
                return
            path, identity = self._journal, self._identity
        try:
            journal.write(path, queue, identity)
        except OSError as error:
            if not self._keep_failed and self._on_error:
                self._on_error(f"Unsaved changes cannot be kept on this computer either "
                               f"({getattr(error, 'strerror', None) or error}); keep Alignwork open until "
                               "the database is back")
            self._keep_failed = True
            return
        with self._lock:
            self._keep_failed = False
            self._on_disk = bool(len(queue))
            self._kept = max(self._kept, generation)
            self._lock.notify_all()

    def _load(self, path: Path | None, epoch: int) -> None:
        """Queue what an earlier run kept for this database (it goes out with the next batch)."""
        if path is None:
            return
        try:
            queue = journal.read(path)
        except journal.JournalError as error:
            try:
                aside = journal.set_aside(path)
            except OSError:
                aside = path
            if self._on_error:
                self._on_error(f"The changes kept on this computer in {path} cannot be read back ({error}); "
                               f"the file is left as {aside} for you to look at")
            return
        if not queue:
            return
        with self._lock:
            if epoch != self._epoch:
                return
            self._queue = queue.under(self._queue)  # anything typed since the start is newer
            self._on_disk = self._recovering = True
            self._queued += 1
            self._first_change = 0.0  # due now
            self._lock.notify_all()

    def _failed(self, batch: _Batch, error: SQLAlchemyError) -> None:
        message = _first_line(error)
        with self._lock:
            self._in_flight = None
            same_database = batch.epoch == self._epoch
            if same_database or self._journal is None:  # else: kept for the old database, in its journal
                self._queue = batch.queue.under(self._queue)
                if self._first_change is None:
                    self._first_change = time.monotonic() + RETRY_SECONDS - self._delay
            if same_database:
                self._problem, self._offline, self._recovering = message, True, True
            if self._closing:  # a straggler at exit: no retries after the window is gone
                self._stopping = True
            keep = self._journal is not None and same_database and self._kept < self._queued
            snapshot, generation = (self._unsaved_locked(), self._queued) if keep else (None, 0)
            self._lock.notify_all()
        if snapshot is not None:
            self._keep(snapshot, generation, batch.epoch)
        with self._lock:
            kept = self._journal is not None and self._kept >= self._queued
        if self._on_error:
            self._on_error(f"Not saved yet ({message}); retrying…"
                           + (" Kept on this computer meanwhile: nothing is lost." if kept else ""))

    def _done(self, batch: _Batch, written: Queue, problems: list[str]) -> None:
        with self._lock:
            self._in_flight = None
            same_database = batch.epoch == self._epoch
            if same_database:
                self._offline = False
                if self._recovering:
                    self._recovered = self._recovered.under(written)
            # the journal now holds only what is still queued (nothing, usually: then it goes)
            rewrite = same_database and self._on_disk
            snapshot, generation = (self._unsaved_locked(), self._queued) if rewrite else (None, 0)
        if snapshot is not None:
            self._keep(snapshot, generation, batch.epoch)
        with self._lock:
            self._saved = max(self._saved, batch.generation)
            recovered = None
            if self._recovering and not len(self._queue) and self._saved >= self._queued:
                recovered, self._recovered, self._recovering = self._recovered, Queue(), False
            self._lock.notify_all()
        for problem in problems:
            if self._on_error:
                self._on_error(problem)
        if self._on_saved and len(written):
            self._on_saved(len(written))
        if recovered is not None and (recovered.answers or recovered.notes) and self._on_recovered:
            where = "the team database" if batch.engine.dialect.name == "postgresql" else "the database"
            verb = "was" if len(recovered.answers) + len(recovered.notes) == 1 else "were"
            self._on_recovered(f"{recovered.describe()} typed while {where} was unreachable {verb} saved")

    def _write(self, queue: Queue, engine=None) -> tuple[Queue, list[str]]:
        """One transaction; an item that cannot be stored (bad value, interview gone) is
        reported and skipped inside its own savepoint. A database that cannot be written
        at all (locked, disk full, unreachable) raises, and the whole batch is retried.
        Returns what was written and the problems."""
        engine = engine or self._engine
        problems: list[str] = []
        sqlite = engine.dialect.name == "sqlite"
        with engine.connect() as connection:
            if sqlite:
                connection.exec_driver_sql(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
                connection.commit()
            try:
                with Session(bind=connection, expire_on_commit=False) as session:
                    written = self._write_items(session, queue, problems)
            finally:
                if sqlite:  # a pooled connection goes back as it came
                    connection.rollback()
                    connection.exec_driver_sql(f"PRAGMA busy_timeout={DEFAULT_BUSY_TIMEOUT_MS}")
                    connection.commit()
        return written, problems

    @staticmethod
    def _write_items(session: Session, queue: Queue, problems: list[str]) -> Queue:
        written = Queue()

        def attempt(operation) -> bool:
            try:
                with session.begin_nested():
                    operation()
            except store.StoreError as error:
                problems.append(f"Not saved: {error}")
            except IntegrityError as error:
                problems.append(f"Not saved: the interview was removed meanwhile ({_first_line(error)})")
            else:
                return True
            return False

        for (interview_id, key), (value, question) in queue.answers.items():
            if attempt(lambda: store.save_answer(session=session, interview_id=interview_id, key=key,
                                                 value=value, question=question, commit=False)):
                written.answers[(interview_id, key)] = (value, question)
        for interview_id, position in queue.positions.items():
            if attempt(lambda: save_position(session=session, interview_id=interview_id,
                                             current_key=position.current_key,
                                             elapsed_seconds=position.elapsed_seconds, commit=False)):
                written.positions[interview_id] = position
        for note in queue.notes:
            if attempt(lambda: _add_note_once(session, note)):
                written.notes.append(note)
        session.commit()
        return written


def _add_note_once(session: Session, note: QueuedNote) -> None:
    """Add the note unless it is already there: a retry after a commit whose answer was lost,
    or a journal replayed after a crash that came just after the write."""
    there = session.exec(select(Note.id).where(Note.interview_id == note.interview_id, Note.kind == note.kind,
                                               Note.text == note.text, Note.created_at == note.typed_at)).first()
    if there is None:
        record = store.add_note(session=session, interview_id=note.interview_id, kind=note.kind, text=note.text,
                                question=note.question, commit=False)
        record.created_at = note.typed_at
