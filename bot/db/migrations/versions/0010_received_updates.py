"""The webhook's inbox: updates taken (answered 200) and not yet handled, and the ids of those
handled lately (update_id deduplication).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "received_updates",
        sa.Column("update_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("payload", sa.Text(), nullable=True),
        sa.Column("chat_key", sa.BigInteger(), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("taken_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("update_id", name="pk_received_updates"),
    )
    op.create_index(
        "ix_received_updates_undone", "received_updates", ["done_at", "taken_until"], unique=False
    )
    op.create_index("ix_received_updates_chat_key", "received_updates", ["chat_key"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_received_updates_chat_key", table_name="received_updates")
    op.drop_index("ix_received_updates_undone", table_name="received_updates")
    op.drop_table("received_updates")
