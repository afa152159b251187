"""Outbox keys of broadcasts: the campaign, each copy, the author's report.

See `bot.services.sessions.keys` for what a key is; `tests/services/common/test_keys.py`
holds these to their rules. Ids only.
"""

from __future__ import annotations


def broadcast_campaign(broadcast_id: int) -> str:
    """The campaign of a broadcast, and the prefix of its copies."""
    return f"broadcast:{broadcast_id}"


def broadcast_message(broadcast_id: int, participant_id: int) -> str:
    """One copy per broadcast and person: a crash and resume sends nobody a second copy, but
    the same text sent again is another broadcast, so it reaches everyone again."""
    return f"{broadcast_campaign(broadcast_id)}:{participant_id}"


def broadcast_report(broadcast_id: int) -> str:
    """The author's final report, once per broadcast."""
    return f"broadcast-report:{broadcast_id}"
