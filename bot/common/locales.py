"""The bot's languages, without the Fluent machinery (`bot.i18n` loads aiogram's): French and
Dutch are both first-class; French when nothing says otherwise."""

LOCALES = ("fr", "nl")
DEFAULT_LOCALE = "fr"
