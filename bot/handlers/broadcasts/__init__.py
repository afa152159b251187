"""Broadcasts: staff send one message to many participants with `/broadcast` (the flow is
`bot.flows.broadcasts`), followed by its progress and report."""

from bot.handlers.broadcasts.staff import build_router

__all__ = ["build_router"]
