"""Business rules on an AsyncSession, one package per feature; no aiogram here (handlers,
flows and the CLI call these)."""
