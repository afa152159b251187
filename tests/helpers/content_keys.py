"""The Fluent keys of content/ and the keys the code names or builds (read from its syntax
tree): tests/test_content.py holds them to each other, tests/content/ to their SMS texts."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from fluent.syntax import FluentParser, visitor
from fluent.syntax import ast as ftl

from bot.i18n import CONTENT_DIR


class _Variables(visitor.Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def visit_VariableReference(self, node: ftl.VariableReference) -> None:
        self.names.add(node.id.name)


def messages(locale: str) -> dict[str, set[str]]:
    """key -> variables used, over every .ftl file of one locale."""
    found: dict[str, set[str]] = {}
    for path in sorted((CONTENT_DIR / locale).rglob("*.ftl")):
        resource = FluentParser().parse(path.read_text(encoding="utf-8"))
        junk = [entry for entry in resource.body if isinstance(entry, ftl.Junk)]
        assert not junk, f"{path}: syntax error: {junk[0].annotations[0].message}"
        for entry in resource.body:
            if isinstance(entry, ftl.Message | ftl.Term):
                collector = _Variables()
                collector.visit(entry)
                key = entry.id.name if isinstance(entry, ftl.Message) else f"-{entry.id.name}"
                assert key not in found, f"{path}: {key} defined twice"
                found[key] = collector.names
    return found


BOT = CONTENT_DIR.parent / "bot"


def _code() -> Iterator[Path]:
    """The bot's modules (the Telegram sandbox speaks no Fluent)."""
    return (path for path in sorted(BOT.rglob("*.py")) if "sandbox" not in path.parts)


def _template(node: ast.AST) -> str | None:
    """A string literal as is; an f-string with `{}` for each part filled in."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    return None


def _strings(node: ast.AST) -> Iterator[tuple[str, bool]]:
    """(template, built from parts) of each string `node` may be (`a if c else b` is two)."""
    if isinstance(node, ast.IfExp):
        yield from _strings(node.body)
        yield from _strings(node.orelse)
    elif (template := _template(node)) is not None:
        yield template, isinstance(node, ast.JoinedStr)


def _is_key_name(name: str | None) -> bool:
    return bool(name) and (name == "key" or name.endswith("_key")) and name != "dedupe_key"


# Calls with a `key=` argument that is no Fluent key: `steps.choices(.., key=)` names the
# getter's item list.
_NOT_FLUENT_KEY_ARGUMENT = {"choices"}


def _named_keys(tree: ast.AST) -> Iterator[ast.AST]:
    """The expressions in `tree` that the code uses as a Fluent key."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            callee = ast.unparse(node.func)
            if node.args and (
                callee == "I18nText" or callee.endswith(("i18n.get", "core.get", "['i18n'].get"))
            ):
                yield node.args[0]
            if callee.rsplit(".", 1)[-1] not in _NOT_FLUENT_KEY_ARGUMENT:
                yield from (kw.value for kw in node.keywords if _is_key_name(kw.arg))
        elif isinstance(node, ast.Dict):
            for name, value in zip(node.keys, node.values, strict=True):
                if isinstance(name, ast.Constant) and name.value == "key":
                    yield value
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and _is_key_name(t.id) for t in targets):
                yield node.value


def keys_in_code(known: set[str]) -> tuple[dict[str, str], dict[str, str]]:
    """(key -> where, template -> where): the keys the code names, and the ones it builds."""
    families = {key[: i + 1] for key in known for i, c in enumerate(key) if c == "-"}
    named: dict[str, str] = {}
    built: dict[str, str] = {}
    for path in _code():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = path.relative_to(BOT.parent).as_posix()
        for node in _named_keys(tree):
            for template, from_parts in _strings(node):
                found = built if from_parts else named
                found.setdefault(template, f"{where}:{node.lineno}")
        for node in ast.walk(tree):
            template = _template(node)
            if isinstance(node, ast.JoinedStr) and template.split("{}")[0] in families:
                built.setdefault(template, f"{where}:{node.lineno}")
    return named, built


def _arguments(module: str, function: str, position: int) -> set[str]:
    """The string literals that module `module` (its path under bot/, e.g. "flows/sessions/post",
    or a folder's, "services/sessions/")
    passes to `function` at `position`."""
    found = set()
    for path in (path for path in _code() if module in path.with_suffix("").as_posix()):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and ast.unparse(node.func).rsplit(".", 1)[-1] == function
                and len(node.args) > position
                and isinstance(node.args[position], ast.Constant)
            ):
                found.add(node.args[position].value)
    assert found, f"no call of {function} in {module}: the test is out of date"
    return found


def families() -> dict[str, set[str]]:
    """Each key built from parts -> every key it makes."""
    from bot.app import COMMANDS, STAFF_COMMANDS
    from bot.common import reference
    from bot.common.phones import PhoneProblem
    from bot.db.models import (
        Attendance,
        Contract,
        OutcomeKind,
        ParticipantStatus,
        Role,
        Schedule,
        Territory,
        TicketTopic,
    )
    from bot.flows.common.states import SESSION_CHANGES as CHANGES
    from bot.flows.participants import registration
    from bot.services.participants import counsellors
    from bot.services.participants.people import ALERT_MODES, DUTCH_LEVELS
    from bot.services.participants.reached import REACHES
    from bot.services.reports import programme as report
    from bot.services.sessions import after_session, reminders
    from bot.services.sessions.common import KINDS
    from bot.services.staff import rights
    from bot.services.vacancies import alerts

    def of(template: str, *values) -> set[str]:
        return {template.format(value) for value in values}

    written = set(messages("fr"))

    refused = {
        "BookingRefused": _arguments("services/sessions/bookings", "BookingRefused", 0),
        "SessionRefused": _arguments("services/sessions/", "SessionRefused", 0),
    }
    session_steps = {
        name.replace("_", "-") for name in _arguments("flows/sessions/post", "_step", 1)
    }
    vacancy_steps = _arguments("flows/vacancies/post", "_text_step", 1)
    vacancy_answers = _arguments("flows/vacancies/answers", "_text", 0)
    previews = _arguments("flows/sessions/post", "preview_window", 0) | _arguments(
        "flows/vacancies/post", "preview_window", 0
    )
    one_lines = {"spost-title", *of("vpost-{}", *vacancy_answers)}
    # The reasons a vacancy fits (`matching.reasons_for`), for the participant or about them.
    reasons = {"occupation", "related", "distance", "dutch", "licence"}
    reasons |= of("schedule-{}", *Schedule.ALL)
    channels = ("telegram", "sms", "email")
    stoppable = ("sms", "email")
    return {
        "cmd-{}": of("cmd-{}", *COMMANDS, *STAFF_COMMANDS),
        "{}-short": of("{}-short", *one_lines),
        "{}-long": of("{}-long", *one_lines),
        "{}-preview": of("{}-preview", *previews),
        "{}-publish": of("{}-publish", *previews),
        "{}-edit": of("{}-edit", *previews),
        "{}-cancel": of("{}-cancel", *previews),
        "{}-{}": (
            # registration's choice steps, the vacancy post's labels, the reasons a vacancy fits
            of("dutch-{}", *DUTCH_LEVELS)
            | of("availability-{}", *registration.AVAILABILITY, *Schedule.ALL)
            | of("alerts-{}", *ALERT_MODES)
            | of("contract-{}", *Contract.ALL)
            | of("match-reason-{}", *reasons)
            | of("staff-reason-{}", *reasons)
        ),
        "bc-audience-{}": of("bc-audience-{}", *rights.AUDIENCES),
        "territory-{}": of("territory-{}", *Territory.ALL),
        "alerts-{}": of("alerts-{}", *ALERT_MODES),
        "availability-{}": of("availability-{}", *registration.AVAILABILITY),
        "dutch-{}": of("dutch-{}", *DUTCH_LEVELS),
        "profile-edit-{}": of("profile-edit-{}", *registration.EDITABLE, registration.CONTACTS),
        # A person's contacts (`/profile`), how they are reached, a counsellor's STOP.
        "channel-{}": of("channel-{}", *channels),
        "contacts-first-{}": of("contacts-first-{}", *channels),
        "contacts-phone-{}": of("contacts-phone-{}", *PhoneProblem),
        "contacts-saved-{}": of("contacts-saved-{}", *stoppable),
        "contacts-removed-{}": of("contacts-removed-{}", *stoppable),
        "contacts-stopped-{}": of("contacts-stopped-{}", *stoppable),
        "lead-stop-{}": of("lead-stop-{}", *stoppable),
        "staff-stopped-{}": of("staff-stopped-{}", *stoppable),
        "reach-{}": of("reach-{}", *REACHES),
        "sector-{}": of("sector-{}", *{o.sector for o in reference.load_occupations()}),
        "spost-{}": of("spost-{}", *session_steps),
        "vpost-{}": of("vpost-{}", *vacancy_steps, *vacancy_answers),
        "session-kind-{}": of("session-kind-{}", *KINDS),
        "esc-topic-{}": of("esc-topic-{}", *TicketTopic.ALL),
        "report-{}": of("report-{}", *(m.replace("_", "-") for m in report.METRICS))
        | of("report-{}", "this-month", "last-month", "this-year"),
        "out-summary-{}": of("out-summary-{}", *OutcomeKind.ALL),
        "out-kind-{}": of("out-kind-{}", *OutcomeKind.ALL),
        "out-status-{}": of("out-status-{}", *ParticipantStatus.ALL),
        "contract-{}": of("contract-{}", *Contract.ALL),
        "desk-attendance-{}": of("desk-attendance-{}", *Attendance.ALL, "unmarked"),
        # What staff may change from the session desk, and why a change is refused there.
        "desk-ask-{}": of("desk-ask-{}", *CHANGES),
        "desk-confirm-{}": of("desk-confirm-{}", *CHANGES),
        "desk-changed-{}": of("desk-changed-{}", *CHANGES),
        "desk-refused-{}": of("desk-refused-{}", *refused["SessionRefused"] - {"not_started"}),
        "desk-book-refused-{}": of("desk-book-refused-{}", *refused["BookingRefused"]),
        "desk-book-{}": of("desk-book-{}confirmed", "", "already-")
        | of("desk-book-{}waitlisted", "", "already-"),
        "session-refused-{}": of("session-refused-{}", *refused["BookingRefused"]),
        "reassign-refused-{}": of("reassign-refused-{}", *counsellors.REFUSALS),
        "staff-role-{}": of("staff-role-{}", *Role.ALL),
        "alert-reason-{}": of("alert-reason-{}", *alerts.NOT_FOR_ME_REASONS, "skip"),
        "reminder-{}": of("reminder-{}", *(when for when, _ in reminders.REMINDERS))
        | of("reminder-{}", reminders.LINK_NOW),
        # The notices of a seat someone did not book themselves (`sessions._seated`).
        "session-{}": of("session-{}", "promoted", "booked-for"),
        "session-rate-{}": of("session-rate-{}", *after_session.RATINGS),
        # A message's SMS and e-mail texts (`bot/delivery/channels.py`), those written:
        # tests/content/test_sms_texts.py holds each to a message the bot sends.
        "sms-{}": {key for key in written if key.startswith("sms-")},
        "mail-{}": {
            key for key in written if key.startswith("mail-") and not key.endswith("-subject")
        },
        "mail-{}-subject": {
            key for key in written if key.startswith("mail-") and key.endswith("-subject")
        },
        # The version of an SMS or e-mail text with a one-tap link in it (`people.py`).
        "{}-link": {key for key in written if key.endswith("-link")},
    }


# f-strings that start like a family of keys but are no key.
NOT_KEYS = {
    "session-{}@{}",  # an .ics event's UID
    "session-{}.ics",  # a file name
    "bot-{}",  # the id of a vacancy posted in the bot
    "desk-{}",  # the action a staff member was refused, for the log (`rights.refused`)
}
