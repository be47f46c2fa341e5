"""A surge through the real Application: everyone answered once, in order, within Telegram's limits.

The keyword stand-in parser is used on purpose: this test is about the Telegram layer (ordering,
retries, rate limits), and the Rasa model would add tens of seconds of loading and a gigabyte of
memory without changing what is checked. `make bench` runs the same surge with 1,000 users.
"""
from __future__ import annotations

import os
import random

from bot.settings import Settings
from bot.telegram.ratelimit import CHAT_BURST, CHAT_PERIOD, OVERALL_MAX, OVERALL_PERIOD
from tests.fake_bot_api import FakeBotApi
from tests.surge import answer_problems, learn_answers, plan, push, random_faults, rates
from tests.telegram_harness import running_bot

USERS = int(os.environ.get("AMPARO_SURGE_USERS", "200"))


async def test_surge_with_429s_and_5xx(api: FakeBotApi, fixture_settings: Settings, parser, redis) -> None:
    rng = random.Random(20160416)
    surge = plan(USERS, rng)
    async with running_bot(api, fixture_settings, parser, redis) as (_, services):
        await learn_answers(surge, services)
        api.inject("sendMessage", *random_faults(surge.total_messages, rng))
        push(api, surge, rng)
        await api.wait_for(surge.total_messages, timeout=surge.total_messages / 10 + 60)
    assert not answer_problems(api, surge), "every message answered exactly once, in order per chat"
    statuses = {c.status for c in api.calls if c.method == "sendMessage"}
    assert {429, 200} <= statuses and statuses & {500, 502, 503}, "faults were injected and recovered from"
    measured = rates(api, OVERALL_PERIOD, CHAT_PERIOD)
    assert measured["overall_max"] <= OVERALL_MAX, measured
    assert measured["chat_max"] <= CHAT_BURST, measured
