"""Guard incoming updates: flood control and dedup (outgoing limits: ratelimit.py; order: ordering.py)."""
from __future__ import annotations

import hashlib
import uuid

from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.telegram.ordering import arrived_at


class FloodGuard:
    """Count each user's updates in a sliding window in Redis; flag the ones beyond the limit."""

    def __init__(self, redis: Redis, prefix: str, limit: int = 5, window: int = 3) -> None:
        """Allow `limit` updates per `window` seconds per user."""
        self._redis, self._prefix, self.limit, self.window = redis, prefix, limit, window

    async def count(self, user: str, at: float | None = None) -> int:
        """Record one update that arrived at `at` and return how many the user sent in the window up to then."""
        # By arrival, not handling time: updates wait their chat's turn, so when they are handled
        # says nothing about how fast they came.
        at = arrived_at() if at is None else at
        digest = hashlib.sha256(user.encode()).hexdigest()[:24]
        key = f"{self._prefix}:flood:{digest}"
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.zadd(key, {f"{at:.6f}:{uuid.uuid4().hex[:8]}": at})
                pipe.zremrangebyscore(key, "-inf", at - self.window)
                pipe.zcount(key, f"({at - self.window}", at)
                pipe.expire(key, self.window + 1)
                _, _, count, _ = await pipe.execute()
            return int(count)
        except RedisError:
            return 1


class UpdateDeduplicator:
    """Remember update ids in Redis so an update delivered twice is processed once."""

    def __init__(self, redis: Redis, prefix: str, ttl: int = 24 * 3600) -> None:
        """Keep ids for `ttl` seconds."""
        self._redis, self._prefix, self._ttl = redis, prefix, ttl

    async def first_time(self, update_id: int) -> bool:
        """Return True the first time an update id is seen (also when Redis is down)."""
        try:
            return bool(await self._redis.set(f"{self._prefix}:update:{update_id}", 1, nx=True, ex=self._ttl))
        except RedisError:
            return True
