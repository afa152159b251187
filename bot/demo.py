"""`enavant demo`: the sandbox and the bot in one process, on a throw-away database.

In a terminal the person chats as a participant (buttons are numbered; typing the number
presses it). Without a terminal a scripted tour runs and its transcript is printed.
Each capability adds its steps to TOUR.
"""

from __future__ import annotations

import asyncio
import re
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot.app import App, create_app
from bot.common.clock import today_in
from bot.common.content import EXAMPLES_DIR
from bot.config import Settings
from bot.db.models import ProgrammeSession
from bot.i18n import build_core
from bot.sandbox import SandboxError, SandboxServer, UserClient
from bot.scheduler import ShiftedTime
from bot.services.sessions import audience
from bot.services.staff.members import add_staff
from bot.services.vacancies.offers import import_vacancies

DEMO_TOKEN = "100000:DEMO"
EXAMPLE_VACANCIES = EXAMPLES_DIR / "vacancies.csv"

Say = Callable[[str], None]


# The example file was written on this day: the demo moves its dates (published, expires) by
# as many days as have passed since, so its vacancies are as fresh on any day it runs.
EXAMPLES_WRITTEN = date(2026, 12, 1)


def moved_to(text: str, today: date) -> str:
    shift = today - EXAMPLES_WRITTEN
    return re.sub(
        r"\b(\d{4})-(\d{2})-(\d{2})\b",
        lambda m: (date(*map(int, m.groups())) + shift).isoformat(),
        text,
    )


@dataclass(frozen=True)
class Step:
    """One action of the participant (or, with `staff`, of counsellor Karim): `text` is sent
    as is, `press` is a Fluent key of a button label, `label` a button label from reference
    data (an occupation) or with a number. `event` is something happening elsewhere (a name
    in `Events`): staff importing vacancies, what a counsellor receives, the clock."""

    text: str | None = None
    press: str | None = None
    label: str | None = None
    event: str | None = None
    staff: bool = False


TOUR = (
    Step(text="/start"),
    Step(press="lang-button-fr"),
    # registration
    Step(press="reg-consent-yes"),
    Step(press="territory-LRT"),
    Step(text="carist"),
    Step(label="👍 Oui : Cariste"),
    Step(press="dutch-A2"),
    Step(press="transport-licence"),
    Step(label="30 km"),
    Step(text="59200"),
    Step(press="availability-day"),
    Step(press="availability-shifts"),
    Step(press="button-next"),
    Step(press="alerts-instant"),
    # vacancies: VDAB's file comes in, a matching one is sent at once, she is interested
    Step(event="import_vacancies"),
    Step(press="alert-interested"),
    Step(event="counsellor_inbox"),
    Step(text="/jobs"),
    # sessions: an online company presentation is published, she books a seat, gets the
    # calendar file, and the day before, the reminder
    Step(event="publish_session"),
    Step(press="session-book"),
    Step(event="next_day"),
    Step(press="reminder-coming"),
    Step(text="/sessions"),
    # a counsellor's day: a question answered by the FAQ, another answered by Karim, a
    # message to his territory, a job found and confirmed, the programme report
    Step(text="Est-ce que je dois déclarer mon salaire belge pour le RSA ?"),
    Step(press="faq-helped-yes"),
    Step(press="menu-talk"),
    Step(press="esc-topic-contract"),
    Step(text="Mon contrat commence lundi : faut-il prévenir la CAF tout de suite ?"),
    Step(event="counsellor_inbox"),
    Step(staff=True, press="esc-reply"),
    Step(
        staff=True,
        text="Bonjour Amélie ! Oui, déclarez-le à la CAF ce trimestre. On en parle jeudi.",
    ),
    Step(event="participant_inbox"),
    Step(press="esc-close"),
    Step(staff=True, text="/broadcast"),
    Step(
        staff=True,
        text="Atelier CV en ligne jeudi à 14:00 : inscrivez-vous avec /sessions. Bonne semaine !",
    ),
    Step(staff=True, press="bc-audience-territory"),
    Step(staff=True, press="territory-LRT"),
    Step(staff=True, press="bc-send"),
    Step(event="participant_inbox"),
    Step(text="/menu"),
    Step(press="menu-found-job"),
    Step(text="Vlaamse Verpakking"),
    Step(press="out-found-next-week"),
    Step(event="counsellor_inbox"),
    Step(staff=True, press="out-button-confirm"),
    Step(event="participant_inbox"),
    Step(staff=True, text="/report"),
    Step(staff=True, press="report-this-month"),
    Step(event="report_chart"),
    Step(text="/help"),
    Step(text="/cancel"),
)


_SHOWN: set[tuple[int, int, str | None]] = set()
_PHOTO_CHATS: set[int] = set()  # chats where a photo was shown


def render(message) -> str:
    lines = [f"🤖 {message.text or message.caption or ''}"]
    if message.document is not None:
        lines.append(f"   📎 {message.document.filename}")
    if message.photo is not None:
        lines.append("   🖼 (photo)")
        _PHOTO_CHATS.add(message.chat_id)
    number = 1
    for row in message.buttons:
        cells = []
        for button in row:
            cells.append(f"[{number}] {button.text}")
            number += 1
        lines.append("   " + "   ".join(cells))
    return "\n".join(lines)


async def _show_replies(user: UserClient, say: Say, wait_s: float = 10.0) -> None:
    # A generous settle: the limiter may space messages by up to a second, as Telegram wants.
    for message in await user.replies(timeout=wait_s, settle=1.2):
        seen = (message.chat_id, message.message_id, message.text)
        if message.edited and seen in _SHOWN:
            continue  # a finished step losing its buttons: nothing new to read
        _SHOWN.add(seen)
        say(render(message))


class Events:
    """What happens on the staff side during the tour."""

    def __init__(
        self,
        app: App,
        participant: UserClient,
        counsellor: UserClient,
        say: Say,
        time: ShiftedTime,
    ) -> None:
        self.app, self.participant, self.counsellor = app, participant, counsellor
        self.say, self.time = say, time

    async def import_vacancies(self) -> None:
        today = today_in(self.app.clock.tz)
        text = moved_to(EXAMPLE_VACANCIES.read_text(encoding="utf-8"), today)
        async with self.app.sessionmaker() as session:
            report = await import_vacancies(session, text, "csv", today)
            await session.commit()
        self.say(f"\n🏢 VDAB imports {EXAMPLE_VACANCIES.name}: {report.summary}")

    async def publish_session(self) -> None:
        """Karim publishes an online presentation for forklift drivers, in two days."""
        async with self.app.sessionmaker() as session:
            presentation = ProgrammeSession(
                kind="company_presentation",
                title_fr="Vlaamse Verpakking (Courtrai) présente ses métiers",
                title_nl="Vlaamse Verpakking (Kortrijk) stelt haar jobs voor",
                description_fr="Une heure en ligne : l'usine, les équipes, les postes de cariste.",
                # On the hour, two days and a bit from now (the demo's clock).
                starts_at=(self.time() + timedelta(days=2, hours=3)).replace(
                    minute=0, second=0, microsecond=0
                ),
                duration_min=60,
                url="https://meet.jit.si/enavant-vlaamse-verpakking",
                capacity=12,
                cutoff_hours=2,
                occupations=["8344.1"],
            )
            session.add(presentation)
            await session.flush()
            invited = await audience.publish(session, presentation, self.time(), self.app.clock.tz)
            await session.commit()
        self.say(f"\n📣 Karim publishes an online company presentation: {invited} invited")

    async def next_day(self) -> None:
        self.time.advance(timedelta(days=1, hours=3))
        self.say("\n⏩ The demo's clock moves on a day: the session is tomorrow")

    async def report_chart(self) -> None:
        """The chart is drawn in a worker thread: on a busy machine it comes after the table
        (the only photo Karim gets in the tour)."""
        if self.counsellor.user_id not in _PHOTO_CHATS:
            await _show_replies(self.counsellor, self.say, wait_s=30.0)

    async def participant_inbox(self) -> None:
        self.say("\n📱 Meanwhile, Amélie receives:")
        await _show_replies(self.participant, self.say)

    async def counsellor_inbox(self) -> None:
        self.say(f"\n💼 Meanwhile, counsellor {self.counsellor.first_name} receives:")
        await _show_replies(self.counsellor, self.say)


async def play_tour(user: UserClient, say: Say, events: Events) -> None:
    core = build_core()
    for step in TOUR:
        if step.event is not None:
            await getattr(events, step.event)()
            if step.event.endswith("_inbox"):
                continue
            await _show_replies(user, say)
            continue
        actor, icon = (events.counsellor, "💼") if step.staff else (user, "👤")
        if step.text is not None:
            say(f"\n{icon} {actor.first_name}: {step.text}")
            await actor.send_text(step.text)
        else:
            label = step.label or core.get(step.press, "fr")
            say(f"\n{icon} {actor.first_name} presses [{label}]")
            await _press(actor, label, say)
        await _show_replies(actor, say)


async def _press(actor: UserClient, label: str, say: Say, attempts: int = 3) -> None:
    """Press a button; on a busy machine the message carrying it may still be on its way
    (the limiter paces messages), so what arrives meanwhile is shown and it is tried again."""
    for attempt in range(attempts):
        try:
            await actor.press(label)
            return
        except SandboxError:
            if attempt == attempts - 1:
                raise
            await _show_replies(actor, say)


async def chat(user: UserClient, say: Say) -> None:
    say("Type a message, a /command, or the number of a button. /quit ends the demo.")
    await user.send_text("/start")
    await _show_replies(user, say)
    loop = asyncio.get_running_loop()
    while True:
        raw = await loop.run_in_executor(None, sys.stdin.readline)
        line = raw.strip()
        if raw == "" or line == "/quit":
            return
        if not line:
            continue
        if line.isdigit():
            buttons = [b for row in (await user.last_message_with_buttons()).buttons for b in row]
            index = int(line) - 1
            if not 0 <= index < len(buttons):
                say(f"(no button {line})")
                continue
            await user.press(buttons[index].text)
        else:
            await user.send_text(line)
        await _show_replies(user, say)


def midday_zone() -> str:
    """A fixed-offset zone where it is now about noon. The demo (and tests) run on it so the
    alerts they show are not held back by the quiet hours (21:00-08:00) whatever the hour."""
    offset = 12 - datetime.now(UTC).hour  # from -11 to +12 hours
    return "Etc/GMT" if offset == 0 else f"Etc/GMT{-offset:+d}"  # Etc/ signs are inverted


async def _counsellor(app: App, server: SandboxServer) -> UserClient:
    """Karim, the counsellor for Lille-Roubaix-Tourcoing, with his chat open."""
    async with app.sessionmaker() as session:
        await add_staff(session, telegram_id=4343, role="cet", territory="LRT", name="Karim")
        await session.commit()
    karim = server.user(4343, "Karim")
    await karim.send_text("/menu")
    await karim.replies(timeout=3.0)
    return karim


async def run_demo(interactive: bool, say: Say = print) -> None:
    with tempfile.TemporaryDirectory() as folder:
        server = SandboxServer(token=DEMO_TOKEN)
        await server.start(host="127.0.0.1", port=0)
        settings = Settings(
            bot_token=DEMO_TOKEN,
            telegram_api_url=server.url,
            database_url=f"sqlite+aiosqlite:///{Path(folder) / 'demo.db'}",
            redis_url=None,
            tz=midday_zone(),
            _env_file=None,
        )
        time = ShiftedTime()
        app = create_app(settings, now=time)
        try:
            await app.start(polling_timeout=1)
            user = UserClient(server.url, user_id=4242, first_name="Amélie", language_code="fr")
            counsellor = await _counsellor(app, server)
            say(f"En Avant · Vooruit demo: sandbox on {server.url}, participant {user.first_name}")
            say("(the demo's clock says midday, so alerts are not held for the night)")
            if interactive:
                await chat(user, say)
            else:
                await play_tour(user, say, Events(app, user, counsellor, say, time))
        except SandboxError as error:
            say(f"\ndemo stopped: {error}")
            raise SystemExit(1) from None
        finally:
            await app.close()
            await server.stop()
