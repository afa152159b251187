"""A local Telegram Bot API server over real HTTP, plus a simulated user side.

The bot talks to it exactly as to Telegram (``TELEGRAM_API_URL``); tests and the demo act as
users through :class:`UserClient`.
"""

from bot.sandbox.bots import BotSandbox
from bot.sandbox.client import (
    BotMessage,
    Button,
    CallbackAnswer,
    Command,
    FileInfo,
    SandboxError,
    UserClient,
)
from bot.sandbox.limits import SandboxLimits
from bot.sandbox.server import DEFAULT_TOKEN, SandboxServer, run_forever

__all__ = [
    "DEFAULT_TOKEN",
    "BotMessage",
    "BotSandbox",
    "Button",
    "CallbackAnswer",
    "Command",
    "FileInfo",
    "SandboxError",
    "SandboxLimits",
    "SandboxServer",
    "UserClient",
    "run_forever",
]
