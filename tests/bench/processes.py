"""Measure what needs a fresh process: start-up time, worker memory, training time."""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from tests.bench.children import run_child


def startup(log: Path) -> dict[str, Any]:
    """Time a fresh worker to its first answer and to full NLU; read its memory with the model loaded."""
    events = {r["event"]: r for r in run_child("tests.bench.startup_child", log=log)}
    return {
        "first_answer_s": events["first_answer"]["at_s"],
        "first_answer_nlu": events["first_answer"]["nlu"],
        "full_nlu_s": events["full_nlu"]["at_s"],
        "full_nlu_loaded": events["full_nlu"]["loaded"],
        "rss_mb": events["memory"]["rss_mb"],
        "uss_mb": events["memory"]["uss_mb"],
        "peak_rss_mb": events["memory"]["peak_rss_mb"],
    }


def training(log: Path) -> dict[str, Any]:
    """Train from scratch in an empty model folder, then again (cached), and once more as `amparo train` would."""
    with tempfile.TemporaryDirectory(prefix="amparo-bench-model-") as folder:
        env = {"AMPARO_MODEL_DIR": folder, "RASA_CACHE_DIRECTORY": str(Path(folder) / "rasa-cache")}
        first = run_child("tests.bench.train_child", folder, env=env, log=log)[0]
        again = run_child("tests.bench.train_child", folder, env=env, log=log)[0]
    return {
        "scratch_s": first["scratch_s"],
        "scratch_process_s": first["at_s"],
        "cached_s": first["cached_s"],
        "cached_process_s": again["at_s"],
    }
