"""Migration 0006: stored rules (attribute/operator/value) become conditions, and back."""

from __future__ import annotations

import json

from alembic import command
from sqlmodel import select

from alignwork import db
from alignwork.db import open_database


def test_migration_0006_turns_stored_rules_into_conditions(tmp_path):
    """A definition stored before conditions (attribute/operator/value) reads, and is rewritten, as conditions."""
    from alignwork.definition import versions
    from alignwork.models import DefinitionVersion

    url = f"sqlite:///{tmp_path / 'alignwork.db'}"
    old = open_database(url, migrate_schema=False)
    with old.engine.begin() as connection:
        command.upgrade(db._alembic_config(connection), "0005")
    body = {"criteria": [
        {"id": "big", "section": "ideal_company", "label": "Big", "attribute": "revenue_usd", "operator": "gte",
         "value": 10_000_000, "points": 10},
        {"id": "student", "section": "disqualifiers", "label": "Student", "attribute": "email_type",
         "operator": "in", "value": ["student"], "knockout": True},
        {"id": "note", "section": "persona", "label": "Likes us", "attribute": None, "operator": None, "value": None}]}
    with old.engine.begin() as connection:  # rows as a 0005 file holds them (today's models have more columns)
        connection.exec_driver_sql(
            "INSERT INTO workshop (id, name, goal, company, facilitator, target_minutes, archived, created_at, "
            "updated_at) VALUES (1, 'Old', '', '', '', 20, 0, '2026-11-01 10:00:00', '2026-11-01 10:00:00')")
        connection.exec_driver_sql(
            "INSERT INTO definitionversion (workshop_id, number, status, body, note, created_at, updated_at) "
            "VALUES (1, 1, 'saved', ?, '', '2026-11-01 10:00:00', '2026-11-01 10:00:00')", (json.dumps(body),))
    old.dispose()
    upgraded = open_database(url)
    with upgraded.session() as session:
        row = session.exec(select(DefinitionVersion)).one()
        stored = row.body["criteria"]
        assert stored[0]["conditions"] == [{"field": "revenue_usd", "operator": "between",
                                            "value": {"min": 10_000_000, "max": None}}]
        assert "attribute" not in stored[0] and stored[2].get("conditions", []) == []
        definition = versions.load_definition(row)
        assert [c.scored for c in definition.criteria] == [True, True, False]
    with upgraded.engine.begin() as connection:
        command.downgrade(db._alembic_config(connection), "0005")
    with upgraded.engine.connect() as connection:  # read as a 0005 file: no version column yet
        criteria = json.loads(connection.exec_driver_sql("SELECT body FROM definitionversion").scalar_one())["criteria"]
        assert (criteria[0]["attribute"], criteria[0]["operator"], criteria[0]["value"]) == \
            ("revenue_usd", "gte", 10_000_000)
        assert (criteria[1]["operator"], criteria[1]["value"]) == ("in", ["student"])
    upgraded.dispose()
