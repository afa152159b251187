"""Staff: their commands (roles checked on the server, `StaffOnly`) and their home screen (the
requests waiting for them, today's sessions, their referral link)."""

from aiogram import Router

from bot.handlers.staff import commands, home


def build_router() -> Router:
    router = Router(name="staff-area")
    router.include_routers(commands.build_router(), home.build_router())
    return router
