"""What a derived result was built from, and whether that is still what there is.

Everything after the interviews (the draft definition, the premortem's seeded risks and brief,
the documents) is built from the *finished* interviews. A result keeps ``BuiltFrom`` — each
finished interview's id and its last change — and ``staleness`` compares that with the
interviews now, so every step says the same "out of date — 1 new interview" and offers the
same refresh, instead of each page guessing (or showing 7 of 11 reps after a 12th interview).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from alignwork.models import Answer, Interview
from alignwork.words import counted

DONE = "done"


def _stamp(moment: datetime | None) -> str:
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class BuiltFrom:
    """Finished interviews a result used: id → last change (ISO, UTC; "" when not known)."""

    interviews: dict[int, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, str]:
        return {str(key): value for key, value in sorted(self.interviews.items())}

    @classmethod
    def from_json(cls, data: Any) -> "BuiltFrom":
        if not isinstance(data, dict):
            return cls()
        return cls({int(key): str(value or "") for key, value in data.items() if str(key).isdigit()})

    @classmethod
    def of_ids(cls, ids) -> "BuiltFrom":
        """Only the ids are known (a result made before it kept its inputs): changes are not told."""
        return cls({int(i): "" for i in ids if i is not None})

    def __len__(self) -> int:
        return len(self.interviews)


def finished_interviews(*, session: Session, workshop_id: int, as_of: datetime | None = None) -> BuiltFrom:
    """The workshop's finished interviews now (or those already finished at ``as_of``), each
    with its last change: the interview row or its latest answer, whichever is newer."""
    rows = session.exec(select(Interview.id, Interview.updated_at)
                        .where(Interview.workshop_id == workshop_id, Interview.status == DONE)).all()
    answered = dict(session.exec(select(Answer.interview_id, func.max(Answer.updated_at))
                                 .where(Answer.interview_id.in_([row[0] for row in rows]))
                                 .group_by(Answer.interview_id)).all()) if rows else {}
    limit = _stamp(as_of) if as_of is not None else None
    stamps = {interview_id: max(_stamp(updated), _stamp(answered.get(interview_id))) for interview_id, updated in rows}
    return BuiltFrom({key: stamp for key, stamp in stamps.items() if limit is None or stamp <= limit})


@dataclass(frozen=True)
class Staleness:
    """How the interviews differ from those a result was built from."""

    new: int = 0
    changed: int = 0
    removed: int = 0

    @property
    def fresh(self) -> bool:
        return not (self.new or self.changed or self.removed)

    def message(self) -> str:
        """"" when fresh, else "Out of date — 1 new interview, 2 changed"."""
        if self.fresh:
            return ""
        parts = []
        if self.new:
            parts.append(f"{counted(self.new, 'new interview')}")
        if self.changed:
            parts.append(f"{counted(self.changed, 'interview')} changed")
        if self.removed:
            parts.append(f"{counted(self.removed, 'interview')} no longer finished")
        return "Out of date — " + ", ".join(parts)


def staleness(built: BuiltFrom, now: BuiltFrom) -> Staleness:
    """Compare what a result used with the finished interviews now."""
    before, after = built.interviews, now.interviews
    new = sum(1 for key in after if key not in before)
    removed = sum(1 for key in before if key not in after)
    changed = sum(1 for key, stamp in after.items()
                  if key in before and before[key] and stamp and stamp != before[key])
    return Staleness(new=new, changed=changed, removed=removed)
