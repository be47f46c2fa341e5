"""Keep sessions as JSON in Redis with a time-to-live."""
from __future__ import annotations

import hashlib
import json

from redis.asyncio import Redis

from bot.engine.session import Session


class SessionStore:
    """Load, save and erase sessions under namespaced keys with a TTL."""

    def __init__(self, redis: Redis, prefix: str, ttl_seconds: int) -> None:
        """Use this Redis client, key prefix and retention period."""
        self._redis = redis
        self._prefix = prefix
        self._ttl = ttl_seconds

    def key(self, user: str) -> str:
        """Return the Redis key of a user's session (the user id is hashed)."""
        digest = hashlib.sha256(user.encode("utf-8")).hexdigest()[:32]
        return f"{self._prefix}:session:{digest}"

    async def load(self, user: str) -> Session:
        """Return the user's session, or a fresh one."""
        raw = await self._redis.get(self.key(user))
        if raw is None:
            return Session(user=user)
        return Session.from_json(json.loads(raw))

    async def save(self, session: Session) -> None:
        """Store the session and restart its time-to-live."""
        payload = json.dumps(session.to_json(), ensure_ascii=False)
        await self._redis.set(self.key(session.user), payload, ex=self._ttl)

    async def erase(self, user: str) -> None:
        """Delete everything stored about the user's session."""
        await self._redis.delete(self.key(user))
