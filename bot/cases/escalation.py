"""Open cases after consent, and pass a person's messages to the staff of their open case."""
from __future__ import annotations

import asyncio
import logging
from typing import Callable

from redis.exceptions import RedisError

from bot import messages as m
from bot.cases.desks import DeskDirectory
from bot.cases.model import CLOSED, NORMAL, URGENT, Case, new_case_id
from bot.cases.store import CaseStore
from bot.engine.reply import Reply, Text, Verbatim, reply
from bot.engine.result import EscalationRequest
from bot.engine.session import Session

log = logging.getLogger(__name__)


class Escalator:
    """Create cases and route open-case messages; wake the staff notifier when there is news."""

    def __init__(self, store: CaseStore, desks: Callable[[], DeskDirectory], news: asyncio.Event | None = None) -> None:
        """Use this case store and desk directory."""
        self.store = store
        self.desks = desks
        self.news = news or asyncio.Event()

    async def open_case(self, session: Session, request: EscalationRequest, country: str, language: str) -> tuple[str | None, Reply]:
        """Create the case the person consented to; return its id and the reply to show."""
        desk = self.desks().route(session.nationality, country, request.humanitarian)
        case = Case(
            id=new_case_id(),
            user=session.user,
            desk=desk.id,
            language=language,
            topic=request.topic,
            urgency=URGENT if request.urgent else NORMAL,
            nationality=session.nationality,
            country=country,
            city=session.city,
            history=list(session.history),
        )
        try:
            await self.store.create(case)
        except (RedisError, OSError, ValueError):
            log.warning("could not create a case")
            return None, reply(m.CASE_FAILED)
        self.news.set()
        return case.id, reply(m.CASE_OPENED.with_params(case=Verbatim(case.id), desk=desk.name))

    async def open_case_of(self, session: Session) -> Case | None:
        """Return the person's case if it is still open; forget it in the session once closed."""
        if not session.open_case:
            return None
        try:
            case = await self.store.get(session.open_case)
        except (RedisError, OSError):
            return None
        if case is None or case.status == CLOSED:
            session.open_case = None
            return None
        return case

    async def mark_urgent(self, case: Case) -> None:
        """Raise an open case to urgent (staff see it first)."""
        if case.urgency != URGENT:
            case.urgency = URGENT
            case.log("person", "urgent")
            try:
                await self.store.save(case)
                self.news.set()
            except (RedisError, OSError):
                log.warning("could not mark a case urgent")

    def forwarded(self, case: Case) -> Reply:
        """Return the acknowledgement shown when a message goes to staff."""
        desk = self.desks().get(case.desk)
        return reply(m.CASE_FORWARDED.with_params(desk=desk.name, case=Verbatim(case.id)))

    def urgent_forwarded(self, case: Case, *lead: Text) -> Reply:
        """Return the answer to danger inside an open case: the lead lines, then where the message went."""
        desk = self.desks().get(case.desk)
        return reply(*lead, m.CASE_URGENT_FORWARDED.with_params(desk=desk.name, case=Verbatim(case.id)))
