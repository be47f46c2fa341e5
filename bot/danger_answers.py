"""Replay danger evaluation messages through the engine and measure what people would read first."""
from __future__ import annotations

from collections import defaultdict
from typing import Any

from bot.dialogs.observe import first_line_of
from bot.engine.turn import Turn
from bot.services import Services
from nlu.evaluate_danger import DangerExample

DEFAULT_COUNTRY = "EC"


async def measure_answers(services: Services, examples: list[DangerExample], prefix: str = "danger-eval") -> dict[str, Any]:
    """Send each message as a fresh person and check the first message of the answer."""
    rows: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    misses: list[dict[str, str]] = []
    for n, example in enumerate(examples):
        result = await services.engine.handle(Turn(f"{prefix}-{n}", text=example.text, language_hint=example.language))
        first = services.renderer.render(result.replies[0], result.language) if result.replies else None
        country = example.country or DEFAULT_COUNTRY
        numbers = {phone.number for phone in services.knowledge.current().emergency_phones(country)}
        first_line = first_line_of(first.text if first else "")
        stats = rows[example.language]
        if example.kind is None:
            stats["urgent_path"].append(int(result.step.startswith("danger")))
            continue
        unknown = not numbers and "emergency.now_unknown" in (result.replies[0].keys if result.replies else ())
        on_line = unknown or any(number in first_line for number in numbers)
        in_first = unknown or bool(first and any(number in first.text for number in numbers))
        offered = bool(result.replies and any(b.data == "esc:yes" for b in result.replies[0].buttons))
        stats["first_line"].append(int(on_line))
        stats["first_message"].append(int(in_first))
        stats["person_offered"].append(int(offered))
        if not (on_line and offered):
            misses.append({"language": example.language, "kind": example.kind, "country": country, "step": result.step, "text": example.text})
    total: dict[str, list[int]] = defaultdict(list)
    for stats in rows.values():
        for key, values in stats.items():
            total[key] += values

    def rates(stats: dict[str, list[int]]) -> dict[str, float]:
        return {key: round(sum(v) / len(v), 4) if v else 0.0 for key, v in stats.items()} | {"n": len(stats["first_line"])}

    return {"overall": rates(total), "per_language": {lang: rates(s) for lang, s in sorted(rows.items())}, "misses": misses}


def answers_markdown(report: dict[str, Any], title: str) -> str:
    """Format the engine-level danger section."""
    lines = [
        f"## {title}: what a person in danger reads first",
        "",
        "Each message sent as a new person through the engine. Number: the emergency number of the country the message"
        " is about (Ecuador unless it names a place abroad), or the plain 'no verified number' line. Person: the urgent"
        " offer (esc:yes) in the first message. Ordinary: ordinary messages given the urgent path.",
        "",
        "| language | n | number on first line | number in first message | person offered | ordinary on urgent path |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for lang, s in [*report["per_language"].items(), ("all", report["overall"])]:
        lines.append(
            f"| {lang} | {s['n']} | {s.get('first_line', 0):.3f} | {s.get('first_message', 0):.3f} | {s.get('person_offered', 0):.3f} | {s.get('urgent_path', 0):.3f} |"
        )
    return "\n".join(lines) + "\n"
