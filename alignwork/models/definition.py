"""Lead definition versions (body = alignwork.definition.criteria.Definition as JSON)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

from alignwork.models.base import utcnow

__all__ = ["DefinitionVersion", "SynthesisCorrection"]


class DefinitionVersion(SQLModel, table=True):
    """One version of a workshop's lead definition.

    ``number`` is None for the working draft; saving assigns 1, 2, … and the
    saved body is never changed again. ``status``: draft, proposed, agreed,
    superseded (the agreement step moves it along).
    """

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", ondelete="CASCADE", index=True)
    number: int | None = None
    status: str = "draft"
    body: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    note: str = ""
    based_on_id: int | None = Field(default=None, foreign_key="definitionversion.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    # team mode: who changed the row last and when; ``version`` goes up on every change (alignwork.team)
    version: int = 1
    changed_by: str = ""
    changed_at: datetime | None = None


class SynthesisCorrection(SQLModel, table=True):
    """A facilitator's correction to synthesis groups (merge, split, rename, move an answer).

    Replayed in ``position`` order on every synthesis (see alignwork.synthesis.groups.Correction);
    one that no longer fits the answers is skipped, never deleted.
    """

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", ondelete="CASCADE", index=True)
    position: int = 0
    key: str  # guide question key ("rejection_triggers"), or "titles_seniority"
    op: str  # merge | split | rename | move
    labels: list[str] = Field(default_factory=list, sa_type=JSON)  # groups acted on
    members: list[str] = Field(default_factory=list, sa_type=JSON)  # raw answers (split, move)
    target: str = ""  # resulting group label
    created_at: datetime = Field(default_factory=utcnow)
