"""Carry what an action needs to answer: the session, the directory and today's date."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from actions.lookup import Directory
from bot.engine.session import Session


@dataclass(frozen=True)
class ActionContext:
    """Hold the inputs of one action call."""

    session: Session
    directory: Directory
    today: date
    stale_after_days: int
    default_country: str

    @property
    def country(self) -> str:
        """Return the country the person is in."""
        return self.session.country or self.default_country
