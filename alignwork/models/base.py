"""Shared table plumbing: the constraint naming convention Alembic needs for batch mode."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlmodel import SQLModel

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata.naming_convention = NAMING_CONVENTION
# Pydantic builds a model's validator on first use instead of at class creation: table models
# are never validated (SQLModel skips it) and the input models only when the user edits,
# so the start-up does not pay for it (~7 ms for the workshop room).
SQLModel.model_config["defer_build"] = True
metadata = SQLModel.metadata


def utcnow() -> datetime:
    return datetime.now(timezone.utc)
