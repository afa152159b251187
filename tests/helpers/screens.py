"""The buttons of the bot's main screens, as the reader sees them."""

from __future__ import annotations

from tests.helpers.fluent import say

MENU = [
    say("menu-jobs"),
    say("menu-sessions"),
    say("menu-faq"),
    say("menu-talk"),
    say("menu-found-job"),
    say("menu-profile"),
    say("menu-about"),
    say("menu-help"),
    say("menu-lang"),
]
NL_TALK = say("menu-talk", "nl")
HOME_BUTTONS = [say("staff-home-all-sessions"), say("staff-home-invite")]
PARTICIPANT_VIEW = say("staff-home-participant")
