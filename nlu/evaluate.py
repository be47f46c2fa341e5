"""Evaluate the NLU on held-out files and write a report trainers can read."""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import yaml
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support

from nlu.parser import Parse, Parser

THRESHOLDS = (0.0, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5)
OUT_OF_SCOPE = "out_of_scope"


@dataclass(frozen=True)
class Example:
    """Hold one labelled evaluation message."""

    language: str
    intent: str
    text: str


def read_eval_files(paths: Iterable[Path]) -> list[Example]:
    """Read Rasa NLU YAML files named `<language>.yml`."""
    examples: list[Example] = []
    for path in sorted(paths):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in document.get("nlu") or []:
            for line in str(block.get("examples", "")).splitlines():
                if line.strip().startswith("- ") and line.strip()[2:].strip():
                    examples.append(Example(path.stem, block["intent"], line.strip()[2:].strip()))
    return examples


def _scores(gold: list[str], predicted: list[str]) -> dict[str, float]:
    return {
        "n": len(gold),
        "accuracy": round(accuracy_score(gold, predicted), 4),
        "macro_f1": round(f1_score(gold, predicted, average="macro", zero_division=0), 4),
    }


def evaluate(parser: Parser, examples: list[Example], threshold: float) -> dict[str, Any]:
    """Parse every example and compute the report's numbers."""
    parses: list[Parse] = [parser.parse_sync(e.text) for e in examples]
    gold = [e.intent for e in examples]
    predicted = [p.intent for p in parses]
    by_language: dict[str, list[int]] = defaultdict(list)
    for i, example in enumerate(examples):
        by_language[example.language].append(i)
    labels = sorted(set(gold) | set(predicted))
    precision, recall, f1, support = precision_recall_fscore_support(gold, predicted, labels=labels, zero_division=0)
    report: dict[str, Any] = {
        "threshold": threshold,
        "overall": _scores(gold, predicted),
        "per_language": {
            lang: {
                **_scores([gold[i] for i in idx], [predicted[i] for i in idx]),
                "language_id_accuracy": round(sum(parses[i].language == lang for i in idx) / len(idx), 4),
            }
            for lang, idx in sorted(by_language.items())
        },
        "per_intent": {
            label: {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "n": int(s)}
            for label, p, r, f, s in zip(labels, precision, recall, f1, support)
        },
        "language_id_accuracy": round(sum(p.language == e.language for p, e in zip(parses, examples)) / len(examples), 4),
        "thresholds": _threshold_sweep(gold, parses),
        "confusions": Counter(f"{g} → {p}" for g, p in zip(gold, predicted) if g != p).most_common(15),
        "worst": sorted(
            (
                {"language": e.language, "text": e.text, "expected": e.intent, "got": p.intent, "confidence": round(p.confidence, 3)}
                for e, p in zip(examples, parses)
                if p.intent != e.intent
            ),
            key=lambda row: -row["confidence"],
        )[:30],
        "labels": labels,
        "matrix": confusion_matrix(gold, predicted, labels=labels).tolist(),
    }
    return report


def _threshold_sweep(gold: list[str], parses: list[Parse]) -> list[dict[str, float]]:
    """Show, per threshold, out-of-scope recall against in-scope requests turned away."""
    rows = []
    in_scope = [i for i, g in enumerate(gold) if g != OUT_OF_SCOPE]
    oos = [i for i, g in enumerate(gold) if g == OUT_OF_SCOPE]
    for t in THRESHOLDS:
        rejected = lambda i: parses[i].confidence < t  # noqa: E731
        rows.append(
            {
                "threshold": t,
                "out_of_scope_recall": round(sum(parses[i].intent == OUT_OF_SCOPE or rejected(i) for i in oos) / max(1, len(oos)), 4),
                "in_scope_turned_away": round(sum(rejected(i) for i in in_scope) / max(1, len(in_scope)), 4),
                "in_scope_answered_right": round(sum(not rejected(i) and parses[i].intent == gold[i] for i in in_scope) / max(1, len(in_scope)), 4),
            }
        )
    return rows


def plot_confusion(report: dict[str, Any], path: Path) -> None:
    """Draw the confusion matrix as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels, matrix = report["labels"], report["matrix"]
    fig, ax = plt.subplots(figsize=(11, 9))
    ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(len(labels)), labels, rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    for i, row in enumerate(matrix):
        for j, value in enumerate(row):
            if value:
                ax.text(j, i, str(value), ha="center", va="center", fontsize=7, color="white" if i == j else "black")
    ax.set_xlabel("predicted")
    ax.set_ylabel("expected")
    ax.set_title(f"Amparo NLU: macro-F1 {report['overall']['macro_f1']:.3f}")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def markdown(report: dict[str, Any]) -> str:
    """Format the report as Markdown for trainers."""
    o = report["overall"]
    lines = [
        "# NLU evaluation",
        "",
        f"{o['n']} held-out messages. Accuracy **{o['accuracy']:.3f}**, macro-F1 **{o['macro_f1']:.3f}**, "
        f"language identification **{report['language_id_accuracy']:.3f}**.",
        "",
        "## Per language",
        "",
        "| language | n | accuracy | macro-F1 | language id |",
        "| --- | --- | --- | --- | --- |",
    ]
    lines += [
        f"| {lang} | {s['n']} | {s['accuracy']:.3f} | {s['macro_f1']:.3f} | {s['language_id_accuracy']:.3f} |"
        for lang, s in report["per_language"].items()
    ]
    lines += ["", "## Per intent", "", "| intent | n | precision | recall | F1 |", "| --- | --- | --- | --- | --- |"]
    lines += [
        f"| {name} | {s['n']} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} |"
        for name, s in sorted(report["per_intent"].items(), key=lambda kv: kv[1]["f1"])
    ]
    lines += [
        "",
        f"## Low-confidence threshold (in use: {report['threshold']})",
        "",
        "Below the threshold the bot shows the menu instead of answering.",
        "",
        "| threshold | out_of_scope recall | in-scope turned away | in-scope answered right |",
        "| --- | --- | --- | --- |",
    ]
    lines += [
        f"| {r['threshold']} | {r['out_of_scope_recall']:.3f} | {r['in_scope_turned_away']:.3f} | {r['in_scope_answered_right']:.3f} |"
        for r in report["thresholds"]
    ]
    lines += ["", "## Most frequent confusions", ""]
    lines += [f"- {pair}: {count}" for pair, count in report["confusions"]]
    lines += ["", "## Worst mistakes (confident and wrong)", "", "| lang | message | expected | got | confidence |", "| --- | --- | --- | --- | --- |"]
    lines += [
        f"| {w['language']} | {w['text'][:80].replace('|', '/')} | {w['expected']} | {w['got']} | {w['confidence']:.2f} |"
        for w in report["worst"]
    ]
    lines += ["", "![confusion matrix](confusion_matrix.png)", ""]
    return "\n".join(lines)


def write_report(report: dict[str, Any], out_dir: Path, extra: Iterable[str] = ()) -> Path:
    """Write report.json, report.md (with any extra sections) and confusion_matrix.png; return the Markdown path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    plot_confusion(report, out_dir / "confusion_matrix.png")
    path = out_dir / "report.md"
    path.write_text("\n".join([markdown(report), *extra]), encoding="utf-8")
    return path
