"""Alembic environment: always handed a live connection by bot.db.migrate."""

from alembic import context

from bot.db import models  # noqa: F401  (registers the tables on the metadata)
from bot.db.base import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
