"""The composition root: every object of the running bot is built here, and only here."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import TelegramAPIError
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage, DefaultKeyBuilder
from aiogram.fsm.storage.memory import SimpleEventIsolation
from aiogram.fsm.storage.redis import RedisEventIsolation, RedisStorage
from aiogram.types import BotCommand, BotCommandScopeChat
from aiogram_dialog import setup_dialogs
from aiogram_i18n import I18nMiddleware
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.broadcast_jobs import BroadcastJobs
from bot.config import Settings
from bot.db.base import utcnow
from bot.db.engine import create_engine, create_sessionmaker
from bot.db.fsm_storage import SqlStorage
from bot.db.migrate import upgrade
from bot.delivery.limiter import Limiter, LimiterConfig
from bot.delivery.request_limits import LimiterRequestMiddleware
from bot.delivery.sender import OutboxSender, SenderConfig
from bot.flows.registration import registration_dialog
from bot.flows.session_post import session_post_dialog
from bot.flows.vacancy_post import vacancy_post_dialog
from bot.flows.welcome import welcome_dialog
from bot.flows.widgets import own_buttons_only
from bot.handlers import (
    broadcast,
    common,
    errors,
    escalation,
    fallback,
    faq,
    groups,
    membership,
    outcomes,
    participant,
    session_desk,
    sessions,
    staff,
    staff_home,
    vacancies,
)
from bot.handlers.escalation import DeskTopics
from bot.handlers.home import HomeMiddleware
from bot.i18n import DEFAULT_LOCALE, LOCALES, HtmlFluentCore, build_core
from bot.jobs import DIGEST_AT, DeskJobs, SessionJobs, VacancyJobs
from bot.middlewares import DbSessionMiddleware, OddMessages, UserLocaleManager, UserMiddleware
from bot.scheduler import Clock
from bot.services import staff as staff_service
from bot.services.matches import FollowedIndex
from bot.services.translation import build_translator

log = logging.getLogger(__name__)

COMMANDS = (
    "start",
    "menu",
    "jobs",
    "sessions",
    "faq",
    "counsellor",
    "close",
    "profile",
    "help",
    "lang",
    "cancel",
    "mydata",
    "delete",
)
# Staff see these too, in their own chat's menu (participants are refused them anyway).
STAFF_COMMANDS = (
    "staff",
    "newsession",
    "mysessions",
    "vacancy",
    "broadcast",
    "outcome",
    "report",
    "invite",
    "reassign",
)
SHUTDOWN_GRACE_S = 10.0


@dataclass
class App:
    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    i18n_core: HtmlFluentCore
    storage: BaseStorage
    bot: Bot
    sender: OutboxSender
    clock: Clock
    vacancy_jobs: VacancyJobs
    dispatcher: Dispatcher
    _polling: asyncio.Task | None = field(default=None, repr=False)

    async def prepare(self) -> None:
        """Bring the database schema up to date (raises if the database is unreachable)."""
        await upgrade(self.engine)

    async def run_polling(self) -> None:
        """Serve until SIGINT or SIGTERM, then stop cleanly."""
        await self.prepare()
        await self.dispatcher.start_polling(self.bot, close_bot_session=False)

    async def start(self, polling_timeout: int = 10) -> None:
        """Migrate, then poll in the background (used by tests, the demo and benchmarks).

        Returns once the start-up hooks (command menus...) have run and polling began.
        """
        await self.prepare()
        started = asyncio.Event()

        async def _started() -> None:
            started.set()

        self.dispatcher.startup.register(_started)
        self._polling = asyncio.create_task(
            self.dispatcher.start_polling(
                self.bot,
                handle_signals=False,
                close_bot_session=False,
                polling_timeout=polling_timeout,
            )
        )
        waiting = asyncio.ensure_future(started.wait())
        await asyncio.wait({waiting, self._polling}, return_when=asyncio.FIRST_COMPLETED)
        if not started.is_set():
            waiting.cancel()
            await self._polling  # re-raises a start-up failure

    async def stop(self) -> None:
        if self._polling is None:
            return
        with contextlib.suppress(RuntimeError):
            await self.dispatcher.stop_polling()
        await self._polling
        self._polling = None

    async def close(self) -> None:
        await self.stop()
        await self.dispatcher.storage.close()
        await self.bot.session.close()
        await self.engine.dispose()


def create_limiter(settings: Settings) -> Limiter:
    return Limiter(
        LimiterConfig(
            global_per_s=settings.send_global_per_s,
            private_per_s=settings.send_private_per_s,
            private_burst=settings.send_private_burst,
            group_per_min=settings.send_group_per_min,
        )
    )


def create_bot(settings: Settings, limiter: Limiter) -> Bot:
    session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_url))
    session.middleware(LimiterRequestMiddleware(limiter))
    return Bot(
        token=settings.bot_token,
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML),
    )


def create_app(settings: Settings, now: Callable[[], datetime] = utcnow) -> App:
    """`now` is the clock of handlers and of delivery (tests move it forward)."""
    engine = create_engine(settings.database_url)
    sessionmaker = create_sessionmaker(engine)
    core = build_core()
    storage, isolation = _conversation_storage(settings, sessionmaker)
    bot = create_bot(settings, create_limiter(settings))
    desk = settings.desk_chat_id
    sender = OutboxSender(
        sessionmaker,
        bot,
        core,
        SenderConfig(lease_s=settings.outbox_lease_s, max_attempts=settings.outbox_max_attempts),
        clock=now,
        thread_gone=DeskTopics(bot, sessionmaker, core, desk, now) if desk is not None else None,
    )
    clock = Clock(settings.tz)
    clock.every(settings.outbox_tick_s, sender.send_due, "outbox")
    followed = FollowedIndex()
    translator = build_translator(settings)
    vacancy_jobs = VacancyJobs(sessionmaker, translator, clock.tz, followed)
    clock.every(settings.outbox_tick_s, vacancy_jobs.pipeline, "vacancies")
    digest_at = (DIGEST_AT.hour, DIGEST_AT.minute)
    clock.daily(*digest_at, vacancy_jobs.daily_digest, "daily-digest")
    clock.weekly("mon", *digest_at, vacancy_jobs.weekly_digest, "weekly-digest")
    desk_jobs = DeskJobs(sessionmaker, clock.tz, settings.desk_chat_id, now)
    clock.every(settings.sla_tick_s, desk_jobs.deadlines, "escalation-deadlines")
    session_jobs = SessionJobs(sessionmaker, clock.tz, now)
    clock.every(settings.sla_tick_s, session_jobs.feedback, "session-feedback")
    broadcast_jobs = BroadcastJobs(sessionmaker, bot, core, now)
    clock.every(settings.outbox_tick_s, broadcast_jobs.tick, "broadcasts")
    dispatcher = create_dispatcher(sessionmaker, core, storage, isolation)
    dispatcher["tz"] = clock.tz
    dispatcher["followed_index"] = followed
    dispatcher["current_time"] = now
    dispatcher["translator"] = translator
    dispatcher["desk_chat_id"] = settings.desk_chat_id
    dispatcher.startup.register(clock.start)
    dispatcher.startup.register(vacancy_jobs.catch_up)

    async def stop_clock() -> None:
        clock.shutdown()
        await sender.stop()

    dispatcher.shutdown.register(stop_clock)
    return App(
        settings=settings,
        engine=engine,
        sessionmaker=sessionmaker,
        i18n_core=core,
        storage=storage,
        bot=bot,
        sender=sender,
        clock=clock,
        vacancy_jobs=vacancy_jobs,
        dispatcher=dispatcher,
    )


def _conversation_storage(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> tuple[BaseStorage, BaseEventIsolation]:
    if settings.redis_url:
        # aiogram-dialog keeps stacks under "destiny" keys; both need a builder that knows them.
        keys = DefaultKeyBuilder(with_destiny=True)
        storage = RedisStorage.from_url(settings.redis_url, key_builder=keys)
        return storage, RedisEventIsolation(redis=storage.redis, key_builder=keys)
    # On SQLite one process polls, so it may remember committed conversation state.
    single_process = make_url(settings.database_url).get_backend_name() == "sqlite"
    return SqlStorage(
        sessionmaker, remember=10_000 if single_process else 0
    ), SimpleEventIsolation()


def create_dispatcher(
    sessionmaker: async_sessionmaker[AsyncSession],
    core: HtmlFluentCore,
    storage: BaseStorage,
    isolation: BaseEventIsolation,
) -> Dispatcher:
    dispatcher = Dispatcher(storage=storage, events_isolation=isolation)
    # First shutdown hook: updates still being handled finish before anything is torn down.
    dispatcher.shutdown.register(_finish_updates_in_flight)
    dispatcher.update.outer_middleware(DbSessionMiddleware(sessionmaker))
    # Outside private chats only staff in the desk go further (no account for anyone else).
    dispatcher.update.outer_middleware(groups.ChatGate(core))
    dispatcher.update.outer_middleware(UserMiddleware())
    # Not I18nMiddleware.setup(): its shutdown hook empties the core, which build_core() loaded
    # once for the process (delivery and the CLI use it too).
    i18n = I18nMiddleware(core=core, manager=UserLocaleManager(), default_locale=DEFAULT_LOCALE)
    dispatcher.update.outer_middleware(i18n)
    dispatcher.update.outer_middleware(HomeMiddleware())
    # Before aiogram-dialog's own (setup_dialogs), which cannot read an inaccessible message,
    # a reply to a message without a sender, or invisible text that is no button's.
    dispatcher.callback_query.outer_middleware(errors.ExpiredButtons())
    dispatcher.message.outer_middleware(OddMessages())
    dispatcher[i18n.middleware_key] = i18n
    dispatcher["sessionmaker"] = sessionmaker
    dispatcher.include_routers(
        errors.build_router(),
        membership.build_router(),
        common.build_router(),
        participant.build_router(),
        vacancies.build_router(),
        sessions.build_router(),
        staff.build_router(),
        staff_home.build_router(),
        session_desk.build_router(),
        broadcast.build_router(),
        outcomes.build_router(),
        welcome_dialog(),
        registration_dialog(),
        vacancy_post_dialog(),
        session_post_dialog(),
        # After the dialogs (a step's typed answer is theirs), before the fallback: the
        # desk relays free text while a ticket is open, else the FAQ tries to answer it.
        escalation.build_router(),
        faq.build_router(),
        fallback.build_router(),
    )
    setup_dialogs(dispatcher, events_isolation=isolation)
    own_buttons_only(dispatcher)
    dispatcher.startup.register(_register_commands)
    dispatcher.startup.register(_describe_bot)
    return dispatcher


async def _finish_updates_in_flight(dispatcher: Dispatcher) -> None:
    # aiogram runs each update as a task and keeps them in this set, but does not wait for them.
    in_flight = set(dispatcher._handle_update_tasks)
    if in_flight:
        await asyncio.wait(in_flight, timeout=SHUTDOWN_GRACE_S)


async def _register_commands(
    bot: Bot, i18n_middleware: I18nMiddleware, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """Command menus per language, and each staff member's own with the staff commands;
    Telegram refusing them must not stop the bot."""
    core = i18n_middleware.core

    def menu(locale: str, names: tuple[str, ...]) -> list[BotCommand]:
        return [BotCommand(command=c, description=core.get(f"cmd-{c}", locale)) for c in names]

    try:
        for locale in LOCALES:
            await bot.set_my_commands(menu(locale, COMMANDS), language_code=locale)
            if locale == DEFAULT_LOCALE:
                await bot.set_my_commands(menu(locale, COMMANDS))
        async with sessionmaker() as session:
            members = await staff_service.staff_locales(session)
        for telegram_id, locale in members:
            await bot.set_my_commands(
                menu(locale if locale in LOCALES else DEFAULT_LOCALE, COMMANDS + STAFF_COMMANDS),
                scope=BotCommandScopeChat(chat_id=telegram_id),
            )
    except TelegramAPIError as error:
        log.warning("could not register the command menus: %s", error)


async def _describe_bot(bot: Bot, i18n_middleware: I18nMiddleware) -> None:
    """What an empty chat shows before Start (someone who scanned a counsellor's QR code), in
    each language, French for everyone else; Telegram refusing it must not stop the bot."""
    core = i18n_middleware.core
    try:
        for locale in (*LOCALES, None):
            language = locale or DEFAULT_LOCALE
            await bot.set_my_description(
                core.get("bot-description", language), language_code=locale
            )
            await bot.set_my_short_description(
                core.get("bot-short-description", language), language_code=locale
            )
    except TelegramAPIError as error:
        log.warning("could not set the bot's description: %s", error)
