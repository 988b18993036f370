"""review table (owned by the review room: one row per reviewed period)

Revision ID: 0008
Revises: 0007
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401
import sqlmodel  # noqa: F401

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('reviewperiod',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(), nullable=False),
    sa.Column('definition_version_id', sa.Integer(), nullable=True),
    sa.Column('version_number', sa.Integer(), nullable=True),
    sa.Column('file_name', sa.String(), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('metrics', sa.JSON(), nullable=False),
    sa.Column('findings', sa.JSON(), nullable=False),
    sa.Column('issues', sa.JSON(), nullable=False),
    sa.Column('decisions', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['definition_version_id'], ['definitionversion.id'], name=op.f('fk_reviewperiod_definition_version_id_definitionversion'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_reviewperiod_workshop_id_workshop'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reviewperiod')),
    sa.UniqueConstraint('workshop_id', 'period', name=op.f('uq_reviewperiod_workshop_id'))
    )
    op.create_index(op.f('ix_reviewperiod_workshop_id'), 'reviewperiod', ['workshop_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_reviewperiod_workshop_id'), table_name='reviewperiod')
    op.drop_table('reviewperiod')
