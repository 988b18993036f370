"""back-test runs keep the raw CRM values each category condition matched (owned by the backtest
room), so the rules exports can carry them for the version last back-tested

Revision ID: 0009
Revises: 0008

Runs recorded before have none ('{}'); the exports say so.
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel  # noqa: F401

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("backtestrun", schema=None) as batch_op:
        batch_op.add_column(sa.Column("crm_values", sa.JSON(), nullable=False, server_default=sa.text("'{}'")))


def downgrade() -> None:
    with op.batch_alter_table("backtestrun", schema=None) as batch_op:
        batch_op.drop_column("crm_values")
