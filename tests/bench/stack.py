"""Build what the benchmark runs on: the real model and knowledge, a real Redis, a throwaway key prefix."""
from __future__ import annotations

import dataclasses
import uuid
from contextlib import asynccontextmanager
from typing import AsyncIterator

from bot.redis_conn import RedisHandle, connect_redis
from bot.services import KnowledgeHolder, Services, build_parser, build_services
from bot.settings import Settings
from nlu.parser import Parser


def bench_settings() -> Settings:
    """Return settings from the environment with a key prefix of its own."""
    return dataclasses.replace(Settings.from_env(), key_prefix=f"amparo-bench-{uuid.uuid4().hex[:8]}")


def rasa_parser(settings: Settings, cache_size: int = 2048) -> Parser:
    """Build the production parser (Rasa model loaded now) with the given parse-cache size."""
    parser = build_parser(settings, KnowledgeHolder(settings.knowledge_dir))
    return Parser(parser.model, parser.languages, parser.entities, cache_size=cache_size, fallback=parser.fallback)


async def drop_keys(redis: RedisHandle, prefix: str) -> None:
    """Delete every key under the prefix."""
    keys = [k async for k in redis.client.scan_iter(match=f"{prefix}:*", count=1000)]
    for i in range(0, len(keys), 500):
        await redis.client.delete(*keys[i : i + 500])


@asynccontextmanager
async def services_with(settings: Settings, parser: Parser) -> AsyncIterator[Services]:
    """Yield services on a real Redis; delete the benchmark's keys afterwards."""
    redis = await connect_redis(settings)
    services = await build_services(settings, parser, redis)
    try:
        yield services
    finally:
        await drop_keys(redis, settings.key_prefix)
        await redis.close()
