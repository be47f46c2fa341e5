"""Measure bare Rasa parse latency next to Amparo's text and button turns on the same messages."""
from __future__ import annotations

import time
from typing import Any

from bot.engine.turn import Turn
from bot.services import Services
from nlu.parser import IntentModel
from tests.bench.messages import BUTTONS, MESSAGES
from tests.bench.stats import summary_ms


async def text_turns(services: Services, model: IntentModel, rounds: int = 5) -> dict[str, Any]:
    """Time model.rank and Engine.handle on every message, interleaved, with a cold parse cache each round."""
    engine, parser = services.engine, services.parser
    bare: list[float] = []
    full: list[float] = []
    cached: list[float] = []
    for text in (MESSAGES[0][1], MESSAGES[1][1]):  # warm up imports and lazy paths
        model.rank(text)
        await engine.handle(Turn("bench-warm", text=text, language_hint="es"))
    for r in range(rounds):
        parser.use_model(parser.model)  # empties the parse cache
        for i, (lang, text) in enumerate(MESSAGES):
            turn = Turn(f"bench-lat-{r}-{i}", text=text, language_hint=lang)
            first_bare = (i + r) % 2 == 0
            if first_bare:
                bare.append(_time_sync(model.rank, text))
            start = time.perf_counter()
            await engine.handle(turn)
            full.append(time.perf_counter() - start)
            if not first_bare:
                bare.append(_time_sync(model.rank, text))
        for i, (lang, text) in enumerate(MESSAGES):
            start = time.perf_counter()
            await engine.handle(Turn(f"bench-lat-{r}-{i}", text=text, language_hint=lang))
            cached.append(time.perf_counter() - start)
    result = {"bare_parse": summary_ms(bare), "text_turn": summary_ms(full), "text_turn_cached": summary_ms(cached)}
    result["ratio_p50"] = round(result["text_turn"]["p50_ms"] / result["bare_parse"]["p50_ms"], 3)
    result["ratio_p95"] = round(result["text_turn"]["p95_ms"] / result["bare_parse"]["p95_ms"], 3)
    result["samples"] = {"bare_parse": bare, "text_turn": full, "text_turn_cached": cached}
    return result


async def button_turns(services: Services, users: int = 40) -> dict[str, Any]:
    """Time Engine.handle for button presses by users who already have a session."""
    engine = services.engine
    times: list[float] = []
    for u in range(users):
        user = f"bench-btn-{u}"
        await engine.handle(Turn(user, text=MESSAGES[u % len(MESSAGES)][1], language_hint="es"))
        for data in BUTTONS:
            start = time.perf_counter()
            await engine.handle(Turn(user, button=data, language_hint="es"))
            times.append(time.perf_counter() - start)
    return {"button_turn": summary_ms(times), "samples": {"button_turn": times}}


def _time_sync(fn: Any, arg: Any) -> float:
    start = time.perf_counter()
    fn(arg)
    return time.perf_counter() - start


async def danger_layer(services: Services, rounds: int = 5) -> dict[str, Any]:
    """Time text turns with the danger layer and with an empty one, interleaved, plus the detector alone."""
    from nlu.danger import DangerDetector

    engine, parser = services.engine, services.parser
    real, empty = engine.danger, DangerDetector({})
    timed: dict[str, list[float]] = {"with": [], "without": [], "detect": []}
    for r in range(rounds):
        for i, (lang, text) in enumerate(MESSAGES):
            order = (("with", real), ("without", empty)) if (i + r) % 2 == 0 else (("without", empty), ("with", real))
            for name, detector in order:
                parser.use_model(parser.model)  # a cold parse each time, so both sides parse
                engine.danger = detector
                start = time.perf_counter()
                await engine.handle(Turn(f"bench-danger-{name}-{r}-{i}", text=text, language_hint=lang))
                timed[name].append(time.perf_counter() - start)
            timed["detect"].append(_time_sync(real.detect, text))
    engine.danger = real
    return {name: summary_ms(values) for name, values in timed.items()} | {"samples": timed}
