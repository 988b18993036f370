"""backtest tables (owned by the backtest room; back-test runs and remembered column mappings)

Revision ID: 0005
Revises: 0004
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401
import sqlmodel  # noqa: F401

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('columnmapping',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('signature', sa.String(), nullable=False),
    sa.Column('columns', sa.JSON(), nullable=False),
    sa.Column('outcome_column', sa.String(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_columnmapping_workshop_id_workshop'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_columnmapping')),
    sa.UniqueConstraint('workshop_id', 'signature', name=op.f('uq_columnmapping_workshop_id'))
    )
    op.create_index(op.f('ix_columnmapping_workshop_id'), 'columnmapping', ['workshop_id'], unique=False)
    op.create_table('backtestrun',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('definition_version_id', sa.Integer(), nullable=True),
    sa.Column('version_number', sa.Integer(), nullable=True),
    sa.Column('file_name', sa.String(), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('scored', sa.Integer(), nullable=False),
    sa.Column('bad_lines', sa.Integer(), nullable=False),
    sa.Column('stages', sa.JSON(), nullable=False),
    sa.Column('thresholds', sa.JSON(), nullable=False),
    sa.Column('pass_rate', sa.Float(), nullable=False),
    sa.Column('conversion', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['definition_version_id'], ['definitionversion.id'], name=op.f('fk_backtestrun_definition_version_id_definitionversion'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_backtestrun_workshop_id_workshop'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_backtestrun'))
    )
    op.create_index(op.f('ix_backtestrun_workshop_id'), 'backtestrun', ['workshop_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_backtestrun_workshop_id'), table_name='backtestrun')
    op.drop_table('backtestrun')
    op.drop_index(op.f('ix_columnmapping_workshop_id'), table_name='columnmapping')
    op.drop_table('columnmapping')
