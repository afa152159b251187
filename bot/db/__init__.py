"""The database: SQLAlchemy models, the engine (SQLite or PostgreSQL), Alembic migrations, and
the conversation state stored in SQL."""
