"""A booking's seat number (each seat taken has its own reminders and calendar file), the
attendance list confirmed and the feedback question asked, how many times a person turned to
"I'm interested" in a vacancy (each turn is a lead).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

outbox = sa.table("outbox", sa.column("id", sa.Integer()), sa.column("dedupe_key", sa.String()))


def upgrade() -> None:
    with op.batch_alter_table("bookings") as batch:
        batch.add_column(sa.Column("seat", sa.Integer(), server_default="0", nullable=False))
    with op.batch_alter_table("sessions") as batch:
        batch.add_column(
            sa.Column("attendance_confirmed_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch.add_column(sa.Column("feedback_asked_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("vacancy_alerts") as batch:
        batch.add_column(sa.Column("interest", sa.Integer(), server_default="0", nullable=False))
    # Seats held today are each person's first; their reminders and calendar files are keyed
    # by the seat from now on ("reminder:S:P:V:W" becomes "reminder:S:P:1:V:W").
    op.execute("UPDATE bookings SET seat = 1 WHERE status = 'confirmed'")
    op.execute("UPDATE vacancy_alerts SET interest = 1 WHERE response = 'interested'")
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(outbox.c.id, outbox.c.dedupe_key).where(
            sa.or_(outbox.c.dedupe_key.like("reminder:%"), outbox.c.dedupe_key.like("ics:%"))
        )
    ).all()
    for row_id, key in rows:
        kind, session_id, participant_id, rest = key.split(":", 3)
        connection.execute(
            outbox.update()
            .where(outbox.c.id == row_id)
            .values(dedupe_key=f"{kind}:{session_id}:{participant_id}:1:{rest}")
        )


def downgrade() -> None:
    with op.batch_alter_table("vacancy_alerts") as batch:
        batch.drop_column("interest")
    with op.batch_alter_table("sessions") as batch:
        batch.drop_column("feedback_asked_at")
        batch.drop_column("attendance_confirmed_at")
    with op.batch_alter_table("bookings") as batch:
        batch.drop_column("seat")
