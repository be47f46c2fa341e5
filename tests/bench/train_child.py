"""Child process: train the NLU model into an empty folder, then ask again (the cache answers)."""
from __future__ import annotations

import sys
import time
from pathlib import Path

from bot.settings import Settings
from nlu.train import train
from tests.bench.children import report


def main(model_dir: Path) -> None:
    """Report scratch_s and cached_s."""
    settings = Settings.from_env()
    start = time.perf_counter()
    train(settings.nlu_config, settings.nlu_data, model_dir)
    scratch = time.perf_counter() - start
    start = time.perf_counter()
    train(settings.nlu_config, settings.nlu_data, model_dir)
    report(scratch_s=round(scratch, 2), cached_s=round(time.perf_counter() - start, 3))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
