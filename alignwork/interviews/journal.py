"""What the autosave writer could not write to the database yet, kept on this computer.

One small JSON file per database in the data folder (``unsaved-<hash>.json``; the hash is of
the database's URL without its password). It holds the writer's whole coalesced queue — one
entry per answer, one position per interview, the notes — so it stays a few kilobytes even
after a day offline, and every version of it is written whole through alignwork.atomic
(private 0600 temp file, fsync, rename): a kill mid-write leaves the previous version, never
half a file, and there is no torn tail to repair or log to compact. It exists only while
something is unsaved; the writer removes it once everything in it is in the database.

Replaying is safe twice over: answers and positions are upserts, and a note carries the time
it was typed, so a note already in the database (written just before a crash, before the file
was updated) is recognised and not added again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL, Engine

from alignwork.interviews.guide import Question
from alignwork.words import counted

FORMAT = 1
PREFIX = "unsaved-"


class JournalError(ValueError):
    """The file cannot be read back (its message says why, in one line)."""


@dataclass
class Position:
    current_key: str | None
    elapsed_seconds: int


@dataclass
class QueuedNote:
    interview_id: int
    kind: str
    text: str
    question: str | None
    typed_at: datetime  # also the note's created_at: how a replay knows it is already there


@dataclass
class Queue:
    """The writer's pending changes: answers by (interview id, key), positions by interview id."""

    answers: dict[tuple[int, str], tuple[Any, Question | None]] = field(default_factory=dict)
    positions: dict[int, Position] = field(default_factory=dict)
    notes: list[QueuedNote] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.answers) + len(self.positions) + len(self.notes)

    def under(self, newer: "Queue") -> "Queue":
        """This queue with ``newer``'s changes on top (a later edit of the same answer wins)."""
        return Queue({**self.answers, **newer.answers}, {**self.positions, **newer.positions},
                     self.notes + newer.notes)

    def describe(self) -> str:
        """ "3 answers and 1 note" (the place in an interview only when nothing else is there)."""
        parts = [counted(number, noun) for number, noun in ((len(self.answers), "answer"), (len(self.notes), "note"))
                 if number]
        if not parts:
            return f"the place in {counted(len(self.positions), 'interview')}"
        return " and ".join(parts)


def database_identity(engine: Engine) -> str:
    """The database as a URL without password or options: the same database, the same file."""
    url = engine.url
    if url.get_backend_name() == "sqlite":
        from alignwork.db import sqlite_path

        path = sqlite_path(url.render_as_string(hide_password=False))
        return f"sqlite:///{path}" if path else "sqlite://"
    return URL.create(url.get_backend_name(), username=url.username, host=url.host, port=url.port,
                      database=url.database).render_as_string()


def path_for(engine: Engine, folder: Path) -> Path:
    digest = hashlib.sha256(database_identity(engine).encode()).hexdigest()[:16]
    return Path(folder) / f"{PREFIX}{digest}.json"


def kept_for(engine: Engine, folder: Path) -> bool:
    """Whether changes for ``engine``'s database wait in ``folder`` (a cheap look at start-up)."""
    return os.path.lexists(path_for(engine, folder))


def _question(data: dict | None) -> Question | None:
    if not data:
        return None
    names = {f.name for f in dataclasses.fields(Question)}
    values = {key: value for key, value in data.items() if key in names}
    values["options"] = tuple(values.get("options") or ())
    try:
        return Question(**values)
    except TypeError:  # written by another version of the app: store the value unchecked
        return None


def encode(queue: Queue, database: str) -> str:
    return json.dumps({
        "format": FORMAT, "database": database,
        "answers": [{"interview_id": interview_id, "key": key, "value": value,
                     "question": dataclasses.asdict(question) if question is not None else None}
                    for (interview_id, key), (value, question) in queue.answers.items()],
        "positions": [{"interview_id": interview_id, **dataclasses.asdict(position)}
                      for interview_id, position in queue.positions.items()],
        "notes": [{**dataclasses.asdict(note), "typed_at": note.typed_at.isoformat()} for note in queue.notes],
    }, ensure_ascii=False, indent=1) + "\n"


def decode(text: str) -> Queue:
    try:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise JournalError("it was written by another version of Alignwork")
        return Queue(
            {(int(a["interview_id"]), str(a["key"])): (a["value"], _question(a.get("question")))
             for a in data.get("answers", [])},
            {int(p["interview_id"]): Position(p["current_key"], int(p["elapsed_seconds"]))
             for p in data.get("positions", [])},
            [QueuedNote(int(n["interview_id"]), str(n["kind"]), str(n["text"]), n["question"],
                        datetime.fromisoformat(n["typed_at"])) for n in data.get("notes", [])])
    except JournalError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise JournalError(f"it is not a valid list of unsaved changes ({error})") from None


def write(path: Path, queue: Queue, database: str) -> None:
    """Keep ``queue`` in ``path`` (replacing what was there), or remove the file when it is empty."""
    from alignwork.atomic import make_private_folders, write_atomic

    if not len(queue):
        remove(path)
        return
    make_private_folders(path.parent)
    write_atomic(path, encode(queue, database))


def read(path: Path) -> Queue | None:
    """What ``path`` keeps, or None when there is no such file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise JournalError(f"it cannot be read ({getattr(error, 'strerror', None) or error})") from None
    return decode(text)


def set_aside(path: Path) -> Path:
    """Move an unreadable file out of the way (kept for a person to look at, never replayed)."""
    target = path.with_name(f"{path.name}.unreadable")
    os.replace(path, target)
    return target


def remove(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass
