"""Child process: start like a worker (quick model first), answer, wait for Rasa, report memory."""
from __future__ import annotations

import asyncio
import dataclasses
import resource
import uuid

from bot.engine.turn import Turn
from bot.services import build_services
from bot.settings import Settings
from tests.bench.children import report
from tests.bench.messages import MESSAGES


async def main() -> None:
    """Report first_answer, full_nlu and memory."""
    import psutil

    settings = dataclasses.replace(Settings.from_env(), key_prefix=f"amparo-bench-{uuid.uuid4().hex[:8]}")
    services = await build_services(settings, background_model=True)
    first = await services.engine.handle(Turn("bench-start", text="perdí mi pasaporte", language_hint="es"))
    report(event="first_answer", nlu=first.nlu, replies=len(first.replies))
    loaded = await services.model_loader if services.model_loader else False
    full = await services.engine.handle(Turn("bench-start-2", text="perdí mi pasaporte", language_hint="es"))
    report(event="full_nlu", loaded=loaded, nlu=full.nlu)
    for i, (lang, text) in enumerate(MESSAGES):
        await services.engine.handle(Turn(f"bench-mem-{i}", text=text, language_hint=lang))
    process = psutil.Process()
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    report(event="memory", rss_mb=round(process.memory_info().rss / 2**20, 1), uss_mb=round(process.memory_full_info().uss / 2**20, 1),
           peak_rss_mb=round(peak_kib / 1024, 1))
    keys = [k async for k in services.redis.client.scan_iter(match=f"{settings.key_prefix}:*")]
    if keys:
        await services.redis.client.delete(*keys)
    await services.close()


if __name__ == "__main__":
    asyncio.run(main())
