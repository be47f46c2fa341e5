"""Measure sustained text turns per second with many users at once, through the engine and Redis."""
from __future__ import annotations

import asyncio
import time
from typing import Any

from bot.engine.turn import Turn
from bot.services import Services
from tests.bench.messages import MESSAGES


async def sustained(services: Services, users: int = 500, per_user: int = 4, tag: str = "tp") -> dict[str, Any]:
    """Run `users` conversations concurrently, `per_user` text turns each, rendering every reply."""
    engine, renderer = services.engine, services.renderer
    services.parser.use_model(services.parser.model)  # start with an empty parse cache

    async def conversation(u: int) -> None:
        """Send one user's messages one after another, as a person would."""
        for k in range(per_user):
            lang, text = MESSAGES[(u * 7 + k * 31) % len(MESSAGES)]
            result = await engine.handle(Turn(f"bench-{tag}-{u}", text=text, language_hint=lang))
            for item in result.replies:
                renderer.render(item, result.language)

    start = time.perf_counter()
    await asyncio.gather(*(conversation(u) for u in range(users)))
    elapsed = time.perf_counter() - start
    turns = users * per_user
    return {"users": users, "turns": turns, "seconds": round(elapsed, 3), "turns_per_s": round(turns / elapsed, 1)}
