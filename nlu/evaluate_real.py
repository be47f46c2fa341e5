"""Measure understanding on realistic crisis messages: single needs, several needs, unrelated messages."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import yaml
from sklearn.metrics import f1_score

from nlu.needs import NEED_INTENTS
from nlu.parser import Parse, Parser

OUT_OF_SCOPE = "out_of_scope"


@dataclass(frozen=True)
class RealExample:
    """Hold one realistic message and every need it expresses, most important first."""

    language: str
    intents: tuple[str, ...]
    text: str

    @property
    def kind(self) -> str:
        """Return 'unrelated', 'single' or 'several'."""
        if self.intents == (OUT_OF_SCOPE,):
            return "unrelated"
        return "single" if len(self.intents) == 1 else "several"


def read_real_files(paths: Iterable[Path]) -> list[RealExample]:
    """Read files with `language` and `messages: [{intents: [...], text}]`."""
    examples: list[RealExample] = []
    for path in sorted(paths):
        document: Any = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        language = str(document.get("language") or path.stem)
        for item in document.get("messages") or []:
            examples.append(RealExample(language, tuple(item["intents"]), str(item["text"])))
    return examples


def answered(parse: Parse, threshold: float) -> list[str]:
    """Return the needs the bot would answer for this parse (none when it would not understand)."""
    if parse.confidence < threshold or parse.gibberish or parse.intent not in NEED_INTENTS:
        return []
    return list(dict.fromkeys([parse.intent, *(i for i, _ in parse.needs)]))


def _rate(hits: int, total: int) -> float:
    return round(hits / total, 4) if total else 0.0


def evaluate_real(parser: Parser, examples: list[RealExample], threshold: float) -> dict[str, Any]:
    """Return single-need accuracy and macro-F1, several-need scores and unrelated-as-need, per language."""
    groups: dict[str, list[tuple[RealExample, Parse]]] = defaultdict(list)
    for example in examples:
        groups[example.language].append((example, parser.parse_sync(example.text)))
    groups["all"] = [pair for lang in sorted(groups) for pair in groups[lang]]
    report: dict[str, Any] = {"threshold": threshold, "per_language": {}, "mistakes": []}
    for language, pairs in groups.items():
        single = [(e, p) for e, p in pairs if e.kind == "single"]
        several = [(e, p) for e, p in pairs if e.kind == "several"]
        unrelated = [(e, p) for e, p in pairs if e.kind == "unrelated"]
        predicted = [(answered(p, threshold) or [OUT_OF_SCOPE])[0] for _, p in single]
        gold = [e.intents[0] for e, _ in single]
        several_any = sum(bool(set(answered(p, threshold)) & set(e.intents)) for e, p in several)
        several_all = sum(set(e.intents) <= set(answered(p, threshold)) for e, p in several)
        extra = [len(set(answered(p, threshold)) - set(e.intents)) for e, p in single + several]
        report["per_language"][language] = {
            "n": len(pairs),
            "single_n": len(single),
            "single_accuracy": _rate(sum(p == g for p, g in zip(predicted, gold)), len(single)),
            "single_macro_f1": round(f1_score(gold, predicted, average="macro", zero_division=0), 4) if single else 0.0,
            "several_n": len(several),
            "several_at_least_one": _rate(several_any, len(several)),
            "several_all": _rate(several_all, len(several)),
            "unrelated_n": len(unrelated),
            "unrelated_taken_as_need": _rate(sum(bool(answered(p, threshold)) for _, p in unrelated), len(unrelated)),
            "needs_answered_not_asked_per_message": round(sum(extra) / max(1, len(extra)), 3),
            "language_id": _rate(sum(p.language == e.language for e, p in pairs), len(pairs)),
        }
        if language != "all":
            for e, p in pairs:
                got = answered(p, threshold)
                wrong = (e.kind == "unrelated" and got) or (e.kind != "unrelated" and (not got or got[0] not in e.intents))
                if wrong:
                    report["mistakes"].append({"language": language, "expected": list(e.intents), "got": got or ["(not understood / not a need)"], "text": e.text})
    return report


def real_markdown(report: dict[str, Any]) -> str:
    """Format the realistic-set section of the evaluation report."""
    lines = [
        "## Realistic crisis messages (nlu/eval/real)",
        "",
        "Written apart from the training data, in the style people write after a disaster. Single need: the main need"
        " answered is the labelled one. Several needs: at least one / all of the labelled needs answered. Unrelated:"
        " share of news, prayers, offers and jokes answered as a need (lower is better).",
        "",
        "| language | n | single acc. | single macro-F1 | several ≥1 | several all | unrelated as need | extra needs / msg | language id |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for lang, s in report["per_language"].items():
        lines.append(
            f"| {lang} | {s['n']} | {s['single_accuracy']:.3f} | {s['single_macro_f1']:.3f} | {s['several_at_least_one']:.3f} | "
            f"{s['several_all']:.3f} | {s['unrelated_taken_as_need']:.3f} | {s['needs_answered_not_asked_per_message']:.2f} | {s['language_id']:.3f} |"
        )
    lines += ["", "### Mistakes", ""]
    lines += [f"- {m['language']} expected {'+'.join(m['expected'])}, got {'+'.join(m['got'])}: {m['text'][:110]}" for m in report["mistakes"][:60]]
    return "\n".join(lines) + "\n"
