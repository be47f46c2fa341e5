"""Run a benchmark child process and collect the JSON lines it reports, timed from its start."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bot.settings import PROJECT_ROOT

MARK = "BENCH "


def report(**fields: Any) -> None:
    """Print one result line for the parent (children call this)."""
    sys.stdout.write(MARK + json.dumps(fields) + "\n")
    sys.stdout.flush()


def run_child(module: str, *args: str, env: dict[str, str] | None = None, log: Path | None = None, timeout: float = 1800) -> list[dict[str, Any]]:
    """Run `python -m module args`; return its reports, each with `at_s`: seconds since the spawn."""
    start = time.perf_counter()
    stderr = log.open("ab") if log else subprocess.DEVNULL
    try:
        with subprocess.Popen(
            [sys.executable, "-m", module, *args], cwd=PROJECT_ROOT, env={**os.environ, **(env or {})},
            stdout=subprocess.PIPE, stderr=stderr, text=True,
        ) as process:
            reports = []
            assert process.stdout is not None
            for line in process.stdout:
                if line.startswith(MARK):
                    reports.append({**json.loads(line[len(MARK):]), "at_s": round(time.perf_counter() - start, 3)})
            process.wait(timeout=timeout)
    finally:
        if log:
            stderr.close()  # type: ignore[union-attr]
    if process.returncode != 0:
        raise RuntimeError(f"{module} exited with status {process.returncode}")
    return reports
