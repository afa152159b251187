"""SMS and e-mail: a participant's contacts with their consents and opt-outs, channels in order
of preference, a language for those not on Telegram; outbox rows addressed to a participant
(the channel chosen when sent), with the channel used, SMS segments and the provider's receipt.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

CHANNELS = '["telegram", "sms", "email"]'


def upgrade() -> None:
    with op.batch_alter_table("participants") as batch:
        batch.add_column(sa.Column("locale", sa.String(5), nullable=True))
        batch.add_column(sa.Column("phone", sa.String(16), nullable=True))
        batch.add_column(sa.Column("phone_consent_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("sms_stopped_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("email", sa.String(254), nullable=True))
        batch.add_column(sa.Column("email_consent_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("email_stopped_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("channels", sa.JSON(), nullable=False, server_default=CHANNELS))
    with op.batch_alter_table("outbox") as batch:
        batch.alter_column("chat_id", existing_type=sa.BigInteger(), nullable=True)
        batch.add_column(sa.Column("participant_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("channel", sa.String(8), nullable=True))
        batch.add_column(sa.Column("segments", sa.SmallInteger(), nullable=True))
        batch.add_column(sa.Column("provider_ref", sa.String(100), nullable=True))
        batch.add_column(sa.Column("receipt", sa.String(16), nullable=True))
        batch.create_index("ix_outbox_participant_id", ["participant_id"])
        batch.create_index("ix_outbox_provider_ref", ["provider_ref"])


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_index("ix_outbox_provider_ref")
        batch.drop_index("ix_outbox_participant_id")
        for column in ("receipt", "provider_ref", "segments", "channel", "participant_id"):
            batch.drop_column(column)
        batch.alter_column("chat_id", existing_type=sa.BigInteger(), nullable=False)
    with op.batch_alter_table("participants") as batch:
        for column in (
            "channels",
            "email_stopped_at",
            "email_consent_at",
            "email",
            "sms_stopped_at",
            "phone_consent_at",
            "phone",
            "locale",
        ):
            batch.drop_column(column)
