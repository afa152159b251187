"""Chats other than a person's private one: the gate that keeps the bot private (only the desk
group, only staff, elsewhere a note once), and a private chat blocked or unblocked."""

from bot.handlers.chats.groups import ChatGate
from bot.handlers.chats.membership import build_router

__all__ = ["ChatGate", "build_router"]
