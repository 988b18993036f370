"""What other instances changed, as Changes for the change bus (team mode).

On PostgreSQL a thread LISTENs on ``alignwork_changes`` (the triggers of migrations 0007 and 0010 send
``table:workshop id:application name``); our own engine's writes are recognised by its
application name and skipped, since the page that wrote already shows them. Where LISTEN is
not possible (SQLite file shared by several processes, a pooler without LISTEN, a dropped
connection) the thread polls a cheap fingerprint of every table once a second instead, and
goes back to listening when it can.

``on_changes(changes)`` is called from the feed's thread; a GUI hops to its own thread.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from sqlalchemy import text
from sqlalchemy.engine import Engine

from alignwork.changes import Changes

CHANNEL = "alignwork_changes"
BATCH_SECONDS = 0.25  # notifications this close together become one Changes
POLL_SECONDS = 1.0
RETRY_LISTEN_SECONDS = 5.0

TABLE_FLAGS = {
    "workshop": "workshops", "participant": "roster", "guidequestion": "guide",
    "interview": "interviews", "answer": "interviews", "note": "interviews",
    "synthesiscorrection": "synthesis",
    "definitionversion": "definition", "signer": "definition", "versionevent": "definition",
    "premortemsession": "premortem", "premortemmember": "premortem", "risk": "premortem",
    "riskvote": "premortem", "riskchecklist": "premortem",
    "backtestrun": "backtest", "columnmapping": "backtest", "reviewperiod": "review",
}
# tables without a workshop_id of their own reach their workshop through a parent row (as the
# trigger of migration 0010 does)
PARENTS = {"answer": ("interview", "interview_id"), "note": ("interview", "interview_id"),
           "signer": ("definitionversion", "version_id"), "versionevent": ("definitionversion", "version_id"),
           "premortemmember": ("premortemsession", "session_id"), "riskvote": ("risk", "risk_id")}
# the column that moves when a row is edited in place (not every table has one)
STAMPS = {"workshop": "updated_at", "definitionversion": "updated_at", "risk": "updated_at", "interview": "updated_at",
          "answer": "updated_at", "signer": "version", "premortemsession": "updated_at",
          "guidequestion": "version", "reviewperiod": "updated_at"}


def changes_for(tables_and_workshops: list[tuple[str, int | None]]) -> Changes | None:
    """One Changes for a batch of (table, workshop id); the workshop only if they all agree."""
    flags = {TABLE_FLAGS[table]: True for table, _ in tables_and_workshops if table in TABLE_FLAGS}
    if not flags:
        return None
    workshops = {workshop for _, workshop in tables_and_workshops}
    return Changes(**flags, workshop_id=workshops.pop() if len(workshops) == 1 else None)


def parse_payload(payload: str) -> tuple[str, int | None, str]:
    table, _, rest = payload.partition(":")
    workshop, _, sender = rest.partition(":")
    return table, int(workshop) if workshop.isdigit() else None, sender


def _fingerprint_query(table: str) -> str:
    stamp = f', max(t."{STAMPS[table]}")' if table in STAMPS else ""
    if table == "workshop":
        return f'SELECT NULL, count(*), max(t.id){stamp} FROM "workshop" t'
    if table in PARENTS:
        parent, column = PARENTS[table]
        return (f'SELECT p.workshop_id, count(*), max(t.id){stamp} FROM "{table}" t '
                f'JOIN "{parent}" p ON p.id = t."{column}" GROUP BY p.workshop_id')
    return f'SELECT t.workshop_id, count(*), max(t.id){stamp} FROM "{table}" t GROUP BY t.workshop_id'


def fingerprint(connection) -> dict[tuple[str, int | None], tuple]:
    """Row count, highest id (and newest change where there is one) of every table the app shows,
    per workshop: any insert, delete or stamped update moves it, and says in which workshop."""
    result = {}
    for table in TABLE_FLAGS:
        for workshop, *values in connection.execute(text(_fingerprint_query(table))):
            result[(table, workshop)] = tuple(values)
    return result


class ChangeFeed:
    """Start with ``ChangeFeed(engine, on_changes)``; ``stop()`` ends the thread."""

    def __init__(self, engine: Engine, on_changes: Callable[[Changes], None], *, poll_only: bool = False,
                 poll_seconds: float = POLL_SECONDS):
        self._engine = engine
        self._on_changes = on_changes
        self._own = getattr(engine, "alignwork_instance", None)
        self._poll_only = poll_only or engine.dialect.name != "postgresql"
        self._poll_seconds = poll_seconds
        self._stop = threading.Event()
        self.mode = "starting"  # listening | polling (tests and the status bar read it)
        self._missed = False  # the connection dropped: what changed meanwhile is unknown
        self._thread = threading.Thread(target=self._run, name="alignwork-change-feed", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 3.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    # ------------------------------------------------------------ the thread
    def _run(self) -> None:
        while not self._stop.is_set():
            if not self._poll_only:
                try:
                    self._listen()
                except Exception:  # noqa: BLE001 (server gone, LISTEN refused): poll until it is back
                    self._missed = self._missed or self.mode == "listening"
                if self._stop.is_set():
                    return
            self._poll(until=None if self._poll_only else time.monotonic() + RETRY_LISTEN_SECONDS)

    def _listen(self) -> None:
        import psycopg

        from alignwork.db import postgres_driver_url

        url = postgres_driver_url(self._engine.url.render_as_string(hide_password=False))
        conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(conninfo, autocommit=True, connect_timeout=5,
                             application_name=f"{self._own or 'alignwork'}-feed") as connection:
            connection.execute(f"LISTEN {CHANNEL}")
            self.mode = "listening"
            if self._missed:  # back after a drop: every view reads again once
                self._missed = False
                self._on_changes(Changes.everything())
            batch: list[tuple[str, int | None]] = []
            first = None
            while not self._stop.is_set():
                timeout = BATCH_SECONDS if batch else 0.5
                for notice in connection.notifies(timeout=timeout, stop_after=64):
                    table, workshop, sender = parse_payload(notice.payload)
                    if self._own and sender == self._own:
                        continue
                    batch.append((table, workshop))
                    first = first or time.monotonic()
                if batch and time.monotonic() - first >= BATCH_SECONDS:
                    self._emit(batch)
                    batch, first = [], None

    def _poll(self, until: float | None) -> None:
        self.mode = "polling"
        last = None
        while not self._stop.is_set() and (until is None or time.monotonic() < until):
            try:
                with self._engine.connect() as connection:
                    now = fingerprint(connection)
            except Exception:  # noqa: BLE001 (database away: try again next tick)
                now = None
            if now is not None and last is not None and now != last:
                self._emit([key for key in now.keys() | last.keys() if now.get(key) != last.get(key)])
            if now is not None:
                last = now
            self._stop.wait(self._poll_seconds)

    def _emit(self, batch: list[tuple[str, int | None]]) -> None:
        changes = changes_for(batch)
        if changes is not None:
            try:
                self._on_changes(changes)
            except Exception:  # noqa: BLE001 (a receiver's bug must not end the feed)
                pass
