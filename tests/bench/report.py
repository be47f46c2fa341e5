"""Write the benchmark results: bench.json, a short bench.md table, latency.png."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

TARGETS = {
    "ratio": 1.10,
    "button_p95_ms": 5.0,
    "turns_per_s": 60.0,
    "first_answer_s": 5.0,
    "rss_mb": 1024.0,
}


def _ok(value: float, target: float, below: bool = True) -> str:
    return "yes" if (value <= target if below else value >= target) else "**no**"


def rows(r: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """Return (measure, value, target, met) rows for the table."""
    out: list[tuple[str, str, str, str]] = []
    if "latency" in r:
        lat = r["latency"]
        bare, turn, cached = lat["bare_parse"], lat["text_turn"], lat["text_turn_cached"]
        out += [
            ("bare Rasa parse (RasaIntentModel.rank), p50 / p95", f"{bare['p50_ms']:.2f} / {bare['p95_ms']:.2f} ms", "", ""),
            ("text turn (Engine.handle + Redis, new message), p50 / p95", f"{turn['p50_ms']:.2f} / {turn['p95_ms']:.2f} ms", "", ""),
            ("text turn ÷ bare parse, p50 / p95", f"{lat['ratio_p50']:.2f} / {lat['ratio_p95']:.2f}", "≤ 1.10",
             _ok(max(lat["ratio_p50"], lat["ratio_p95"]), TARGETS["ratio"])),
            ("text turn, message seen before (parse cache), p50 / p95", f"{cached['p50_ms']:.2f} / {cached['p95_ms']:.2f} ms", "", ""),
        ]
    if "danger" in r:
        d = r["danger"]
        out += [
            ("text turn with the danger layer, p50 / p95", f"{d['with']['p50_ms']:.2f} / {d['with']['p95_ms']:.2f} ms", "", ""),
            ("text turn with an empty danger layer (as before), p50 / p95", f"{d['without']['p50_ms']:.2f} / {d['without']['p95_ms']:.2f} ms", "", ""),
            ("danger detector alone, p50 / p95", f"{d['detect']['p50_ms']:.3f} / {d['detect']['p95_ms']:.3f} ms", "", ""),
        ]
    if "buttons" in r:
        b = r["buttons"]["button_turn"]
        out.append(("button turn, p50 / p95", f"{b['p50_ms']:.2f} / {b['p95_ms']:.2f} ms", "p95 < 5 ms", _ok(b["p95_ms"], TARGETS["button_p95_ms"])))
    for key, label in (("throughput_cached", "repeated messages, parse cache on"), ("throughput_uncached", "every message new, no parse cache")):
        if key in r:
            t = r[key]
            out.append((f"sustained text turns/s, {t['users']} users at once ({label})", f"{t['turns_per_s']:.0f}/s ({t['turns']} turns)",
                        "≥ 60/s", _ok(t["turns_per_s"], TARGETS["turns_per_s"], below=False)))
    if "telegram" in r:
        t = r["telegram"]
        out += [
            (f"Telegram layer, {t['users']} users × 5 messages ({t['injected_429']} × 429, {t['injected_5xx']} × 5xx injected)",
             f"{t['turns_per_s']:.1f} turns/s, drained in {t['drain_s']:.0f} s", f"30 msg/s alone: {t['limit_only_s']:.0f} s", ""),
            ("Telegram layer: busiest 1 s overall / busiest chat window", f"{t['max_per_1s_overall']} / {t['max_per_chat_window']}",
             f"≤ {t['limits']['overall']} / ≤ {t['limits']['chat']}", "yes" if t["max_per_1s_overall"] <= 30 and t["max_per_chat_window"] <= 3 else "**no**"),
            ("Telegram layer: chats answered wrongly (missing, repeated, out of order)", str(t["chats_wrong"]), "0", _ok(t["chats_wrong"], 0)),
        ]
    if "startup" in r:
        s = r["startup"]
        out += [
            ("start to first answer (quick model)", f"{s['first_answer_s']:.1f} s", "< 5 s", _ok(s["first_answer_s"], TARGETS["first_answer_s"])),
            ("start to full NLU (Rasa model loaded)", f"{s['full_nlu_s']:.1f} s", "", ""),
            ("worker memory with the model loaded: RSS (peak)", f"{s['rss_mb']:.0f} MB ({s['peak_rss_mb']:.0f} MB)", "< 1 GB", _ok(s["rss_mb"], TARGETS["rss_mb"])),
        ]
    if "training" in r:
        t = r["training"]
        out += [
            ("training from scratch (nlu.train.train; whole process)", f"{t['scratch_s']:.0f} s ({t['scratch_process_s']:.0f} s)", "", ""),
            ("training, cached (second call; fresh process)", f"{t['cached_s'] * 1000:.0f} ms ({t['cached_process_s']:.1f} s)", "", ""),
        ]
    if r.get("install_seconds") is not None:
        out.append(("install (given)", f"{float(r['install_seconds']):.0f} s", "", ""))
    return out


def markdown(r: dict[str, Any]) -> str:
    """Return the results as a short markdown table."""
    env = r["environment"]
    lines = [
        "# Amparo benchmark",
        "",
        f"{env['date']}, commit {env['commit']}, Python {env['python']}, {env['cpus']} CPUs, load average at start {env['load_average']}.",
        "",
        "| measure | value | target | met |",
        "| --- | --- | --- | --- |",
        *(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows(r)),
        "",
    ]
    return "\n".join(lines)


def latency_plot(samples: dict[str, list[float]], path: Path) -> None:
    """Draw the latency distributions (cumulative, log scale) with their p50 and p95."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(9, 5))
    for label, values in samples.items():
        ms = sorted(v * 1000 for v in values)
        if not ms:
            continue
        axes.step(ms, [(i + 1) / len(ms) for i in range(len(ms))], where="post", label=f"{label} (n={len(ms)})")
    axes.set_xscale("log")
    axes.axhline(0.5, color="grey", linewidth=0.5)
    axes.axhline(0.95, color="grey", linewidth=0.5)
    axes.set_xlabel("latency (ms, log scale)")
    axes.set_ylabel("share of turns at or below")
    axes.set_title("Amparo latency: bare Rasa parse vs. full turns")
    axes.legend(loc="lower right")
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)


def write(r: dict[str, Any], samples: dict[str, list[float]], out: Path) -> None:
    """Write bench.json, bench.md and latency.png into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench.json").write_text(json.dumps(r, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (out / "bench.md").write_text(markdown(r), encoding="utf-8")
    latency_plot(samples, out / "latency.png")
