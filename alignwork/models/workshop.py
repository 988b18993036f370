"""Workshops: the table start-up needs for the workshop list (the roster, guide and interviews
are in ``interviews.py``, built on first use)."""

# No ``from __future__ import annotations`` here: string annotations make pydantic compile and
# evaluate each one when the tables are built at start-up (~1 ms here).
from datetime import datetime

from pydantic import field_validator
from sqlmodel import Field, SQLModel

from alignwork.models.base import utcnow

__all__ = ["WorkshopBase", "Workshop", "WorkshopCreate", "WorkshopUpdate"]


def stripped_name(value: str) -> str:
    """A required name (of a workshop or a rep): trimmed, 1–200 characters."""
    value = (value or "").strip()
    if not value:
        raise ValueError("a name is required")
    if len(value) > 200:
        raise ValueError("a name is at most 200 characters")
    return value


class WorkshopBase(SQLModel):
    name: str = Field(index=True, unique=True)
    goal: str = ""
    company: str = ""
    facilitator: str = ""
    target_minutes: int = 20


class Workshop(WorkshopBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    archived: bool = False
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class WorkshopCreate(WorkshopBase):
    """Validated input for a new workshop (table models skip validation)."""

    _check_name = field_validator("name")(classmethod(lambda cls, v: stripped_name(v)))

    @field_validator("target_minutes")
    @classmethod
    def _minutes(cls, value: int) -> int:
        if not 1 <= value <= 240:
            raise ValueError("the target interview length is 1 to 240 minutes")
        return value


class WorkshopUpdate(SQLModel):
    name: str | None = None
    goal: str | None = None
    company: str | None = None
    facilitator: str | None = None
    target_minutes: int | None = None
    archived: bool | None = None

    @field_validator("name")
    @classmethod
    def _name(cls, value: str | None) -> str | None:
        return None if value is None else stripped_name(value)

    @field_validator("target_minutes")
    @classmethod
    def _minutes(cls, value: int | None) -> int | None:
        if value is not None and not 1 <= value <= 240:
            raise ValueError("the target interview length is 1 to 240 minutes")
        return value
