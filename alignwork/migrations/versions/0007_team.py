"""team mode: who changed what, row versions for optimistic concurrency, change notifications

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02

On PostgreSQL every table that other instances show gets a trigger that sends
``NOTIFY alignwork_changes, '<table>:<workshop id>:<application name>'`` (alignwork.team_feed
listens; the application name tells an instance its own writes).
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

VERSIONED = ("definitionversion", "guidequestion", "risk", "signer")
STAMPED = ("interview", "answer", "note")
NOTIFIED = ("workshop", "participant", "guidequestion", "interview", "answer", "note", "synthesiscorrection",
            "definitionversion", "signer", "versionevent", "premortemsession", "premortemmember", "risk",
            "riskvote", "riskchecklist", "backtestrun", "columnmapping")

NOTIFY_FUNCTION = """
CREATE OR REPLACE FUNCTION alignwork_notify() RETURNS trigger AS $$
DECLARE
    row_data jsonb := to_jsonb(COALESCE(NEW, OLD));
    workshop text := CASE WHEN TG_TABLE_NAME = 'workshop' THEN row_data->>'id' ELSE row_data->>'workshop_id' END;
BEGIN
    PERFORM pg_notify('alignwork_changes', TG_TABLE_NAME || ':' || COALESCE(workshop, '')
                      || ':' || COALESCE(current_setting('application_name', true), ''));
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
"""


def upgrade() -> None:
    for name in VERSIONED:
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))
            batch_op.add_column(sa.Column('changed_by', sa.String(), nullable=False, server_default=''))
            batch_op.add_column(sa.Column('changed_at', sa.DateTime(), nullable=True))
    for name in STAMPED:
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.add_column(sa.Column('changed_by', sa.String(), nullable=False, server_default=''))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(NOTIFY_FUNCTION)
        for name in NOTIFIED:
            op.execute(f'CREATE TRIGGER alignwork_notify AFTER INSERT OR UPDATE OR DELETE ON "{name}" '
                       f'FOR EACH ROW EXECUTE FUNCTION alignwork_notify()')


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in NOTIFIED:
            op.execute(f'DROP TRIGGER IF EXISTS alignwork_notify ON "{name}"')
        op.execute("DROP FUNCTION IF EXISTS alignwork_notify()")
    for name in STAMPED:
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.drop_column('changed_by')
    for name in VERSIONED:
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.drop_column('changed_at')
            batch_op.drop_column('changed_by')
            batch_op.drop_column('version')
