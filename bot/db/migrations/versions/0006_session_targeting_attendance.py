"""Sessions: Dutch-level targeting and a calendar sequence; bookings: attendance, feedback.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sessions") as batch:
        batch.add_column(sa.Column("dutch_levels", sa.JSON(), server_default="[]", nullable=False))
        batch.add_column(sa.Column("sequence", sa.Integer(), server_default="0", nullable=False))
    with op.batch_alter_table("bookings") as batch:
        batch.add_column(sa.Column("attendance", sa.String(length=10), nullable=True))
        batch.add_column(sa.Column("rating", sa.SmallInteger(), nullable=True))
        batch.add_column(sa.Column("comment", sa.Text(), nullable=True))
        batch.add_column(sa.Column("promoted_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("booked_by", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("bookings") as batch:
        for name in ("booked_by", "promoted_at", "comment", "rating", "attendance"):
            batch.drop_column(name)
    with op.batch_alter_table("sessions") as batch:
        batch.drop_column("sequence")
        batch.drop_column("dutch_levels")
