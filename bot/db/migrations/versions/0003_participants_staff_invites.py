"""Participants, staff and invite links.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "staff",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("telegram_id", sa.BigInteger(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("territory", sa.String(length=8), nullable=True),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("referral_code", sa.String(length=32), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff")),
        sa.UniqueConstraint("telegram_id", name=op.f("uq_staff_telegram_id")),
        sa.UniqueConstraint("referral_code", name=op.f("uq_staff_referral_code")),
    )
    op.create_table(
        "participants",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("external_id", sa.String(length=64), nullable=True),
        sa.Column("counsellor_id", sa.Integer(), nullable=True),
        sa.Column("consent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_name", sa.String(length=64), nullable=True),
        sa.Column("territory", sa.String(length=8), nullable=True),
        sa.Column("occupations", sa.JSON(), nullable=False),
        sa.Column("dutch_level", sa.String(length=2), nullable=True),
        sa.Column("driving_licence", sa.Boolean(), nullable=True),
        sa.Column("has_car", sa.Boolean(), nullable=True),
        sa.Column("max_commute_km", sa.Integer(), nullable=False),
        sa.Column("home_postcode", sa.String(length=10), nullable=True),
        sa.Column("home_lat", sa.Float(), nullable=True),
        sa.Column("home_lon", sa.Float(), nullable=True),
        sa.Column("availability", sa.JSON(), nullable=False),
        sa.Column("alert_mode", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("status_date", sa.Date(), nullable=True),
        sa.Column("employer", sa.String(length=120), nullable=True),
        sa.Column("joined", sa.Date(), nullable=True),
        sa.Column("last_contact_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_participants_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["counsellor_id"], ["staff.id"], name=op.f("fk_participants_counsellor_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participants")),
        sa.UniqueConstraint("user_id", name=op.f("uq_participants_user_id")),
        sa.UniqueConstraint("external_id", name=op.f("uq_participants_external_id")),
    )
    op.create_table(
        "invites",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_invites_participant_id_participants"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invites")),
        sa.UniqueConstraint("token", name=op.f("uq_invites_token")),
    )
    op.create_index(op.f("ix_invites_participant_id"), "invites", ["participant_id"])


def downgrade() -> None:
    op.drop_table("invites")
    op.drop_table("participants")
    op.drop_table("staff")
