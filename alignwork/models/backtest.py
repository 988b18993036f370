"""Tables of the backtest room: the record of each back-test run, and the column
mapping remembered per workshop and file shape (header signature)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, UniqueConstraint
from sqlmodel import Field, SQLModel

import alignwork.models.definition  # noqa: F401  (a run refers to a definition version)
from alignwork.models.base import utcnow

__all__ = ["BacktestRun", "ColumnMapping"]


class BacktestRun(SQLModel, table=True):
    """One back-test: which definition version scored which file, and what came out.

    ``definition_version_id`` is the DefinitionVersion row used (None if it was
    deleted since); ``version_number`` keeps its number (None = the draft) so
    the history still reads right.
    """

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", ondelete="CASCADE", index=True)
    definition_version_id: int | None = Field(default=None, foreign_key="definitionversion.id",
                                              ondelete="SET NULL")
    version_number: int | None = None
    file_name: str = ""
    rows: int = 0
    scored: int = 0
    bad_lines: int = 0
    stages: dict[str, int] = Field(default_factory=dict, sa_type=JSON)
    thresholds: dict[str, int] = Field(default_factory=dict, sa_type=JSON)
    pass_rate: float = 0.0
    # {"passing": x, "failing": y, "overall": z, "lift": l} or {} without an outcome column
    conversion: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    # the raw CRM values each category condition matched, bounded (see history.crm_values_record):
    # {criterion id: [{"field", "operator", "value", "values": [{"value", "leads"}], "more_values",
    # "more_leads"}]}; {} for a run recorded before migration 0009
    crm_values: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    created_at: datetime = Field(default_factory=utcnow)


class ColumnMapping(SQLModel, table=True):
    """How a workshop's lead files of one shape map to definition attributes.

    ``signature`` identifies the header set (see ``alignwork.backtest.mapping.header_signature``);
    ``columns`` maps a file column to an attribute key; ``outcome_column`` names
    the column holding won/lost (or None).
    """

    __table_args__ = (UniqueConstraint("workshop_id", "signature"),)
    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", ondelete="CASCADE", index=True)
    signature: str
    columns: dict[str, str] = Field(default_factory=dict, sa_type=JSON)
    outcome_column: str | None = None
    updated_at: datetime = Field(default_factory=utcnow)
