"""Run the whole benchmark once and write reports/bench/ (`make bench`)."""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import logging
import os
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any

from bot.settings import PROJECT_ROOT
from nlu.parser import Parser
from tests.bench import latency, processes, report, telegram, throughput
from tests.bench.stack import bench_settings, rasa_parser, services_with

log = logging.getLogger("bench")


def environment() -> dict[str, Any]:
    """Describe the machine and the code measured."""
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_ROOT, capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain"], cwd=PROJECT_ROOT, capture_output=True, text=True).stdout.strip()
    return {
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "commit": commit + ("+changes" if dirty else ""),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


async def in_process(results: dict[str, Any], samples: dict[str, list[float]], args: argparse.Namespace) -> None:
    """Measure latency and throughput with the real model in this process, then the Telegram surge."""
    settings = bench_settings()
    log.info("loading the Rasa model")
    parser = rasa_parser(settings)
    async with services_with(settings, parser) as services:
        log.info("latency: %d messages x %d rounds", len(latency.MESSAGES), args.rounds)
        lat = await latency.text_turns(services, parser.model, args.rounds)
        samples.update({"bare Rasa parse": lat["samples"]["bare_parse"], "text turn, new message": lat["samples"]["text_turn"],
                        "text turn, cached parse": lat["samples"]["text_turn_cached"]})
        results["latency"] = {k: v for k, v in lat.items() if k != "samples"}
        danger = await latency.danger_layer(services, args.rounds)
        samples.update({"text turn, danger layer": danger["samples"]["with"], "text turn, empty danger layer": danger["samples"]["without"]})
        results["danger"] = {k: v for k, v in danger.items() if k != "samples"}
        buttons = await latency.button_turns(services)
        samples["button turn"] = buttons["samples"]["button_turn"]
        results["buttons"] = {"button_turn": buttons["button_turn"]}
        log.info("throughput: %d users", args.users)
        results["throughput_cached"] = await throughput.sustained(services, args.users, tag="cached")
    cold = Parser(parser.model, parser.languages, parser.entities, cache_size=0, fallback=parser.fallback)
    async with services_with(settings, cold) as services:
        results["throughput_uncached"] = await throughput.sustained(services, args.users, tag="cold")
    if args.surge_users:
        log.info("Telegram surge: %d users", args.surge_users)
        results["telegram"] = await telegram.surge(settings, parser, args.surge_users)


def main(argv: list[str] | None = None) -> int:
    """Run every measurement and write the reports."""
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__)
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "reports" / "bench")
    parser.add_argument("--users", type=int, default=500, help="simulated users for the throughput run")
    parser.add_argument("--surge-users", type=int, default=1000, help="simulated users for the Telegram surge (0: skip)")
    parser.add_argument("--rounds", type=int, default=5, help="passes over the message set for latency")
    parser.add_argument("--install-seconds", type=float, default=None)
    parser.add_argument("--skip", nargs="*", default=[], choices=["startup", "training", "engine"], help="leave parts out")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s bench: %(message)s", stream=sys.stderr)
    for noisy in ("httpx", "telegram", "bot", "nlu", "rasa", "tensorflow", "absl", "matplotlib", "aiohttp", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    args.out.mkdir(parents=True, exist_ok=True)
    child_log = args.out / "children.log"
    results: dict[str, Any] = {"environment": environment(), "install_seconds": args.install_seconds}
    samples: dict[str, list[float]] = {}
    if "startup" not in args.skip:
        log.info("start-up and memory (fresh process)")
        results["startup"] = processes.startup(child_log)
    if "training" not in args.skip:
        log.info("training from scratch (fresh process, empty model folder)")
        results["training"] = processes.training(child_log)
    if "engine" not in args.skip:
        asyncio.run(in_process(results, samples, args))
    report.write(results, samples, args.out)
    print(report.markdown(results))
    surge = results.get("telegram")
    if surge and (surge["chats_wrong"] or surge["max_per_1s_overall"] > 30 or surge["max_per_chat_window"] > 3):
        log.error("the Telegram surge broke its guarantees: see bench.json")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
