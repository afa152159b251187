"""What the bot counts for operators (Prometheus, served at /metrics). Ids and kinds only:
no label ever holds a person's data or a chat id.

Each metric is defined here once; the code that knows the fact updates it."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

UPDATES = Counter(
    "enavant_updates_total",
    "Telegram updates taken by this process, by type and outcome",
    ["type", "outcome"],  # outcome: handled, unhandled, failed, duplicate
)
HANDLER_SECONDS = Histogram(
    "enavant_update_seconds",
    "Time to handle one update, from taking it to the end of its handlers",
    ["type"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
OUTBOX_DEPTH = Gauge(
    "enavant_outbox_messages",
    "Outbox rows by status, as last counted by the clock",
    ["status"],
)
SENDS = Counter(
    "enavant_sends_total",
    "Bot API sending calls by lane and result",
    ["lane", "result"],  # lane: reply, bulk; result: ok, 429, 403, 4xx, 5xx, network
)
LIMITER_WAIT_SECONDS = Histogram(
    "enavant_limiter_wait_seconds",
    "Time a sending call waited for the limiter, by lane",
    ["lane"],
    buckets=(0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60),
)
TRANSLATIONS = Counter(
    "enavant_translations_total",
    "Translations asked for, by where the answer came from",
    ["source"],  # cache, glossary, provider, fallback
)
CLOCK_LEADER = Gauge(
    "enavant_clock_leader",
    "1 while this process holds the clock's leadership (runs the singleton jobs)",
)
