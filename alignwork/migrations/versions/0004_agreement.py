"""agreement tables: signers of a definition version and its status history

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel  # noqa: F401

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "signer",
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("team", sa.String(), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["version_id"], ["definitionversion.id"],
                                name=op.f("fk_signer_version_id_definitionversion"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signer")),
    )
    op.create_index(op.f("ix_signer_version_id"), "signer", ["version_id"], unique=False)
    op.create_table(
        "versionevent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("note", sa.String(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["version_id"], ["definitionversion.id"],
                                name=op.f("fk_versionevent_version_id_definitionversion"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_versionevent")),
    )
    op.create_index(op.f("ix_versionevent_version_id"), "versionevent", ["version_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_versionevent_version_id"), table_name="versionevent")
    op.drop_table("versionevent")
    op.drop_index(op.f("ix_signer_version_id"), table_name="signer")
    op.drop_table("signer")
