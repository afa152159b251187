"""FAQ: questions people ask about working in Belgium, from `/faq`, the menu, or free text
that nothing else took."""

from bot.handlers.faq.questions import build_router

__all__ = ["build_router"]
