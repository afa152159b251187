"""A participant's own data: `/profile`, `/mydata` (export) and `/delete` (erasure), and the
register button."""

from bot.handlers.participants.profile import build_router

__all__ = ["build_router"]
