"""Vacancies, the alerts sent about them, the translation cache; participants' latest change
indexed (for the cached matching index).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(op.f("ix_participants_updated_at"), "participants", ["updated_at"])
    op.create_table(
        "vacancies",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("lang", sa.String(length=2), nullable=False),
        sa.Column("title_nl", sa.String(length=200), nullable=True),
        sa.Column("title_fr", sa.String(length=200), nullable=True),
        sa.Column("description_nl", sa.Text(), nullable=True),
        sa.Column("description_fr", sa.Text(), nullable=True),
        sa.Column("translation", sa.String(length=12), nullable=False),
        sa.Column("employer", sa.String(length=120), nullable=False),
        sa.Column("occupation", sa.String(length=16), nullable=False),
        sa.Column("postcode", sa.String(length=10), nullable=False),
        sa.Column("municipality", sa.String(length=80), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("dutch_level", sa.String(length=2), nullable=False),
        sa.Column("driving_licence", sa.Boolean(), nullable=False),
        sa.Column("contract", sa.String(length=12), nullable=False),
        sa.Column("schedule", sa.JSON(), nullable=False),
        sa.Column("hours_per_week", sa.Integer(), nullable=True),
        sa.Column("published", sa.Date(), nullable=False),
        sa.Column("expires", sa.Date(), nullable=True),
        sa.Column("url", sa.String(length=500), nullable=True),
        sa.Column("posted_by", sa.Integer(), nullable=True),
        sa.Column("alerted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vacancies")),
        sa.UniqueConstraint("external_id", name=op.f("uq_vacancies_external_id")),
        sa.ForeignKeyConstraint(
            ["posted_by"], ["staff.id"], name=op.f("fk_vacancies_posted_by_staff")
        ),
    )
    op.create_index("ix_vacancies_open", "vacancies", ["expires", "occupation"])
    op.create_table(
        "vacancy_alerts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("vacancy_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("mode", sa.String(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("response", sa.String(length=16), nullable=True),
        sa.Column("reason", sa.String(length=16), nullable=True),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vacancy_alerts")),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_vacancy_alerts_participant_id_participants"),
        ),
        sa.ForeignKeyConstraint(
            ["vacancy_id"], ["vacancies.id"], name=op.f("fk_vacancy_alerts_vacancy_id_vacancies")
        ),
        sa.UniqueConstraint(
            "participant_id",
            "vacancy_id",
            name=op.f("uq_vacancy_alerts_participant_id"),
        ),
    )
    op.create_index(op.f("ix_vacancy_alerts_participant_id"), "vacancy_alerts", ["participant_id"])
    op.create_index(op.f("ix_vacancy_alerts_vacancy_id"), "vacancy_alerts", ["vacancy_id"])
    op.create_table(
        "translation_cache",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=2), nullable=False),
        sa.Column("target", sa.String(length=2), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("provider", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_translation_cache")),
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_participants_updated_at"), table_name="participants")
    op.drop_table("translation_cache")
    op.drop_index(op.f("ix_vacancy_alerts_vacancy_id"), table_name="vacancy_alerts")
    op.drop_index(op.f("ix_vacancy_alerts_participant_id"), table_name="vacancy_alerts")
    op.drop_table("vacancy_alerts")
    op.drop_index("ix_vacancies_open", table_name="vacancies")
    op.drop_table("vacancies")
