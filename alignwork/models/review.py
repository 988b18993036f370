"""Tables of the review room: one row per reviewed period (a month's CRM export scored with an
agreed definition version), its key metrics and findings, and what the meeting aired and decided."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, UniqueConstraint
from sqlmodel import Field, SQLModel

import alignwork.models.definition  # noqa: F401  (a period refers to a definition version)
from alignwork.models.base import utcnow

__all__ = ["ReviewPeriod"]


class ReviewPeriod(SQLModel, table=True):
    """One review period ("2027-01") of a workshop.

    ``metrics`` and ``findings`` are computed from the period's file when it is added (a new
    file for the same period replaces them); ``issues`` (process issues aired, one text each)
    and ``decisions`` ({"decision", "owner", "due"}) are typed in during the meeting and kept
    when the file is replaced. ``version_number`` keeps the definition's number (None = the
    draft) even if the version row is deleted.
    """

    __table_args__ = (UniqueConstraint("workshop_id", "period"),)
    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", ondelete="CASCADE", index=True)
    period: str  # "YYYY-MM"
    definition_version_id: int | None = Field(default=None, foreign_key="definitionversion.id",
                                              ondelete="SET NULL")
    version_number: int | None = None
    file_name: str = ""
    rows: int = 0
    metrics: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    findings: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    issues: list[str] = Field(default_factory=list, sa_type=JSON)
    decisions: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
