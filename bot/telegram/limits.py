"""Keep within Telegram's limits: per-chat throttle on top of PTB's rate limiter, and flood control."""
from __future__ import annotations

import asyncio
import contextlib
import hashlib
import weakref
from typing import Any, AsyncIterator, Callable, Coroutine

from aiolimiter import AsyncLimiter
from redis.asyncio import Redis
from redis.exceptions import RedisError
from telegram.ext import AIORateLimiter

# Telegram allows about one message per second per chat, with short bursts.
CHAT_BURST, CHAT_PERIOD = 3, 3.0
MAX_CHAT_LIMITERS = 10_000


class ChatRateLimiter(AIORateLimiter):
    """Add a per-chat limit for private chats to PTB's overall and group limits."""

    def __init__(self, **kwargs: Any) -> None:
        """Pass PTB's options through (overall_max_rate, group_max_rate, max_retries)."""
        super().__init__(**kwargs)
        self._chats: dict[int, AsyncLimiter] = {}

    def _chat_limiter(self, chat_id: int) -> AsyncLimiter:
        limiter = self._chats.get(chat_id)
        if limiter is None:
            if len(self._chats) >= MAX_CHAT_LIMITERS:
                self._chats.clear()
            limiter = self._chats[chat_id] = AsyncLimiter(CHAT_BURST, CHAT_PERIOD)
        return limiter

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Any]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:
        """Wait for the private chat's slot, then apply PTB's limits and 429 retries."""
        chat_id = data.get("chat_id")
        if isinstance(chat_id, int) and chat_id > 0:
            async with self._chat_limiter(chat_id):
                return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
        return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)


class ChatLocks:
    """Give each chat a lock, so its turns are handled one at a time, in arrival order."""

    def __init__(self) -> None:
        """Keep locks only while someone holds or waits for them."""
        self._locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()

    @contextlib.asynccontextmanager
    async def hold(self, chat_id: int) -> AsyncIterator[None]:
        """Hold the chat's lock for the duration of the block."""
        lock = self._locks.get(chat_id)
        if lock is None:
            lock = self._locks[chat_id] = asyncio.Lock()
        async with lock:
            yield


class FloodGuard:
    """Count each user's updates per time window in Redis; flag the ones beyond the limit."""

    def __init__(self, redis: Redis, prefix: str, limit: int = 5, window: int = 3) -> None:
        """Allow `limit` updates per `window` seconds per user."""
        self._redis, self._prefix, self.limit, self.window = redis, prefix, limit, window

    async def count(self, user: str) -> int:
        """Record one update and return how many the user sent in the current window."""
        digest = hashlib.sha256(user.encode()).hexdigest()[:24]
        key = f"{self._prefix}:flood:{digest}"
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.set(key, 0, nx=True, ex=self.window)  # the window opens with the first update
                pipe.incr(key)
                _, count = await pipe.execute()
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
