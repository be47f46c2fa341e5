"""Run the surge through the real Telegram Application against the fake Bot API, and time it."""
from __future__ import annotations

import random
import time
from typing import Any

from bot.redis_conn import connect_redis
from bot.settings import Settings
from bot.telegram.ratelimit import CHAT_BURST, CHAT_PERIOD, OVERALL_MAX, OVERALL_PERIOD
from nlu.parser import Parser
from tests.bench.stack import drop_keys
from tests.fake_bot_api import FakeBotApi
from tests.surge import answer_problems, learn_answers, plan, push, random_faults, rates
from tests.telegram_harness import running_bot


async def surge(settings: Settings, parser: Parser, users: int = 1000, seed: int = 2016) -> dict[str, Any]:
    """Push `users` x 5 messages at once, with 429s and 5xx injected; measure drain time and rates."""
    rng = random.Random(seed)
    plan_ = plan(users, rng)
    api = FakeBotApi()
    await api.start()
    redis = await connect_redis(settings)
    try:
        async with running_bot(api, settings, parser, redis) as (_, services):
            await learn_answers(plan_, services)
            faults = random_faults(plan_.total_messages, rng, p429=0.002, p5xx=0.01)
            api.inject("sendMessage", *faults)
            start = time.monotonic()
            turns = push(api, plan_, rng)
            await api.wait_for(plan_.total_messages, timeout=plan_.total_messages / 5 + 120)
            drained = max(c.at for c in api.calls if c.method == "sendMessage" and c.status == 200) - start
    finally:
        await api.stop()
        await drop_keys(redis, settings.key_prefix)
        await redis.close()
    measured = rates(api, OVERALL_PERIOD, CHAT_PERIOD)
    problems = answer_problems(api, plan_)
    return {
        "users": users,
        "turns": turns,
        "messages": plan_.total_messages,
        "injected_429": sum(1 for f in faults if f and f.status == 429),
        "injected_5xx": sum(1 for f in faults if f and f.status >= 500),
        "drain_s": round(drained, 2),
        "limit_only_s": round(plan_.total_messages * OVERALL_PERIOD / OVERALL_MAX, 2),
        "turns_per_s": round(turns / drained, 1),
        "messages_per_s": round(plan_.total_messages / drained, 1),
        "max_per_1s_overall": measured["overall_max"],
        "max_per_chat_window": measured["chat_max"],
        "limits": {"overall": f"{OVERALL_MAX}/{OVERALL_PERIOD:g}s", "chat": f"{CHAT_BURST}/{CHAT_PERIOD:g}s"},
        "chats_wrong": len(problems),
    }
