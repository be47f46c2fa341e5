"""Run `amparo test-dialogs`: dialog files in, a report out, a non-zero exit status on any failure."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from bot.dialogs.loader import dialog_files
from bot.dialogs.report import summary, write_jsonl, write_text
from bot.dialogs.runner import run_dialog_files
from bot.settings import PROJECT_ROOT, Settings

DEFAULT_FOLDER = Path("tests") / "dialogs"


async def dialog_tests(
    settings: Settings, paths: list[Path], jsonl: bool, out: TextIO = sys.stdout, err: TextIO = sys.stderr
) -> int:
    """Run the dialog files under `paths` (default tests/dialogs) and report; return the exit status."""
    paths = paths or [DEFAULT_FOLDER if DEFAULT_FOLDER.is_dir() else PROJECT_ROOT / DEFAULT_FOLDER]
    if not dialog_files(paths):
        err.write(f"no dialog files (*.yml) in {', '.join(map(str, paths))}\n")
        return 1
    outcomes = await run_dialog_files(paths, settings)
    if jsonl:
        write_jsonl(outcomes, out)
        err.write(summary(outcomes) + "\n")
    else:
        write_text(outcomes, out)
    return 0 if all(o.passed for o in outcomes) else 1
