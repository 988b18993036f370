"""rule conditions (owned by the definition room): stored criteria move from one
attribute/operator/value to a list of conditions joined by all/any

Revision ID: 0006
Revises: 0005
"""
import json

from alembic import op
import sqlalchemy as sa

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_TABLE = sa.table("definitionversion", sa.column("id", sa.Integer), sa.column("body", sa.JSON))
# the new operators back in the old words, for a downgrade (a range with one side is gte/lte again)
_OLD = {"is_any_of": "in", "is_none_of": "not_in", "is": "equals", "contains_any": "contains", "between": "between"}


def _rewrite(convert) -> None:
    connection = op.get_bind()
    for row_id, body in connection.execute(sa.select(_TABLE.c.id, _TABLE.c.body)).all():
        body = json.loads(body) if isinstance(body, str) else body
        if not isinstance(body, dict) or not isinstance(body.get("criteria"), list):
            continue
        criteria = [convert(item) for item in body["criteria"]]
        if criteria != body["criteria"]:
            connection.execute(sa.update(_TABLE).where(_TABLE.c.id == row_id).values(body={**body, "criteria": criteria}))


def upgrade() -> None:
    from alignwork.definition.criteria import upgrade_criterion

    _rewrite(upgrade_criterion)


def _downgrade_criterion(item: dict) -> dict:
    if not isinstance(item, dict) or "conditions" not in item:
        return item
    item = dict(item)
    conditions = item.pop("conditions") or []
    for key in ("match", "reason_code", "company_list", "manual_step"):
        item.pop(key, None)
    first = conditions[0] if len(conditions) == 1 and conditions[0].get("operator") in _OLD else None
    if first is None:  # several conditions or a new operator: the old shape can only describe it
        item.update(attribute=None, operator=None, value=None)
        return item
    operator, value = _OLD[first["operator"]], first.get("value")
    if operator == "between" and isinstance(value, dict) and (value.get("min") is None) != (value.get("max") is None):
        operator, value = ("gte", value["min"]) if value.get("min") is not None else ("lte", value["max"])
    item.update(attribute=first["field"], operator=operator, value=value)
    return item


def downgrade() -> None:
    _rewrite(_downgrade_criterion)
