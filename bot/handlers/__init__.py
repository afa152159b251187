"""The bot's routers, one package per feature; each package's `build_router` is what the
composition root (`bot.app`) includes, in an order that matters (see there)."""
