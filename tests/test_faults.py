"""Faults in the middle of a surge: Redis killed and restarted, the Bot API down, the bot killed."""
from __future__ import annotations

import asyncio
import dataclasses
import logging
import os
import random
import signal
import sys
from pathlib import Path
from typing import IO, AsyncIterator, Awaitable, Callable

import httpx
import pytest
from redis.asyncio import Redis
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut

from bot.engine.reply import reply
from bot.engine.store import SessionStore
from bot.messages import MEMORY_DOWN
from bot.redis_conn import RedisHandle
from bot.services import build_services
from bot.settings import PROJECT_ROOT, Settings
from bot.telegram.retry import send_once
from bot.telegram.send import messages
from tests.conftest import FIXTURES
from tests.fake_bot_api import FakeBotApi, message
from tests.redis_server import RedisServer
from tests.surge import Surge, answer_problems, learn_answers, plan, push, received_texts, until, wait_answered
from tests.telegram_harness import running_bot

USERS = 40
# Longer than the four quick retries deliver used to make (3.5 s); without an answer, longer than
# the 5 s read timeout, so that timed-out sends meet a probe that fails too.
OUTAGE_SECONDS = {"bad_gateway": 5.0, "refused": 5.0, "no_answer": 7.0}


@pytest.fixture
async def own_redis(tmp_path: Path) -> AsyncIterator[tuple[RedisServer, RedisHandle]]:
    """Run a redis-server of the test's own, which the test may kill and restart."""
    server = RedisServer(tmp_path)
    await asyncio.to_thread(server.start)
    handle = RedisHandle(Redis.from_url(server.url, socket_timeout=2, socket_connect_timeout=1), where="test")
    yield server, handle
    await handle.close()
    await asyncio.to_thread(server.kill)


def sent_count(api: FakeBotApi) -> int:
    """Return how many messages were delivered so far."""
    return len(api.sent())


async def test_redis_killed_and_restarted_mid_surge(
    api: FakeBotApi, fixture_settings: Settings, parser, own_redis, caplog: pytest.LogCaptureFixture
) -> None:
    server, handle = own_redis
    rng = random.Random(4)
    surge = plan(USERS, rng)
    async with running_bot(api, fixture_settings, parser, handle) as (_, services):
        await learn_answers(surge, services)
        notice = messages(services.renderer.render(reply(MEMORY_DOWN), "es"))[0][0]
        push(api, surge, rng)
        await until(lambda: sent_count(api) >= surge.total_messages // 4, 60, "a quarter of the answers")
        await asyncio.to_thread(server.kill)
        await until(lambda: [p["text"] for p in api.sent()].count(notice) >= 3, 30, "answers without memory")
        await asyncio.to_thread(server.start)
        await wait_answered(api, surge, timeout=90, ignore=[notice])
        for uid in surge.users:  # one more message each, after the restart
            api.push(message(uid, "gracias"))
        surge = Surge({uid: [*order, "gracias"] for uid, order in surge.orders.items()}, surge.expected)
        await wait_answered(api, surge, timeout=60, ignore=[notice])
    assert not answer_problems(api, surge, ignore=[notice]), "every message answered once, in order, memory or not"
    store = SessionStore(handle.client, fixture_settings.key_prefix, fixture_settings.session_ttl)
    for uid in surge.users:
        session = await store.load(str(uid))
        assert session.history and session.history[-1]["text"] == "gracias", "the session written after the restart is there"
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR and r.name.startswith("bot")], "nothing crashed"


@pytest.mark.parametrize("outage", ["bad_gateway", "refused", "no_answer"])
async def test_bot_api_down_then_back(api: FakeBotApi, fixture_settings: Settings, parser, redis, outage: str) -> None:
    rng = random.Random(5)
    surge = plan(USERS, rng)
    async with running_bot(api, fixture_settings, parser, redis) as (_, services):
        await learn_answers(surge, services)
        push(api, surge, rng)
        await until(lambda: sent_count(api) >= surge.total_messages // 4, 60, "a quarter of the answers")
        if outage == "refused":
            await api.go_away()
        else:
            setattr(api, "down" if outage == "bad_gateway" else "silent", True)
        before = sent_count(api)
        await asyncio.sleep(OUTAGE_SECONDS[outage])
        during = sent_count(api) - before
        if outage == "refused":
            await api.come_back()
        else:
            setattr(api, "down" if outage == "bad_gateway" else "silent", False)
        await wait_answered(api, surge, timeout=120)
        await asyncio.sleep(0.5)  # a duplicate, if any, would show up now
    assert during == 0
    if outage != "refused":
        assert any(c.status == 502 and c.method == "sendMessage" for c in api.calls), "replies met the outage"
    assert not answer_problems(api, surge), "delivered after the outage, in order per chat, none twice"


async def bot_process(api: FakeBotApi, settings: Settings, log: IO[bytes]) -> asyncio.subprocess.Process:
    """Start `amparo run` (python -m bot.cli run) against the fake API and the settings' Redis."""
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": api.token,
        "TELEGRAM_API_URL": api.base_url,
        "REDIS_URL": settings.redis_url,
        "AMPARO_KEY_PREFIX": settings.key_prefix,
        "AMPARO_KNOWLEDGE_DIR": str(FIXTURES / "knowledge"),
        "LOG_LEVEL": "WARNING",
    }
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "run", cwd=PROJECT_ROOT, env=env,
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL, stderr=log,
    )


async def polling_after(api: FakeBotApi, index: int) -> None:
    """Wait until the bot calls getUpdates after the call at `index`."""
    await until(lambda: any(c.method == "getUpdates" for c in api.calls[index:]), 90, "the bot to poll")


async def test_bot_killed_with_updates_pending(
    api: FakeBotApi, fixture_settings: Settings, parser, own_redis, tmp_path: Path
) -> None:
    server, handle = own_redis
    settings = dataclasses.replace(fixture_settings, redis_url=server.url)
    rng = random.Random(6)
    answered = plan(5, rng, texts=("/help",), first=610_000)
    pending = plan(5, rng, texts=("/help", "/cancel"), first=620_000)
    probe = await build_services(settings, parser, handle)
    await learn_answers(answered, probe)
    await learn_answers(pending, probe)
    with (tmp_path / "bot.log").open("ab") as log:
        await _kill_and_restart(api, settings, log, answered, pending, rng)
    assert not answer_problems(api, pending), "pending updates answered after the restart, once, in order"
    assert not answer_problems(api, answered), "updates confirmed before the kill were not answered again"
    store = SessionStore(handle.client, settings.key_prefix, settings.session_ttl)
    for uid in answered.users + pending.users:
        assert await handle.client.exists(store.key(str(uid))), "every answered user's session was kept"


async def _kill_and_restart(api: FakeBotApi, settings: Settings, log: IO[bytes], answered: Surge, pending: Surge, rng: random.Random) -> None:
    """Answer `answered`; hold `pending` back at Telegram; kill the bot; release them to a new bot."""
    first = await bot_process(api, settings, log)
    try:
        await polling_after(api, 0)
        push(api, answered, rng)
        await wait_answered(api, answered, timeout=60)
        api.hold = True  # Telegram keeps the next updates: they are not handed out, not confirmed
        await polling_after(api, len(api.calls))
        ids = [api.push(message(uid, text)) for uid, order in pending.orders.items() for text in order]
        await polling_after(api, len(api.calls))
        first.send_signal(signal.SIGKILL)
        await first.wait()
    finally:
        if first.returncode is None:
            first.kill()
            await first.wait()
    assert min(ids) >= api.confirmed, "the pending updates were never confirmed to Telegram"
    assert not any(received_texts(api, uid) for uid in pending.users), "nothing pending was answered before the kill"

    api.hold = False
    second = await bot_process(api, settings, log)
    try:
        await wait_answered(api, pending, timeout=120)
        await asyncio.sleep(0.5)
    finally:
        second.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(second.wait(), 30)
        except asyncio.TimeoutError:
            second.kill()
            await second.wait()


def failing(*errors: Exception) -> tuple[list[int], Callable[[], Awaitable[str]]]:
    """Return a call counter and a request that raises the given errors in turn, then succeeds."""
    calls: list[int] = []

    async def request() -> str:
        calls.append(1)
        if len(calls) <= len(errors):
            raise errors[len(calls) - 1]
        return "sent"

    return calls, request


def timed_out(cause: Exception) -> TimedOut:
    """Build PTB's TimedOut as raised from an httpx timeout."""
    try:
        raise TimedOut from cause
    except TimedOut as exc:
        return exc


async def test_retry_policy_never_repeats_what_may_have_been_sent() -> None:
    calls, request = failing(NetworkError("Bad Gateway"), RetryAfter(0), timed_out(httpx.ConnectTimeout("x")))
    assert await send_once(request, patience=30) == "sent" and len(calls) == 4, "certain failures are retried"
    calls, request = failing(BadRequest("can't parse entities"))
    with pytest.raises(BadRequest):
        await send_once(request, patience=30)
    assert len(calls) == 1, "a refused request is never repeated"

    async def alive() -> bool:
        return True

    async def down() -> bool:
        raise TimedOut()

    calls, request = failing(timed_out(httpx.ReadTimeout("x")))
    with pytest.raises(TimedOut):
        await send_once(request, patience=30, probe=alive)
    assert len(calls) == 1, "Telegram answers: the timed-out message may have been sent; not repeated"
    calls, request = failing(timed_out(httpx.ReadTimeout("x")))
    assert await send_once(request, patience=30, probe=down) == "sent" and len(calls) == 2, "Telegram is down: sent again"
