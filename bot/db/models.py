"""Database models. Each table keeps the least personal data its feature needs."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, utcnow


class User(Base):
    """A Telegram account that talked to the bot. Before consent only the language is kept."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    locale: Mapped[str | None] = mapped_column(String(5))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    # False once Telegram said 403 (the user blocked the bot); nothing is sent until they return.
    reachable: Mapped[bool] = mapped_column(default=True, server_default=true())
    blocked_at: Mapped[datetime | None]


class Territory:
    LRT = "LRT"  # Lille-Roubaix-Tourcoing
    FM = "FM"  # Flandres maritimes (Dunkerque area)
    WAPI = "WAPI"  # Wallonie picarde
    ALL = ("LRT", "FM", "WAPI")


class Role:
    CET = "cet"  # cross-border employment counsellor
    VDAB = "vdab"  # VDAB job consultant
    COORDINATOR = "coordinator"
    ALL = ("cet", "vdab", "coordinator")


class Staff(Base):
    """A counsellor, VDAB consultant or coordinator. Roles are checked on every staff action."""

    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    role: Mapped[str] = mapped_column(String(16))
    territory: Mapped[str | None] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(100))
    referral_code: Mapped[str] = mapped_column(String(32), unique=True)
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
    # Who answers their participants when they are away or late (escalation SLA), and until
    # when they are away (out of office; None = at work).
    backup_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    away_until: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ParticipantStatus:
    FOLLOWED = "followed"
    JOB = "job"
    TRAINING = "training"
    LEFT = "left"
    ALL = ("followed", "job", "training", "left")


class Participant(Base):
    """A person followed by the programme: registered in the bot, or imported by a counsellor
    (then `user_id` is empty until they open their invite link). Holds only what matching and
    follow-up need: never social security numbers, benefit amounts, health data or ID papers."""

    __tablename__ = "participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), unique=True)
    external_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    counsellor_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    consent_at: Mapped[datetime | None]
    first_name: Mapped[str | None] = mapped_column(String(64))
    territory: Mapped[str | None] = mapped_column(String(8))
    occupations: Mapped[list] = mapped_column(JSON, default=list)
    dutch_level: Mapped[str | None] = mapped_column(String(2))
    driving_licence: Mapped[bool | None]
    has_car: Mapped[bool | None]
    max_commute_km: Mapped[int] = mapped_column(default=30)
    home_postcode: Mapped[str | None] = mapped_column(String(10))
    home_lat: Mapped[float | None] = mapped_column(Float)
    home_lon: Mapped[float | None] = mapped_column(Float)
    availability: Mapped[list] = mapped_column(JSON, default=list)
    alert_mode: Mapped[str] = mapped_column(String(8), default="daily")
    status: Mapped[str] = mapped_column(String(16), default=ParticipantStatus.FOLLOWED)
    status_date: Mapped[date | None] = mapped_column(Date)
    employer: Mapped[str | None] = mapped_column(String(120))
    joined: Mapped[date | None] = mapped_column(Date)
    # The participant's forum topic in the counsellors' desk group, created on first contact.
    desk_thread_id: Mapped[int | None] = mapped_column(BigInteger)
    last_contact_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Indexed: the latest change tells a cached matching index whether it is stale.
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, index=True)
    # Reaching people who are not on Telegram (`bot/delivery/channels.py`). Each contact has
    # its own consent and its date; an opt-out (STOP) is kept with its date and honoured at
    # once. `locale` is the language of someone who never opened the bot (on Telegram the
    # account's language wins). `channels`: the channels in the person's order of preference.
    locale: Mapped[str | None] = mapped_column(String(5))
    phone: Mapped[str | None] = mapped_column(String(16))  # E.164
    phone_consent_at: Mapped[datetime | None]
    sms_stopped_at: Mapped[datetime | None]
    email: Mapped[str | None] = mapped_column(String(254))
    email_consent_at: Mapped[datetime | None]
    email_stopped_at: Mapped[datetime | None]
    channels: Mapped[list] = mapped_column(
        JSON,
        default=lambda: ["telegram", "sms", "email"],
        server_default='["telegram", "sms", "email"]',
    )


class Invite(Base):
    """A single-use, expiring link (`/start inv_<token>`) tying a Telegram account to an
    imported participant record."""

    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32), unique=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class FsmRecord(Base):
    """Conversation state (aiogram FSM and aiogram-dialog stacks), one row per storage key."""

    __tablename__ = "fsm_records"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    state: Mapped[str | None] = mapped_column(String(255))
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class OutboxStatus:
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"


class OutboxMessage(Base):
    """A message that matters, stored before it is sent (DESIGN.md §2.1).

    `payload` says what to send, rendered in the recipient's language at send time:
    a Fluent key and its variables, optional buttons, or a document/photo.
    """

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "not_before"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The Telegram chat; None for a message to a person not (yet) on Telegram.
    chat_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    # A message to a participant: the channel (Telegram, SMS, e-mail) is chosen when it is
    # sent, from the person's channels then (`bot/delivery/channels.py`). No foreign key:
    # the row outlives an erased person as a count.
    participant_id: Mapped[int | None] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(16))
    payload: Mapped[dict] = mapped_column(JSON)
    not_before: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger)
    error: Mapped[str | None] = mapped_column(Text)
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    campaign_id: Mapped[str | None] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # How it went: "telegram", "sms" or "email"; an SMS's segments (its cost); the
    # provider's id of the message and its delivery receipt ("delivered", "failed"...).
    channel: Mapped[str | None] = mapped_column(String(8))
    segments: Mapped[int | None] = mapped_column(SmallInteger)
    provider_ref: Mapped[str | None] = mapped_column(String(100), index=True)
    receipt: Mapped[str | None] = mapped_column(String(16))


class Contract:
    PERMANENT = "permanent"
    TEMPORARY = "temporary"
    INTERIM = "interim"
    ALL = ("permanent", "temporary", "interim")


class Schedule:
    DAY = "day"
    SHIFTS = "shifts"
    NIGHTS = "nights"
    WEEKENDS = "weekends"
    ALL = ("day", "shifts", "nights", "weekends")


class TranslationState:
    PENDING = "pending"  # not tried yet: the vacancy pipeline will translate it
    DONE = "done"
    UNAVAILABLE = "unavailable"  # every provider failed: the original is shown, marked so
    ALL = ("pending", "done", "unavailable")


class Vacancy(Base):
    """A job offer in West Flanders, written in `lang` (VDAB's are Dutch) and translated into
    the other language by the vacancy pipeline, never inside a participant's request."""

    __tablename__ = "vacancies"
    __table_args__ = (Index("ix_vacancies_open", "expires", "occupation"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(64), unique=True)
    lang: Mapped[str] = mapped_column(String(2), default="nl")
    title_nl: Mapped[str | None] = mapped_column(String(200))
    title_fr: Mapped[str | None] = mapped_column(String(200))
    description_nl: Mapped[str | None] = mapped_column(Text)
    description_fr: Mapped[str | None] = mapped_column(Text)
    translation: Mapped[str] = mapped_column(String(12), default=TranslationState.PENDING)
    employer: Mapped[str] = mapped_column(String(120))
    occupation: Mapped[str] = mapped_column(String(16))
    postcode: Mapped[str] = mapped_column(String(10))
    municipality: Mapped[str] = mapped_column(String(80))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    dutch_level: Mapped[str] = mapped_column(String(2), default="A0")
    driving_licence: Mapped[bool] = mapped_column(default=False)
    contract: Mapped[str] = mapped_column(String(12))
    schedule: Mapped[list] = mapped_column(JSON, default=list)
    hours_per_week: Mapped[int | None]
    published: Mapped[date] = mapped_column(Date)
    expires: Mapped[date | None] = mapped_column(Date)
    url: Mapped[str | None] = mapped_column(String(500))
    posted_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    # Set once instant alerts were computed for this version of the vacancy.
    alerted_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class AlertResponse:
    INTERESTED = "interested"
    NOT_FOR_ME = "not_for_me"


class VacancyAlert(Base):
    """A vacancy suggested to a participant: one row per pair, so nobody gets the same
    vacancy twice, and the participant's answer to it (a lead when "interested")."""

    __tablename__ = "vacancy_alerts"
    __table_args__ = (UniqueConstraint("participant_id", "vacancy_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancies.id"), index=True)
    score: Mapped[float] = mapped_column(Float)
    mode: Mapped[str] = mapped_column(String(8))  # instant | daily | weekly
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    response: Mapped[str | None] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(16))
    responded_at: Mapped[datetime | None]
    # How many times the person turned to "I'm interested" (each turn is a lead).
    interest: Mapped[int] = mapped_column(default=0, server_default="0")


class TranslationCacheEntry(Base):
    """A machine translation kept so the same text is never sent to a provider twice.
    `key` hashes the normalised text, the language pair and the glossary version."""

    __tablename__ = "translation_cache"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    source: Mapped[str] = mapped_column(String(2))
    target: Mapped[str] = mapped_column(String(2))
    text: Mapped[str] = mapped_column(Text)
    provider: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SessionStatus:
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"


class ProgrammeSession(Base):
    """An online company presentation, coaching or information session with limited seats.
    `confirmed` counts the confirmed bookings: it only moves by conditional updates, and the
    database refuses it past `capacity` (no overbooking, even under concurrency)."""

    __tablename__ = "sessions"
    __table_args__ = (
        CheckConstraint("confirmed >= 0 AND confirmed <= capacity", name="seats"),
        Index("ix_sessions_starts_at", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(24))
    title_fr: Mapped[str] = mapped_column(String(200))
    title_nl: Mapped[str | None] = mapped_column(String(200))
    description_fr: Mapped[str | None] = mapped_column(Text)
    description_nl: Mapped[str | None] = mapped_column(Text)
    starts_at: Mapped[datetime]
    duration_min: Mapped[int]
    url: Mapped[str] = mapped_column(String(500))
    capacity: Mapped[int]
    confirmed: Mapped[int] = mapped_column(default=0, server_default="0")
    territories: Mapped[list] = mapped_column(JSON, default=list)
    occupations: Mapped[list] = mapped_column(JSON, default=list)
    # Targeted Dutch levels (CEFR); empty = every level.
    dutch_levels: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")
    cutoff_hours: Mapped[int] = mapped_column(default=24)
    status: Mapped[str] = mapped_column(String(12), default=SessionStatus.DRAFT)
    # The calendar version (.ics SEQUENCE): one more at each change the booked are told of.
    sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    # The organiser said the attendance list is complete ("how was it?" then goes to those
    # who came, once the session has ended), and when that question went out.
    attendance_confirmed_at: Mapped[datetime | None]
    feedback_asked_at: Mapped[datetime | None]
    created_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class BookingStatus:
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"


class Attendance:
    ATTENDED = "attended"
    NO_SHOW = "no_show"
    ALL = (ATTENDED, NO_SHOW)


class Booking(Base):
    """A participant's seat, or place on the waitlist, for a session: one row per pair. The
    waitlist is served in the order people asked (`requested_at`, then id)."""

    __tablename__ = "bookings"
    __table_args__ = (UniqueConstraint("session_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    status: Mapped[str] = mapped_column(String(12))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when a freed seat went to them from the waitlist (they are told and may decline).
    promoted_at: Mapped[datetime | None]
    # The staff member who booked for them (a phone call), else they booked themselves.
    booked_by: Mapped[int | None]
    # Which seat of this person in this session the booking holds: one more each time they
    # take a seat (booked again after a cancel, promoted from the waitlist). A seat's
    # reminders and calendar file belong to it, so a new seat gets its own.
    seat: Mapped[int] = mapped_column(default=0, server_default="0")
    attendance: Mapped[str | None] = mapped_column(String(10))  # Attendance, after the session
    rating: Mapped[int | None] = mapped_column(SmallInteger)  # "how was it?", 1-5
    comment: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class TicketStatus:
    OPEN = "open"  # the participant waits for staff
    WAITING = "waiting"  # staff answered; waiting for the participant
    CLOSED = "closed"
    ACTIVE = (OPEN, WAITING)


class TicketTopic:
    QUESTION = "question"
    MOBILITY = "mobility"  # mobility aid
    CONTRACT = "contract"  # contract or payslip
    OTHER = "other"
    ALL = (QUESTION, MOBILITY, CONTRACT, OTHER)


class Ticket(Base):
    """A participant's request to talk to a human. Holds times and who answered, never the
    messages themselves (they are copied to the counsellor, not stored)."""

    __tablename__ = "tickets"
    __table_args__ = (Index("ix_tickets_status", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    topic: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(10), default=TicketStatus.OPEN)
    # Who is expected to answer now (the counsellor, then the backup after the SLA).
    counsellor_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    due_at: Mapped[datetime | None]  # first answer expected by (one working day)
    first_answer_at: Mapped[datetime | None]
    first_answer_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    nudged_at: Mapped[datetime | None]
    escalated_at: Mapped[datetime | None]  # handed to the backup counsellor
    last_participant_at: Mapped[datetime | None]
    last_staff_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]


class BroadcastStatus:
    DRAFT = "draft"
    SENDING = "sending"
    DONE = "done"
    CANCELLED = "cancelled"


class Broadcast(Base):
    """A message staff send to many participants at once, through the outbox (rows under
    `broadcast:<id>:<participant>`), with its audience and a progress message to edit."""

    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    # "mine", "territory", "occupation", "session" or "everyone", and its value.
    audience: Mapped[str] = mapped_column(String(16))
    audience_value: Mapped[str | None] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    # An attached photo or document: {"kind": "photo"|"document", "file_id": ...}.
    attachment: Mapped[dict | None] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10), default=BroadcastStatus.DRAFT)
    total: Mapped[int] = mapped_column(default=0)
    # The staff member's progress message ("sent 120 / 300"), edited at most every 5 s.
    progress_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    progress_message_id: Mapped[int | None] = mapped_column(BigInteger)
    progress_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]


class OutcomeKind:
    JOB = "job"
    TRAINING = "training"  # including IBO (individuele beroepsopleiding)
    LEFT = "left"
    ALL = (JOB, TRAINING, LEFT)


class Outcome(Base):
    """How a participant's path ended (or moved): a job, a training, leaving the programme.
    Recorded by staff, or reported by the participant ("I found a job!") and confirmed by
    their counsellor; the participant's status follows the confirmed outcome."""

    __tablename__ = "outcomes"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    employer: Mapped[str | None] = mapped_column(String(120))
    occupation: Mapped[str | None] = mapped_column(String(16))  # ESCO code
    contract: Mapped[str | None] = mapped_column(String(16))
    training: Mapped[str | None] = mapped_column(String(120))  # e.g. "IBO", a course name
    start_date: Mapped[date | None] = mapped_column(Date)
    reported_by_participant: Mapped[bool] = mapped_column(default=False)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    confirmed_at: Mapped[datetime | None]
    confirmed_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class GroupNote(Base):
    """A group or channel where the bot said, once, that it works in private chats only.
    The chat's id and when: nothing about the people in it."""

    __tablename__ = "group_notes"

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    said_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReceivedUpdate(Base):
    """The webhook's inbox: an update Telegram posted, kept from the moment it is answered 200
    until it is handled (then its payload, which holds personal data, is cleared). Its id
    stays for UPDATE_DEDUPE_TTL_S so a delivery repeated by Telegram, or sent to another
    replica, is recognised and not handled twice. `chat_key` (a chat id, else a user id)
    keeps one chat's updates handled in the order Telegram sent them; `taken_until` is the
    lease of the replica handling it (renewed while it works; once past, another takes it)."""

    __tablename__ = "received_updates"
    __table_args__ = (Index("ix_received_updates_undone", "done_at", "taken_until"),)

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    payload: Mapped[str | None] = mapped_column(Text)
    chat_key: Mapped[int | None] = mapped_column(BigInteger, index=True)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    taken_until: Mapped[datetime]
    done_at: Mapped[datetime | None]


class UsedLink(Base):
    """A one-tap link (`bot/services/sessions/links.py`) that did its work: kept so the same
    link books nothing a second time. The link itself is not kept, only its SHA-256, so the
    table cannot be read back into working links."""

    __tablename__ = "used_links"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    used_at: Mapped[datetime] = mapped_column(default=utcnow)
    participant_id: Mapped[int] = mapped_column(index=True)
    session_id: Mapped[int]
