"""Outcomes (job, training, leaving) and the programme report (skeleton: being built)."""

from __future__ import annotations

from aiogram import Router


def build_router() -> Router:
    return Router(name="outcomes")
