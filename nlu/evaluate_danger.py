"""Measure the danger detector: recall per language and kind, and false alarms on ordinary messages."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

import yaml

from nlu.danger import DangerDetector
from nlu.evaluate import Example

# Danger evaluation folders under nlu/eval/, with the title of their report section.
DANGER_SETS = {
    "danger": "Danger (set used for error analysis by kind)",
    "danger_fresh": "Danger, fresh set (written last, never looked at while building)",
}
# Intents whose messages may rightly signal danger: they are reported apart, not counted as false alarms.
MAYBE_DANGER = ("safety", "medical_help", "evacuation")


@dataclass(frozen=True)
class DangerExample:
    """Hold one message of the danger set: its kind (None for an ordinary message) and named country."""

    language: str
    text: str
    kind: str | None
    country: str | None = None


def read_danger_files(paths: Iterable[Path]) -> list[DangerExample]:
    """Read danger sets: `danger` (kind, text, optional country) and `ordinary` (text) per language file."""
    examples: list[DangerExample] = []
    for path in sorted(paths):
        document: Any = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        language = str(document.get("language") or path.stem)
        for item in document.get("danger") or []:
            examples.append(DangerExample(language, str(item["text"]), str(item["kind"]), item.get("country")))
        for item in document.get("ordinary") or []:
            examples.append(DangerExample(language, str(item["text"]), None))
    return examples


def _rate(hits: int, total: int) -> float:
    return round(hits / total, 4) if total else 0.0


def evaluate_danger(
    detector: DangerDetector,
    danger_set: list[DangerExample],
    ordinary: list[Example],
    intent_of: Callable[[str], str | None] = lambda text: None,
) -> dict[str, Any]:
    """Return recall, kind accuracy and false-alarm rates, overall and per language (`intent_of` as the engine passes it)."""
    rows: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    missed: list[dict[str, str]] = []
    alarms: list[dict[str, str]] = []
    per_kind: dict[str, list[int]] = defaultdict(list)
    for example in danger_set:
        found = detector.detect(example.text, intent_of(example.text))
        lang = rows[example.language]
        if example.kind is None:
            lang["hard_negative"].append(int(found is not None))
            if found:
                alarms.append({"language": example.language, "text": example.text, "got": found.kind, "why": found.evidence[0]})
            continue
        lang["recall"].append(int(found is not None))
        lang["kind"].append(int(found is not None and example.kind in found.kinds))
        per_kind[example.kind].append(int(found is not None))
        if found is None:
            missed.append({"language": example.language, "kind": example.kind, "text": example.text})
    for example in ordinary:
        found = detector.detect(example.text, intent_of(example.text))
        bucket = "maybe_danger" if example.intent in MAYBE_DANGER else "ordinary"
        rows[example.language][bucket].append(int(found is not None))
        if found and bucket == "ordinary":
            alarms.append({"language": example.language, "text": example.text, "got": found.kind, "why": found.evidence[0]})

    def summary(values: dict[str, list[int]]) -> dict[str, Any]:
        return {
            "n_danger": len(values["recall"]),
            "recall": _rate(sum(values["recall"]), len(values["recall"])),
            "kind_accuracy": _rate(sum(values["kind"]), len(values["kind"])),
            "n_ordinary": len(values["ordinary"]),
            "false_alarms": _rate(sum(values["ordinary"]), len(values["ordinary"])),
            "n_near_misses": len(values["hard_negative"]),
            "hard_negative_false_alarms": _rate(sum(values["hard_negative"]), len(values["hard_negative"])),
            "flagged_safety_medical_evacuation": _rate(sum(values["maybe_danger"]), len(values["maybe_danger"])),
        }

    total: dict[str, list[int]] = defaultdict(list)
    for values in rows.values():
        for key, items in values.items():
            total[key] += items
    return {
        "overall": summary(total),
        "per_language": {lang: summary(values) for lang, values in sorted(rows.items())},
        "per_kind": {kind: {"n": len(v), "recall": _rate(sum(v), len(v))} for kind, v in sorted(per_kind.items())},
        "missed": missed,
        "false_alarms": alarms[:40],
    }


def danger_markdown(report: dict[str, Any], title: str = "Danger") -> str:
    """Format a danger section of the evaluation report."""
    o = report["overall"]
    lines = [
        f"## {title}",
        "",
        f"{o['n_danger']} messages from people in danger: recall **{o['recall']:.3f}** (kind right {o['kind_accuracy']:.3f}). "
        f"{o['n_ordinary']} ordinary requests of the evaluation set: false alarms **{o['false_alarms']:.3f}**; "
        f"{o['n_near_misses']} near misses written to sound urgent: {o['hard_negative_false_alarms']:.3f} flagged. "
        f"Safety, medical and evacuation requests flagged as danger: {o['flagged_safety_medical_evacuation']:.3f} (not counted).",
        "",
        "| language | danger n | recall | kind right | ordinary n | false alarms | near misses n | near misses flagged |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    lines += [
        f"| {lang} | {s['n_danger']} | {s['recall']:.3f} | {s['kind_accuracy']:.3f} | {s['n_ordinary']} | {s['false_alarms']:.3f} | {s['n_near_misses']} | {s['hard_negative_false_alarms']:.3f} |"
        for lang, s in report["per_language"].items()
    ]
    lines += ["", "| kind | n | recall |", "| --- | --- | --- |"]
    lines += [f"| {kind} | {s['n']} | {s['recall']:.3f} |" for kind, s in report["per_kind"].items()]
    lines += ["", "### Missed", ""]
    lines += [f"- {m['language']} {m['kind']}: {m['text'][:120]}" for m in report["missed"]] or ["- none"]
    lines += ["", "### False alarms", ""]
    lines += [f"- {a['language']} → {a['got']} ({a['why']}): {a['text'][:120]}" for a in report["false_alarms"]] or ["- none"]
    return "\n".join(lines) + "\n"
