"""The roster, the workshop's own guide and the interviews: reps, guide questions, interviews,
answers and notes. Built on first use (see ``alignwork/models/__init__.py``), not at start-up."""

# No ``from __future__ import annotations``: see workshop.py.
from datetime import date, datetime
from typing import Any, Literal

from pydantic import field_validator
from sqlalchemy import JSON, UniqueConstraint
from sqlmodel import Field, SQLModel

from alignwork.models.base import utcnow
from alignwork.models.workshop import stripped_name

Profile = Literal["rock_star", "engaged", "other"]
InterviewStatus = Literal["planned", "in_progress", "done"]
NoteKind = Literal["quote", "surprise", "pain", "idea"]

__all__ = [
    "ParticipantBase", "Participant", "ParticipantCreate", "ParticipantUpdate",
    "GuideQuestion", "Interview", "Answer", "Note",
    "Profile", "InterviewStatus", "NoteKind",
]


class ParticipantBase(SQLModel):
    name: str
    role: str = ""
    team: str = ""
    region: str = ""
    profile: str = "other"
    notes: str = ""


class Participant(ParticipantBase, table=True):
    __table_args__ = (UniqueConstraint("workshop_id", "ref"),)
    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", ondelete="CASCADE", index=True)
    ref: str  # stable reference inside the workshop ("p1"), used by bundles
    position: int = 0


class ParticipantCreate(ParticipantBase):
    _check_name = field_validator("name")(classmethod(lambda cls, v: stripped_name(v)))

    @field_validator("profile")
    @classmethod
    def _profile(cls, value: str) -> str:
        value = (value or "other").strip().lower().replace(" ", "_").replace("-", "_")
        if value not in ("rock_star", "engaged", "other"):
            raise ValueError("profile must be rock_star, engaged or other")
        return value


class ParticipantUpdate(SQLModel):
    name: str | None = None
    role: str | None = None
    team: str | None = None
    region: str | None = None
    profile: str | None = None
    notes: str | None = None

    @field_validator("name")
    @classmethod
    def _name(cls, value: str | None) -> str | None:
        return None if value is None else stripped_name(value)

    @field_validator("profile")
    @classmethod
    def _profile(cls, value: str | None) -> str | None:
        return None if value is None else ParticipantCreate._profile(value)


class GuideQuestion(SQLModel, table=True):
    """A workshop's own copy of a guide question. No rows = the default guide."""

    __table_args__ = (UniqueConstraint("workshop_id", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", ondelete="CASCADE", index=True)
    key: str
    position: int = 0
    section: str
    prompt: str
    hint: str = ""
    kind: str
    options: list[str] = Field(default_factory=list, sa_type=JSON)
    unit: str = ""
    minimum: float | None = None
    maximum: float | None = None
    hidden: bool = False
    # team mode: who changed the row last and when; ``version`` is the guide's, one up per save (alignwork.team)
    version: int = 1
    changed_by: str = ""
    changed_at: datetime | None = None


class Interview(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", ondelete="CASCADE", index=True)
    participant_id: int = Field(foreign_key="participant.id", ondelete="CASCADE", index=True)
    held_on: date | None = None
    status: str = "planned"
    duration_seconds: int | None = None
    # resume state: where the facilitator was and how long the clock has run
    current_key: str | None = None
    elapsed_seconds: int = 0
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    changed_by: str = ""  # the facilitator who last wrote it (alignwork.team)


class Answer(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("interview_id", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    interview_id: int = Field(foreign_key="interview.id", ondelete="CASCADE", index=True)
    key: str
    value: Any = Field(default=None, sa_type=JSON)
    updated_at: datetime = Field(default_factory=utcnow)
    changed_by: str = ""


class Note(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    interview_id: int = Field(foreign_key="interview.id", ondelete="CASCADE", index=True)
    kind: str = "quote"
    question: str | None = None
    text: str
    position: int = 0
    created_at: datetime = Field(default_factory=utcnow)
    changed_by: str = ""
