"""Tables of the agreement room: who signed a definition version, and its status history.

The SLA and the glossary are *not* tables: they live in the version body
(``Definition.sla`` / ``Definition.glossary``) so they version, lock and compare
with the criteria they belong to. Signatures belong to one numbered version.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import field_validator
from sqlmodel import Field, SQLModel

import alignwork.models.definition  # noqa: F401  (a signer and an event belong to a definition version)
from alignwork.models.base import utcnow
from alignwork.models.workshop import stripped_name

__all__ = ["SignerBase", "Signer", "SignerCreate", "VersionEvent", "SIGNER_TEAMS"]

SIGNER_TEAMS = ("Sales", "Marketing")


class SignerBase(SQLModel):
    name: str
    role: str = ""
    team: str = "Sales"  # Sales | Marketing
    signed_on: date | None = None  # None: asked to sign, not signed yet


class Signer(SignerBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="definitionversion.id", ondelete="CASCADE", index=True)
    position: int = 0
    created_at: datetime = Field(default_factory=utcnow)
    # team mode: who changed the row last and when; ``version`` goes up on every change (alignwork.team)
    version: int = 1
    changed_by: str = ""
    changed_at: datetime | None = None


class SignerCreate(SignerBase):
    """Validated input for a signer (table models skip validation)."""

    _check_name = field_validator("name")(classmethod(lambda cls, v: stripped_name(v)))

    @field_validator("role")
    @classmethod
    def _role(cls, value: str) -> str:
        return (value or "").strip()[:200]

    @field_validator("team")
    @classmethod
    def _team(cls, value: str) -> str:
        for team in SIGNER_TEAMS:
            if (value or "").strip().lower() == team.lower():
                return team
        raise ValueError("team must be Sales or Marketing")


class VersionEvent(SQLModel, table=True):
    """A status change of a definition version (proposed, agreed, superseded…), kept as history."""

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="definitionversion.id", ondelete="CASCADE", index=True)
    status: str
    note: str = ""
    at: datetime = Field(default_factory=utcnow)
