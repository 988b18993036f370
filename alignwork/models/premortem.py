"""Tables of the premortem room: the risk checklist of a workshop and its sessions.

A workshop has one checklist (``Risk`` rows, seeded from the library and the
synthesis, extended by participants) and any number of facilitated sessions;
the latest session is "the" session shown and resumed.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import field_validator
from sqlalchemy import JSON, UniqueConstraint
from sqlmodel import Field, SQLModel

import alignwork.models.interviews  # noqa: F401  (a member may be a rep of the roster)
from alignwork.models.base import utcnow

__all__ = [
    "PremortemSession", "PremortemMember", "Risk", "RiskVote", "RiskChecklist", "RiskUpdate",
    "RISK_SOURCES", "RISK_CLASSES", "RISK_STATUSES",
]

RISK_SOURCES = ("library", "synthesis", "participant")
RISK_CLASSES = ("tiger", "paper_tiger", "elephant")
RISK_STATUSES = ("open", "mitigating", "closed")


class PremortemSession(SQLModel, table=True):
    """One facilitated premortem. ``phase`` 1–7 while running, 8 once finished."""

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", ondelete="CASCADE", index=True)
    initiative: str
    horizon: str = "six months from now"
    phase: int = 1
    status: str = "running"  # running | paused | finished
    remaining_seconds: int = 0
    phase_minutes: dict[str, int] = Field(default_factory=dict, sa_type=JSON)  # phase number → minutes
    anonymous: bool = False
    dots_per_member: int = 3
    max_dots_per_risk: int = 1
    turn: int = 0  # round robin: index of the member whose turn it is
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = None


class PremortemMember(SQLModel, table=True):
    """Someone present at a session: from the roster (``participant_id``) or typed in."""

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="premortemsession.id", ondelete="CASCADE", index=True)
    participant_id: int | None = Field(default=None, foreign_key="participant.id", ondelete="SET NULL")
    name: str
    team: str = "Sales"  # Sales | Marketing | other free text
    position: int = 0


class Risk(SQLModel, table=True):
    """One item of the checklist. ``merged_into_id`` set = folded into another item (hidden)."""

    __table_args__ = (UniqueConstraint("workshop_id", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", ondelete="CASCADE", index=True)
    session_id: int | None = Field(default=None, foreign_key="premortemsession.id", ondelete="SET NULL")
    # stable seed key ("library:no-feedback", "synthesis:conflict:…"); None for participants' items
    key: str | None = None
    title: str
    description: str = ""
    category: str = ""
    source: str = "participant"  # library | synthesis | participant
    likelihood: int | None = None  # 1–5
    impact: int | None = None  # 1–5
    score: int | None = None  # likelihood × impact, kept in step by the core
    klass: str | None = None  # tiger | paper_tiger | elephant
    votes: int = 0  # total dots, kept in step with RiskVote rows
    owner: str = ""
    mitigation: str = ""
    suggestion: str = ""  # the library's suggested mitigation
    due_date: date | None = None
    status: str = "open"  # open | mitigating | closed
    review_notes: str = ""
    evidence: list[str] = Field(default_factory=list, sa_type=JSON)  # what raised it (synthesis)
    author: str = ""  # participant who wrote it, empty when anonymous
    merged_titles: list[str] = Field(default_factory=list, sa_type=JSON)
    merged_into_id: int | None = Field(default=None, foreign_key="risk.id", ondelete="SET NULL")
    position: int = 0
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    # team mode: who changed the row last and when; ``version`` goes up on every change (alignwork.team)
    version: int = 1
    changed_by: str = ""
    changed_at: datetime | None = None


class RiskVote(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("risk_id", "member_id"),)
    id: int | None = Field(default=None, primary_key=True)
    risk_id: int = Field(foreign_key="risk.id", ondelete="CASCADE", index=True)
    member_id: int = Field(foreign_key="premortemmember.id", ondelete="CASCADE", index=True)
    dots: int = 1


class RiskChecklist(SQLModel, table=True):
    """Per-workshop checklist settings that outlive sessions."""

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", ondelete="CASCADE", unique=True)
    review_date: date | None = None
    seeded_at: datetime | None = None


def _score_value(value: int | None) -> int | None:
    if value is not None and not 1 <= int(value) <= 5:
        raise ValueError("must be 1 to 5")
    return None if value is None else int(value)


class RiskUpdate(SQLModel):
    """Validated changes to a checklist item (table models skip validation)."""

    title: str | None = None
    description: str | None = None
    category: str | None = None
    likelihood: int | None = None
    impact: int | None = None
    klass: str | None = None
    owner: str | None = None
    mitigation: str | None = None
    due_date: date | None = None
    status: str | None = None
    review_notes: str | None = None

    _check_likelihood = field_validator("likelihood")(classmethod(lambda cls, v: _score_value(v)))
    _check_impact = field_validator("impact")(classmethod(lambda cls, v: _score_value(v)))

    @field_validator("title")
    @classmethod
    def _title(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("a risk needs a title")
        return None if value is None else value.strip()[:300]

    @field_validator("klass")
    @classmethod
    def _klass(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        value = value.strip().lower().replace(" ", "_").replace("-", "_")
        if value not in RISK_CLASSES:
            raise ValueError("class must be tiger, paper tiger or elephant")
        return value

    @field_validator("status")
    @classmethod
    def _status(cls, value: str | None) -> str | None:
        if value is not None and value not in RISK_STATUSES:
            raise ValueError("status must be open, mitigating or closed")
        return value
