"""premortem tables: sessions, members, the risk checklist, votes, checklist settings

Revision ID: 0003
Revises: 0002
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401
import sqlmodel  # noqa: F401

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('premortemsession',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('initiative', sa.String(), nullable=False),
    sa.Column('horizon', sa.String(), nullable=False),
    sa.Column('phase', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(), nullable=False),
    sa.Column('remaining_seconds', sa.Integer(), nullable=False),
    sa.Column('phase_minutes', sa.JSON(), nullable=False),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('dots_per_member', sa.Integer(), nullable=False),
    sa.Column('max_dots_per_risk', sa.Integer(), nullable=False),
    sa.Column('turn', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_premortemsession_workshop_id_workshop'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_premortemsession'))
    )
    op.create_index(op.f('ix_premortemsession_workshop_id'), 'premortemsession', ['workshop_id'], unique=False)
    op.create_table('riskchecklist',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('review_date', sa.Date(), nullable=True),
    sa.Column('seeded_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_riskchecklist_workshop_id_workshop'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_riskchecklist')),
    sa.UniqueConstraint('workshop_id', name=op.f('uq_riskchecklist_workshop_id'))
    )
    op.create_table('premortemmember',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('team', sa.String(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_premortemmember_participant_id_participant'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['premortemsession.id'], name=op.f('fk_premortemmember_session_id_premortemsession'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_premortemmember'))
    )
    op.create_index(op.f('ix_premortemmember_session_id'), 'premortemmember', ['session_id'], unique=False)
    op.create_table('risk',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('key', sa.String(), nullable=True),
    sa.Column('title', sa.String(), nullable=False),
    sa.Column('description', sa.String(), nullable=False),
    sa.Column('category', sa.String(), nullable=False),
    sa.Column('source', sa.String(), nullable=False),
    sa.Column('likelihood', sa.Integer(), nullable=True),
    sa.Column('impact', sa.Integer(), nullable=True),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('klass', sa.String(), nullable=True),
    sa.Column('votes', sa.Integer(), nullable=False),
    sa.Column('owner', sa.String(), nullable=False),
    sa.Column('mitigation', sa.String(), nullable=False),
    sa.Column('suggestion', sa.String(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('status', sa.String(), nullable=False),
    sa.Column('review_notes', sa.String(), nullable=False),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.Column('author', sa.String(), nullable=False),
    sa.Column('merged_titles', sa.JSON(), nullable=False),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['merged_into_id'], ['risk.id'], name=op.f('fk_risk_merged_into_id_risk'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['premortemsession.id'], name=op.f('fk_risk_session_id_premortemsession'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_risk_workshop_id_workshop'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risk')),
    sa.UniqueConstraint('workshop_id', 'key', name=op.f('uq_risk_workshop_id'))
    )
    op.create_index(op.f('ix_risk_workshop_id'), 'risk', ['workshop_id'], unique=False)
    op.create_table('riskvote',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('risk_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('dots', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['premortemmember.id'], name=op.f('fk_riskvote_member_id_premortemmember'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['risk_id'], ['risk.id'], name=op.f('fk_riskvote_risk_id_risk'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_riskvote')),
    sa.UniqueConstraint('risk_id', 'member_id', name=op.f('uq_riskvote_risk_id'))
    )
    op.create_index(op.f('ix_riskvote_member_id'), 'riskvote', ['member_id'], unique=False)
    op.create_index(op.f('ix_riskvote_risk_id'), 'riskvote', ['risk_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_riskvote_risk_id'), table_name='riskvote')
    op.drop_index(op.f('ix_riskvote_member_id'), table_name='riskvote')
    op.drop_table('riskvote')
    op.drop_index(op.f('ix_risk_workshop_id'), table_name='risk')
    op.drop_table('risk')
    op.drop_index(op.f('ix_premortemmember_session_id'), table_name='premortemmember')
    op.drop_table('premortemmember')
    op.drop_table('riskchecklist')
    op.drop_index(op.f('ix_premortemsession_workshop_id'), table_name='premortemsession')
    op.drop_table('premortemsession')
