"""The counsellor's desk: tickets, staff backups and absences, forum topics; broadcasts;
outcomes (job, training, leaving).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("staff") as batch:
        batch.add_column(sa.Column("backup_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("away_until", sa.Date(), nullable=True))
        batch.create_foreign_key("fk_staff_backup_id_staff", "staff", ["backup_id"], ["id"])
    with op.batch_alter_table("participants") as batch:
        batch.add_column(sa.Column("desk_thread_id", sa.BigInteger(), nullable=True))

    op.create_table(
        "tickets",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("counsellor_id", sa.Integer(), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_answer_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_answer_by", sa.Integer(), nullable=True),
        sa.Column("nudged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_participant_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_staff_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["participant_id"], ["participants.id"], name="fk_tickets_participant_id_participants"
        ),
        sa.ForeignKeyConstraint(
            ["counsellor_id"], ["staff.id"], name="fk_tickets_counsellor_id_staff"
        ),
        sa.ForeignKeyConstraint(
            ["first_answer_by"], ["staff.id"], name="fk_tickets_first_answer_by_staff"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_tickets"),
    )
    op.create_index("ix_tickets_participant_id", "tickets", ["participant_id"])
    op.create_index("ix_tickets_status", "tickets", ["status"])

    op.create_table(
        "broadcasts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("audience", sa.String(length=16), nullable=False),
        sa.Column("audience_value", sa.String(length=64), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("attachment", sa.JSON(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("progress_chat_id", sa.BigInteger(), nullable=True),
        sa.Column("progress_message_id", sa.BigInteger(), nullable=True),
        sa.Column("progress_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"], ["staff.id"], name="fk_broadcasts_created_by_staff"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_broadcasts"),
    )

    op.create_table(
        "outcomes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("employer", sa.String(length=120), nullable=True),
        sa.Column("occupation", sa.String(length=16), nullable=True),
        sa.Column("contract", sa.String(length=16), nullable=True),
        sa.Column("training", sa.String(length=120), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("reported_by_participant", sa.Boolean(), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("confirmed_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"], ["participants.id"], name="fk_outcomes_participant_id_participants"
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["staff.id"], name="fk_outcomes_recorded_by_staff"
        ),
        sa.ForeignKeyConstraint(
            ["confirmed_by"], ["staff.id"], name="fk_outcomes_confirmed_by_staff"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_outcomes"),
    )
    op.create_index("ix_outcomes_participant_id", "outcomes", ["participant_id"])


def downgrade() -> None:
    op.drop_index("ix_outcomes_participant_id", table_name="outcomes")
    op.drop_table("outcomes")
    op.drop_table("broadcasts")
    op.drop_index("ix_tickets_status", table_name="tickets")
    op.drop_index("ix_tickets_participant_id", table_name="tickets")
    op.drop_table("tickets")
    with op.batch_alter_table("participants") as batch:
        batch.drop_column("desk_thread_id")
    with op.batch_alter_table("staff") as batch:
        batch.drop_constraint("fk_staff_backup_id_staff", type_="foreignkey")
        batch.drop_column("away_until")
        batch.drop_column("backup_id")
