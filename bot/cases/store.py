"""Keep cases in Redis: the case, an open-cases index per desk, and an outbox of staff notifications."""
from __future__ import annotations

import json
import time

from redis.asyncio import Redis

from bot.cases.model import CLOSED, Case


class CaseStore:
    """Create, load and update cases; creating a case and queueing its notification is one transaction."""

    def __init__(self, redis: Redis, prefix: str) -> None:
        """Use this Redis client and key prefix (cases are kept until closed, without TTL)."""
        self._redis = redis
        self._prefix = prefix

    def _key(self, case_id: str) -> str:
        return f"{self._prefix}:case:{case_id}"

    def _open(self, desk: str) -> str:
        return f"{self._prefix}:cases:open:{desk}"

    @property
    def _outbox(self) -> str:
        return f"{self._prefix}:cases:outbox"

    async def create(self, case: Case) -> None:
        """Store a new case, index it as open and queue its staff notification, atomically."""
        case.log("person", "created", desk=case.desk, urgency=case.urgency)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.set(self._key(case.id), json.dumps(case.to_json(), ensure_ascii=False), nx=True)
            pipe.zadd(self._open(case.desk), {case.id: case.created})
            pipe.zadd(self._outbox, {case.id: case.created})
            created, _, _ = await pipe.execute()
        if not created:
            raise ValueError("case id already exists")

    async def get(self, case_id: str) -> Case | None:
        """Return a case, or None."""
        raw = await self._redis.get(self._key(case_id))
        return Case.from_json(json.loads(raw)) if raw else None

    async def save(self, case: Case) -> None:
        """Store an updated case and keep the open index right."""
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.set(self._key(case.id), json.dumps(case.to_json(), ensure_ascii=False))
            if case.status == CLOSED:
                pipe.zrem(self._open(case.desk), case.id)
            await pipe.execute()

    async def open_cases(self, desk: str) -> list[Case]:
        """Return the desk's open and claimed cases, oldest first."""
        ids = await self._redis.zrange(self._open(desk), 0, -1)
        cases = [await self.get(i.decode() if isinstance(i, bytes) else i) for i in ids]
        return [c for c in cases if c is not None]

    async def pending_notifications(self) -> list[str]:
        """Return ids of cases whose staff notification has not been delivered yet, oldest first."""
        ids = await self._redis.zrangebyscore(self._outbox, "-inf", time.time())
        return [i.decode() if isinstance(i, bytes) else i for i in ids]

    async def link_thread(self, chat_id: int, thread_id: int, case_id: str) -> None:
        """Remember which case a staff forum topic belongs to."""
        await self._redis.set(f"{self._prefix}:cases:thread:{chat_id}:{thread_id}", case_id)

    async def case_for_thread(self, chat_id: int, thread_id: int) -> Case | None:
        """Return the case of a staff forum topic, if any."""
        raw = await self._redis.get(f"{self._prefix}:cases:thread:{chat_id}:{thread_id}")
        return await self.get(raw.decode() if isinstance(raw, bytes) else raw) if raw else None

    async def notified(self, case_id: str) -> None:
        """Remove a case from the outbox once staff were notified."""
        await self._redis.zrem(self._outbox, case_id)
