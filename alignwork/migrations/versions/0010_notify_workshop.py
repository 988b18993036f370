"""change notifications name the workshop of answers, notes, signers and votes too

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-09

0007's trigger read ``workshop_id`` from the changed row, which answers, notes, signers,
version events, premortem members and risk votes do not have: their notifications went out
without a workshop, so every instance reloaded every page for an answer typed in any
workshop. The function now looks the workshop up through the row's parent (a row whose
parent is already gone, in a cascade, still goes out without one: every view reloads, the
safe side). Review periods get the trigger as well. PostgreSQL only; nothing on SQLite.
"""
import importlib.util
from pathlib import Path

from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

NOTIFY_FUNCTION = """
CREATE OR REPLACE FUNCTION alignwork_notify() RETURNS trigger AS $$
DECLARE
    row_data jsonb := to_jsonb(COALESCE(NEW, OLD));
    workshop text;
BEGIN
    IF TG_TABLE_NAME = 'workshop' THEN
        workshop := row_data->>'id';
    ELSIF TG_TABLE_NAME IN ('answer', 'note') THEN
        SELECT workshop_id::text INTO workshop FROM interview WHERE id = (row_data->>'interview_id')::integer;
    ELSIF TG_TABLE_NAME IN ('signer', 'versionevent') THEN
        SELECT workshop_id::text INTO workshop FROM definitionversion WHERE id = (row_data->>'version_id')::integer;
    ELSIF TG_TABLE_NAME = 'premortemmember' THEN
        SELECT workshop_id::text INTO workshop FROM premortemsession WHERE id = (row_data->>'session_id')::integer;
    ELSIF TG_TABLE_NAME = 'riskvote' THEN
        SELECT workshop_id::text INTO workshop FROM risk WHERE id = (row_data->>'risk_id')::integer;
    ELSE
        workshop := row_data->>'workshop_id';
    END IF;
    PERFORM pg_notify('alignwork_changes', TG_TABLE_NAME || ':' || COALESCE(workshop, '')
                      || ':' || COALESCE(current_setting('application_name', true), ''));
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(NOTIFY_FUNCTION)
        op.execute('CREATE TRIGGER alignwork_notify AFTER INSERT OR UPDATE OR DELETE ON "reviewperiod" '
                   'FOR EACH ROW EXECUTE FUNCTION alignwork_notify()')


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute('DROP TRIGGER IF EXISTS alignwork_notify ON "reviewperiod"')
        # 0007's function, as it was (read from that migration, not copied)
        spec = importlib.util.spec_from_file_location("alignwork_migration_0007", Path(__file__).with_name("0007_team.py"))
        team = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(team)
        op.execute(team.NOTIFY_FUNCTION)
