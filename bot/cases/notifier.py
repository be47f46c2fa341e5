"""Deliver staff notifications from the outbox until they succeed, and re-announce unclaimed cases."""
from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Callable, Protocol

from redis.exceptions import RedisError

from bot.cases.desks import Desk, DeskDirectory
from bot.cases.model import OPEN, Case
from bot.cases.store import CaseStore

log = logging.getLogger(__name__)


class StaffChannel(Protocol):
    """Reach a desk's staff (a Telegram group, or a simulated desk in the shell)."""

    async def announce(self, case: Case, desk: Desk) -> None:
        """Show a new case to its desk (create its topic if needed, post the card)."""

    async def remind(self, case: Case, desk: Desk) -> None:
        """Say again that a case is waiting to be claimed."""


class CaseNotifier:
    """Work the outbox: a case whose notification failed stays there and is retried."""

    def __init__(
        self,
        store: CaseStore,
        desks: Callable[[], DeskDirectory],
        channel: StaffChannel,
        news: asyncio.Event,
        reannounce_after: float,
    ) -> None:
        """Use this store, desks, channel and re-announce delay (seconds)."""
        self.store, self.desks, self.channel, self.news = store, desks, channel, news
        self.reannounce_after = reannounce_after

    async def deliver_pending(self) -> int:
        """Announce every case still in the outbox, urgent ones first; return how many were delivered."""
        delivered = 0
        waiting = []
        for case_id in await self.store.pending_notifications():
            found = await self.store.get(case_id)
            if found is None:
                await self.store.notified(case_id)
            else:
                waiting.append(found)
        for case in sorted(waiting, key=lambda c: c.queue_key):
            case_id = case.id
            try:
                await self.channel.announce(case, self.desks().get(case.desk))
            except Exception as exc:  # noqa: BLE001 - any failure keeps the case in the outbox
                log.warning("staff notification failed (%s); will retry", type(exc).__name__)
                continue
            case = await self.store.get(case_id) or case
            case.announced = time.time()
            case.log("bot", "announced")
            await self.store.save(case)
            await self.store.notified(case_id)
            delivered += 1
        return delivered

    async def remind_unclaimed(self, now: float | None = None) -> int:
        """Re-announce open cases nobody claimed for too long; return how many."""
        now = now or time.time()
        reminded = 0
        pending = set(await self.store.pending_notifications())
        for desk in self.desks().all():
            for case in await self.store.open_cases(desk.id):
                due = (case.announced or case.created) + self.reannounce_after
                if case.status != OPEN or case.id in pending or now < due:
                    continue
                try:
                    await self.channel.remind(case, desk)
                except Exception as exc:  # noqa: BLE001
                    log.warning("reminder failed (%s); will retry", type(exc).__name__)
                    continue
                case.announced = now
                case.log("bot", "reminded")
                await self.store.save(case)
                reminded += 1
        return reminded

    async def run(self, interval: float = 2.0) -> None:
        """Loop until cancelled: deliver, remind, then wait for news or the interval."""
        while True:
            try:
                await self.deliver_pending()
                await self.remind_unclaimed()
            except (RedisError, OSError):
                log.warning("case store unavailable; notifications wait")
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self.news.wait(), timeout=interval)
            self.news.clear()
