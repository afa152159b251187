"""The composition root: every object of the running bot is built here, and only here."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

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
from aiohttp import web
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.db.base import utcnow
from bot.db.engine import create_engine, create_sessionmaker
from bot.db.fsm_storage import SqlStorage
from bot.db.migrate import upgrade
from bot.delivery.channels import Channels
from bot.delivery.lanes import ReplyLane
from bot.delivery.limiter import Limiter, LimiterConfig
from bot.delivery.limiter_redis import RedisStore
from bot.delivery.providers import channels_from_settings
from bot.delivery.request_limits import LimiterRequestMiddleware
from bot.delivery.sender import OutboxSender, SenderConfig
from bot.flows.common.widgets import own_buttons_only
from bot.flows.outcomes.found_job import found_job_dialog
from bot.flows.outcomes.record import record_dialog
from bot.flows.participants.contacts import contacts_dialog
from bot.flows.participants.registration import registration_dialog
from bot.flows.participants.welcome import welcome_dialog
from bot.flows.sessions.organiser import organiser_dialog
from bot.flows.sessions.post import session_post_dialog
from bot.flows.vacancies.post import vacancy_post_dialog
from bot.handlers import (
    broadcasts,
    chats,
    desk,
    faq,
    outcomes,
    participants,
    reports,
    sessions,
    staff,
    vacancies,
)
from bot.handlers.common import commands, errors, fallback
from bot.handlers.common.home import HomeMiddleware
from bot.handlers.common.presses import AnswerPresses, NoteAnswers
from bot.handlers.desk.common import DeskTopics
from bot.handlers.staff.home import home_screen
from bot.i18n import DEFAULT_LOCALE, LOCALES, HtmlFluentCore, build_core
from bot.jobs.broadcasts import BroadcastJobs
from bot.jobs.desk import DeskJobs
from bot.jobs.metrics import OUTBOX_DEPTH_TICK_S, OutboxDepth
from bot.jobs.sessions import SessionJobs
from bot.jobs.vacancies import DIGEST_AT, VacancyJobs
from bot.middlewares import DbSessionMiddleware, OddMessages, UserLocaleManager, UserMiddleware
from bot.scheduler import Clock, leadership_for
from bot.services.participants.reached import Providers
from bot.services.sessions.links import link_maker
from bot.services.staff import members as staff_service
from bot.services.translation.translator import build_translator
from bot.services.vacancies.alerts import outside_quiet_hours
from bot.services.vacancies.matches import FollowedIndex
from bot.web.feeder import LEASE_S, Feeder
from bot.web.inbox import Inbox
from bot.web.links import link_routes
from bot.web.metrics import UpdateMetrics
from bot.web.server import Check, Server, operations_app, webhook_app
from bot.web.sms_hooks import sms_routes

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
    # The pages and hooks the world reaches beside the webhook: the one-tap booking links,
    # the SMS provider's receipts and replies (served in polling mode on HEALTH_PORT too).
    public_routes: list[web.RouteDef] = field(default_factory=list, repr=False)
    _polling: asyncio.Task | None = field(default=None, repr=False)
    web: Server | None = field(default=None, repr=False)  # webhook, or HEALTH_PORT's endpoints
    feeder: Feeder | None = field(default=None, repr=False)  # webhook mode: taken updates

    async def prepare(self) -> None:
        """Bring the database schema up to date (raises if the database is unreachable)."""
        await upgrade(self.engine)

    async def run_polling(self, handle_signals: bool = True) -> None:
        """Serve until SIGINT or SIGTERM, then stop cleanly (/healthz, /readyz and /metrics on
        HEALTH_PORT when it is set)."""
        await self.prepare()
        if self.settings.health_port is not None:
            self.web = Server(operations_app(self.readiness_checks(), self.public_routes))
            await self.web.start(self.settings.webhook_listen_host, self.settings.health_port)
        try:
            await self.dispatcher.start_polling(
                self.bot, close_bot_session=False, handle_signals=handle_signals
            )
        finally:
            await self._stop_web()

    @property
    def updates_in_flight(self) -> int:
        """Updates this process has taken and not finished handling (polled or webhook)."""
        polled = len(self.dispatcher._handle_update_tasks)  # aiogram keeps no public count
        return polled + (self.feeder.in_flight if self.feeder is not None else 0)

    def readiness_checks(self) -> dict[str, Check]:
        """What /readyz asks: the database answers, Redis answers (when configured), the
        clock runs."""

        async def database() -> bool:
            async with self.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
            return True

        async def scheduler() -> bool:
            return bool(self.clock.scheduler.running)

        checks: dict[str, Check] = {"database": database}
        redis = getattr(self.storage, "redis", None)
        if self.settings.redis_url and redis is not None:

            async def redis_ping() -> bool:
                return bool(await redis.ping())

            checks["redis"] = redis_ping
        checks["scheduler"] = scheduler
        return checks

    async def serve_webhook(self, host: str | None = None, port: int | None = None) -> int:
        """Webhook mode: migrate, run the start-up hooks, listen (WEBHOOK_LISTEN_HOST/PORT
        unless given; 0: any free port), then set the webhook. Returns the port, once listening.
        """
        settings = self.settings
        if not settings.webhook_url or settings.webhook_secret is None:
            raise RuntimeError("webhook mode needs WEBHOOK_URL and WEBHOOK_SECRET")
        await self.prepare()
        inbox = Inbox(self.sessionmaker, lease_s=LEASE_S)
        self.feeder = Feeder(
            self.dispatcher, self.bot, inbox, dedupe_ttl_s=settings.update_dedupe_ttl_s
        )
        secret = settings.webhook_secret.get_secret_value()
        app = webhook_app(
            self.dispatcher,
            self.bot,
            self.feeder,
            url=settings.webhook_url,
            secret=secret,
            checks=self.readiness_checks(),
            routes=self.public_routes,
        )
        await self.dispatcher.emit_startup(
            dispatcher=self.dispatcher,
            bot=self.bot,
            bots=[self.bot],
            **self.dispatcher.workflow_data,
        )
        self.feeder.start()
        self.web = Server(app)
        await self.web.start(
            settings.webhook_listen_host if host is None else host,
            settings.webhook_listen_port if port is None else port,
        )
        # Not deleted on shutdown: the other replicas keep serving it.
        await self.bot.set_webhook(
            settings.webhook_url,
            secret_token=secret,
            allowed_updates=self.dispatcher.resolve_used_update_types(),
            drop_pending_updates=False,
        )
        log.info("webhook mode: listening on port %s", self.web.port)
        return self.web.port

    async def run_webhook(self) -> None:
        """Serve the webhook until SIGINT or SIGTERM, then stop cleanly."""
        stopping = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stopping.set)
        try:
            await self.serve_webhook()
            await stopping.wait()
        finally:
            for signum in (signal.SIGINT, signal.SIGTERM):
                loop.remove_signal_handler(signum)
            await self.stop()

    async def _stop_web(self) -> None:
        if self.web is not None:
            await self.web.stop()
            self.web = None

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
        if self.feeder is not None:  # webhook mode: no new update, those taken finish
            await self._stop_web()
            await self.feeder.stop(SHUTDOWN_GRACE_S)
            self.feeder = None
            await self.dispatcher.emit_shutdown(
                dispatcher=self.dispatcher, bot=self.bot, **self.dispatcher.workflow_data
            )
        await self._stop_web()
        if self._polling is None:
            return
        with contextlib.suppress(RuntimeError):
            await self.dispatcher.stop_polling()
        await self._polling
        self._polling = None

    async def close(self) -> None:
        await self.stop()
        await self.sender.people.close()  # the SMS and e-mail providers' connections
        await self.dispatcher.storage.close()
        await self.bot.session.close()
        await self.engine.dispose()


def create_limiter(settings: Settings) -> Limiter:
    """With REDIS_URL, every replica shares one pace (and a 429 pauses them all)."""
    store = RedisStore(settings.redis_url, settings.redis_prefix) if settings.redis_url else None
    return Limiter(
        LimiterConfig(
            global_per_s=settings.send_global_per_s,
            private_per_s=settings.send_private_per_s,
            private_burst=settings.send_private_burst,
            group_per_min=settings.send_group_per_min,
        ),
        store=store,
    )


def create_channels(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession] | None = None
) -> Channels:
    """SMS and e-mail as configured (none by default), with the quiet hours SMS keep, and
    the one-tap booking links when PUBLIC_URL is set."""
    tz = ZoneInfo(settings.tz)
    channels = channels_from_settings(settings)
    channels.quiet = lambda now: outside_quiet_hours(now, tz)
    if sessionmaker is not None:
        channels.links = link_maker(settings, sessionmaker)
    channels.sms_per_s, channels.mail_per_s = settings.sms_per_s, settings.mail_per_s
    return channels


def create_bot(settings: Settings, limiter: Limiter) -> Bot:
    session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_url))
    session.middleware(LimiterRequestMiddleware(limiter))
    session.middleware(NoteAnswers())  # a press answered is not answered again (`AnswerPresses`)
    return Bot(
        token=settings.bot_token.get_secret_value(),
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML),
    )


def create_app(settings: Settings, now: Callable[[], datetime] = utcnow) -> App:
    """`now` is the clock of handlers and of delivery (tests move it forward)."""
    engine = create_engine(settings.database_url)
    sessionmaker = create_sessionmaker(engine)
    core = build_core()
    storage, isolation = _conversation_storage(settings, sessionmaker)
    limiter = create_limiter(settings)
    bot = create_bot(settings, limiter)
    desk = settings.desk_chat_id
    sender = OutboxSender(
        sessionmaker,
        bot,
        core,
        SenderConfig(lease_s=settings.outbox_lease_s, max_attempts=settings.outbox_max_attempts),
        clock=now,
        thread_gone=DeskTopics(bot, sessionmaker, core, desk, now) if desk is not None else None,
        channels=create_channels(settings, sessionmaker),
    )
    # Singleton jobs run on one replica at a time; every_replica ones on each (see Clock).
    leadership = leadership_for(settings.database_url, settings.redis_url, settings.redis_prefix)
    clock = Clock(settings.tz, leadership)
    clock.every(settings.outbox_tick_s, sender.send_due, "outbox", every_replica=True)
    depth = OutboxDepth(sessionmaker).count
    clock.every(OUTBOX_DEPTH_TICK_S, depth, "outbox-depth", every_replica=True)
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
    dispatcher["providers"] = Providers.of(settings)  # who is reached how, on staff screens
    dispatcher.startup.register(clock.start)
    clock.when_elected(vacancy_jobs.catch_up)  # at start-up, or when taking over the clock

    async def stop_clock() -> None:
        await clock.stop()
        await sender.stop()
        await sender.people.close()
        await limiter.close()

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
        public_routes=[
            *link_routes(settings, sessionmaker, core, now),
            *sms_routes(sessionmaker, settings, now),
        ],
    )


def _conversation_storage(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> tuple[BaseStorage, BaseEventIsolation]:
    if settings.redis_url:
        # aiogram-dialog keeps stacks under "destiny" keys; both need a builder that knows them.
        keys = DefaultKeyBuilder(prefix=f"{settings.redis_prefix}:fsm", with_destiny=True)
        storage = RedisStorage.from_url(settings.redis_url, key_builder=keys)
        # A person's lock outlives a killed replica by this much (aiogram's default: 60 s);
        # handlers take well under a second, and the webhook's inbox keeps a chat in order.
        isolation = RedisEventIsolation(
            redis=storage.redis, key_builder=keys, lock_kwargs={"timeout": 15}
        )
        return storage, isolation
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
    dispatcher.update.outer_middleware(UpdateMetrics())  # enavant_updates_total, /metrics
    dispatcher.update.outer_middleware(ReplyLane())  # what handlers send goes first
    dispatcher.update.outer_middleware(DbSessionMiddleware(sessionmaker))
    # Outside private chats only staff in the desk go further (no account for anyone else).
    dispatcher.update.outer_middleware(chats.ChatGate(core))
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
    # Every press answered once, after its handler (silently unless it says what).
    dispatcher.callback_query.middleware(AnswerPresses())
    dispatcher[i18n.middleware_key] = i18n
    dispatcher["sessionmaker"] = sessionmaker
    dispatcher["staff_screen"] = home_screen  # `Home` draws the staff home with it
    dispatcher.include_routers(
        errors.build_router(),
        chats.build_router(),
        commands.build_router(),
        participants.build_router(),
        vacancies.build_router(),
        sessions.build_router(),
        staff.build_router(),
        broadcasts.build_router(),
        outcomes.build_router(),
        reports.build_router(),
        welcome_dialog(),
        registration_dialog(),
        contacts_dialog(),
        vacancy_post_dialog(),
        session_post_dialog(),
        found_job_dialog(),
        record_dialog(),
        organiser_dialog(),
        # After the dialogs (a step's typed answer is theirs), before the fallback: the
        # desk relays free text while a ticket is open, else the FAQ tries to answer it.
        desk.build_router(),
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
    in_flight = set(dispatcher._handle_update_tasks)  # as in App.updates_in_flight
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
