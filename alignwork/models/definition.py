"""Lead definition versions (body = alignwork.definition.Definition as JSON)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

from alignwork.models.base import utcnow

__all__ = ["DefinitionVersion"]


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
