"""The callback data of the buttons under a participant's report, for services and handlers
alike (`bot.common.callbacks`)."""

from __future__ import annotations

from bot.common.callbacks import CallbackFormat


class ReviewCallback(CallbackFormat, prefix="out"):
    """ "out:<action>:<outcome id>": ok (confirm) or fix (correct)."""

    action: str
    outcome_id: int
