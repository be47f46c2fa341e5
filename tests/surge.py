"""Drive a surge of users through the real Telegram front end and check what came out.

Shared by tests/test_surge.py, tests/test_faults.py and the benchmark. Each user sends the five
SURGE_TEXTS in an order of their own; every text has a fixed answer that does not depend on the
conversation so far, so the answers each chat must receive, in order, are known in advance.
"""
from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Sequence

from bot.engine.turn import Turn
from bot.services import Services
from bot.telegram.send import messages
from tests.fake_bot_api import FakeBotApi, Fault, message

SURGE_TEXTS = ("gracias", "quien gana el futbol", "no gracias", "/help", "/cancel")
FIRST_USER = 500_000


@dataclass
class Surge:
    """Hold who sends what, in which order, and what each text must be answered with."""

    orders: dict[int, list[str]]
    expected: dict[str, list[str]] = field(default_factory=dict)

    @property
    def users(self) -> list[int]:
        """Return the user ids (= their private chat ids)."""
        return list(self.orders)

    def answers_for(self, uid: int) -> list[str]:
        """Return the message texts the user's chat must receive, in order."""
        return [text for sent in self.orders[uid] for text in self.expected[sent]]

    @property
    def total_messages(self) -> int:
        """Return how many messages the bot must send in all."""
        return sum(len(self.answers_for(uid)) for uid in self.orders)


def plan(users: int, rng: random.Random, texts: Sequence[str] = SURGE_TEXTS, first: int = FIRST_USER) -> Surge:
    """Give each user the texts in a random order."""
    return Surge({first + i: rng.sample(list(texts), len(texts)) for i in range(users)})


async def learn_answers(surge: Surge, services: Services, language: str = "es") -> None:
    """Work out each text's answer as Telegram will show it, by asking the engine as fresh users."""
    texts = sorted({t for order in surge.orders.values() for t in order})
    for i, text in enumerate(texts):
        result = await services.engine.handle(Turn(f"surge-probe-{i}", text=text, language_hint=language))
        rendered = [services.renderer.render(r, result.language) for r in result.replies]
        surge.expected[text] = [part for r in rendered for part, _ in messages(r)]


def push(api: FakeBotApi, surge: Surge, rng: random.Random, language: str = "es") -> int:
    """Queue every message, users interleaved at random, each user's own order kept; return the count."""
    queues = {uid: list(order) for uid, order in surge.orders.items()}
    tickets = [uid for uid, order in queues.items() for _ in order]
    rng.shuffle(tickets)
    for uid in tickets:
        api.push(message(uid, queues[uid].pop(0), language=language))
    return len(tickets)


def random_faults(calls: int, rng: random.Random, p429: float = 0.01, p5xx: float = 0.03) -> list[Fault | None]:
    """Return one entry per call: a 429 (retry_after 1 s), a 500/502/503, or None; at least one of each fault."""
    faults: list[Fault | None] = []
    for _ in range(calls):
        roll = rng.random()
        if roll < p429:
            faults.append(Fault(429, retry_after=1))
        elif roll < p429 + p5xx:
            faults.append(Fault(rng.choice((500, 502, 503))))
        else:
            faults.append(None)
    if calls >= 2 and not any(f and f.status == 429 for f in faults):
        faults[rng.randrange(calls // 2)] = Fault(429, retry_after=1)
    if calls >= 2 and not any(f and f.status >= 500 for f in faults):
        faults[calls // 2 + rng.randrange(calls - calls // 2)] = Fault(500)
    return faults


def received_texts(api: FakeBotApi, chat_id: int) -> list[str]:
    """Return the texts a chat received, in the order Telegram accepted them."""
    return [p["text"] for p in api.sent(chat_id=chat_id)]


def answer_problems(api: FakeBotApi, surge: Surge, ignore: Iterable[str] = ()) -> list[str]:
    """Compare every chat's received texts with what it must receive; return one line per wrong chat."""
    skip = set(ignore)
    problems = []
    for uid in surge.users:
        got = [t for t in received_texts(api, uid) if t not in skip]
        want = surge.answers_for(uid)
        if got != want:
            problems.append(f"chat {uid}: sent {surge.orders[uid]}, expected {len(want)} answers, got {len(got)}: {got[:8]}")
    return problems


def max_in_window(times: Iterable[float], period: float) -> int:
    """Return the largest number of events inside any window of `period` seconds."""
    ordered = sorted(times)
    best, start = 0, 0
    for end, t in enumerate(ordered):
        while t - ordered[start] >= period:
            start += 1
        best = max(best, end - start + 1)
    return best


def rates(api: FakeBotApi, overall_period: float, chat_period: float) -> dict[str, Any]:
    """Measure, from the times requests reached the fake API, the busiest windows overall and per chat."""
    calls = [c for c in api.calls if "chat_id" in c.params]
    by_chat: dict[int, list[float]] = {}
    for c in calls:
        by_chat.setdefault(int(c.params["chat_id"]), []).append(c.received)
    return {
        "requests": len(calls),
        "overall_max": max_in_window((c.received for c in calls), overall_period),
        "chat_max": max((max_in_window(ts, chat_period) for ts in by_chat.values()), default=0),
    }


async def until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    """Wait until `condition()` holds; fail with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.1)


async def wait_answered(api: FakeBotApi, surge: Surge, timeout: float, ignore: Iterable[str] = ()) -> None:
    """Wait until every chat has received all its answers (extra or misordered ones are checked later)."""
    skip = set(ignore)

    def done() -> bool:
        """Tell whether every chat has at least as many answers as it needs."""
        counts: dict[int, int] = {}
        for p in api.sent():
            if p.get("text") not in skip:
                counts[int(p["chat_id"])] = counts.get(int(p["chat_id"]), 0) + 1
        return all(counts.get(uid, 0) >= len(surge.answers_for(uid)) for uid in surge.users)

    try:
        await until(done, timeout, "every chat to be answered")
    except AssertionError as exc:
        raise AssertionError(f"{exc}; {answer_problems(api, surge, skip)[:3]}") from None
