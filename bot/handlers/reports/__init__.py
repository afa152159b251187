"""Reports: the programme's figures per territory, asked for in the bot with `/report`."""

from bot.handlers.reports.staff import build_router

__all__ = ["build_router"]
