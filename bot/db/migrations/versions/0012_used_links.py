"""One-tap links (booking without Telegram): the links already used, by their digest, so
each books once.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "used_links",
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("digest", name="pk_used_links"),
    )
    op.create_index("ix_used_links_participant_id", "used_links", ["participant_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_used_links_participant_id", table_name="used_links")
    op.drop_table("used_links")
