"""The page of a one-tap link (`/b/<token>`, `bot/services/sessions/links.py`): what someone
without Telegram opens from an SMS or an e-mail to confirm a seat.

- GET shows the session and one button; it books nothing (SMS apps and link previewers open
  links by themselves). The button is a form that POSTs to the same address, which books.
- One small page: no script, no outside file, big text and a big button, in the person's
  language (a link that is not ours: the browser's language).
- A link that is not ours is answered without touching the database. Logs carry ids only,
  never the link.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from string import Template
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.db.base import utcnow
from bot.db.models import BookingStatus
from bot.i18n import DEFAULT_LOCALE, HtmlFluentCore
from bot.services.sessions import links
from bot.services.sessions.common import session_vars
from bot.services.sessions.links import LinkState, LinkView

log = logging.getLogger(__name__)

# What each state says (messages of content/<locale>/links.ftl).
MESSAGES: dict[LinkState, str] = {
    LinkState.INVALID: "link-invalid",
    LinkState.EXPIRED: "link-expired",
    LinkState.USED: "link-used",
    LinkState.GONE: "link-gone",
    LinkState.CANCELLED: "link-cancelled",
    LinkState.CLOSED: "link-closed",
    LinkState.PAST: "link-past",
    LinkState.CUTOFF: "link-cutoff",
    LinkState.OPEN: "link-session",
    LinkState.ALREADY_CONFIRMED: "link-already-confirmed",
    LinkState.ALREADY_WAITING: "link-already-waiting",
    LinkState.BOOKED: "link-booked",
    LinkState.WAITLISTED: "link-waitlisted",
}
# The session is shown above the answer when the answer does not name it.
SHOW_SESSION = {LinkState.EXPIRED, LinkState.CANCELLED, LinkState.PAST, LinkState.CUTOFF}
STATUS = {LinkState.INVALID: 404}
TRAILING = ".,;:!?)]»\"'"

PAGE = Template(
    """<!doctype html>
<html lang="$lang">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>$title</title>
<style>
body{margin:0;padding:1.25rem .75rem;background:#f2f4f7;color:#1b1f23;
font:1.15rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif}
main{max-width:32rem;margin:0 auto;background:#fff;border-radius:12px;padding:1.25rem;
box-shadow:0 1px 3px rgba(0,0,0,.15)}
h1{margin:0 0 1rem;font-size:1rem;font-weight:600;color:#4a5568}
p{margin:0 0 .75rem}
.session{padding:.75rem 1rem;border-left:4px solid #0b6e4f;background:#f6faf8;margin:0 0 1rem}
.session p{margin:0}
button{display:block;width:100%;min-height:3.5rem;margin:1.25rem 0 .75rem;border:0;
border-radius:10px;background:#0b6e4f;color:#fff;font:inherit;font-weight:700;cursor:pointer}
button:focus{outline:3px solid #f0b400;outline-offset:2px}
.note{color:#4a5568;font-size:1rem}
</style>
</head>
<body>
<main>
<h1>$title</h1>
$body
</main>
</body>
</html>
"""
)
HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
}


def _paragraphs(text: str, css: str | None = None) -> str:
    """Rendered Fluent text (its variables already escaped) as paragraphs."""
    opening = f'<p class="{css}">' if css else "<p>"
    return "\n".join(f"{opening}{line}</p>" for line in text.splitlines() if line.strip())


def browser_locale(accept_language: str) -> str:
    """The first of our languages in the browser's Accept-Language, else French."""
    for part in accept_language.split(","):
        tag = part.split(";", 1)[0].strip().lower()
        if tag.startswith("nl"):
            return "nl"
        if tag.startswith("fr"):
            return "fr"
    return DEFAULT_LOCALE


class LinkPages:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        core: HtmlFluentCore,
        secret: bytes,
        tz: ZoneInfo,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.core = core
        self.secret = secret
        self.tz = tz
        self.clock = clock

    def render(self, view: LinkView) -> web.Response:
        locale = view.locale
        variables: dict[str, Any] = {}
        if view.programme_session is not None:
            variables = session_vars(view.programme_session, self.tz)
            variables["hours"] = view.programme_session.cutoff_hours
        variables |= {"position": view.position or 0, "plan": view.plan or "other"}
        parts = []
        if view.state in SHOW_SESSION or view.state == LinkState.OPEN:
            session_text = self.core.render("link-session", locale, variables)
            parts.append(f'<div class="session">{_paragraphs(session_text)}</div>')
        if view.state == LinkState.OPEN:
            button = self.core.get("link-confirm-button", locale)
            parts.append(f'<form method="post"><button type="submit">{button}</button></form>')
            parts.append(_paragraphs(self.core.get("link-confirm-note", locale), "note"))
        else:
            if view.state == LinkState.USED and view.holding is not None:
                held = (
                    LinkState.ALREADY_CONFIRMED
                    if view.holding == BookingStatus.CONFIRMED
                    else LinkState.ALREADY_WAITING
                )
                parts.append(_paragraphs(self.core.render(MESSAGES[held], locale, variables)))
            parts.append(_paragraphs(self.core.render(MESSAGES[view.state], locale, variables)))
        body = PAGE.substitute(
            lang=locale, title=self.core.get("link-page-title", locale), body="\n".join(parts)
        )
        return web.Response(
            text=body,
            content_type="text/html",
            charset="utf-8",
            status=STATUS.get(view.state, 200),
            headers=HEADERS,
        )

    def _claim(self, request: web.Request) -> links.LinkClaim | None:
        # A link at the end of a sentence may come with the sentence's punctuation, which
        # is no character of a link.
        token = request.match_info["token"].rstrip(TRAILING)
        claim = links.verify(self.secret, token)
        if claim is None:
            log.info("link page: a link that is not ours (%s)", request.method)
        return claim

    def _invalid(self, request: web.Request) -> web.Response:
        locale = browser_locale(request.headers.get("Accept-Language", ""))
        return self.render(LinkView(LinkState.INVALID, locale))

    def _error(self, request: web.Request, error: Exception) -> web.Response:
        log.warning("link page: %s failed: %s", request.method, type(error).__name__)
        locale = browser_locale(request.headers.get("Accept-Language", ""))
        text = _paragraphs(self.core.get("link-error", locale))
        body = PAGE.substitute(
            lang=locale, title=self.core.get("link-page-title", locale), body=text
        )
        return web.Response(
            text=body, content_type="text/html", charset="utf-8", status=503, headers=HEADERS
        )

    async def show(self, request: web.Request) -> web.Response:
        """GET: the session and the button; nothing is booked."""
        claim = self._claim(request)
        if claim is None:
            return self._invalid(request)
        try:
            async with self.sessionmaker() as session:
                view = await links.look(session, claim, self.clock())
        except (SQLAlchemyError, OSError) as error:
            return self._error(request, error)
        return self.render(view)

    async def confirm(self, request: web.Request) -> web.Response:
        """POST (the button): the seat, else the waitlist; the link is then used."""
        claim = self._claim(request)
        if claim is None:
            return self._invalid(request)
        try:
            async with self.sessionmaker() as session, session.begin():
                view = await links.book(session, claim, self.clock(), self.tz)
        except (SQLAlchemyError, OSError) as error:
            return self._error(request, error)
        log.info(
            "link page: %s for participant %s, session %s",
            view.state.value,
            claim.participant_id,
            claim.session_id,
        )
        return self.render(view)


def link_routes(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    core: HtmlFluentCore,
    clock: Callable[[], datetime] = utcnow,
) -> list[web.RouteDef]:
    """GET and POST `/b/{token}` for the webhook server (or HEALTH_PORT's); none when
    PUBLIC_URL is not set (no link is made then)."""
    secret = links.link_secret(settings)
    if secret is None:
        return []
    pages = LinkPages(sessionmaker, core, secret, ZoneInfo(settings.tz), clock)
    path = links.PATH + "{token}"
    return [web.get(path, pages.show, allow_head=False), web.post(path, pages.confirm)]
