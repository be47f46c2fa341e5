"""The `amparo` command: train, nlu parse, shell, run, kb check."""
from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import logging
import sys
from pathlib import Path
from typing import Any

from bot.settings import Settings

log = logging.getLogger("amparo")


def _setup_logging(settings: Settings) -> None:
    logging.basicConfig(
        level=settings.log_level.upper(),
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for noisy in ("httpx", "tensorflow", "absl", "matplotlib"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def cmd_train(settings: Settings, args: argparse.Namespace) -> int:
    """Train the NLU model and the danger classifier unless the cache already holds them for this data."""
    from bot.services import build_danger
    from nlu.langid import LanguageIdentifier
    from nlu.train import train

    path = train(settings.nlu_config, settings.nlu_data, settings.model_dir, force=args.force)
    print(path)
    danger = build_danger(settings, LanguageIdentifier.from_training_data(settings.nlu_data).vocabulary)
    print("danger classifier:", "ready" if danger.model is not None else "no training data")
    return 0


def cmd_nlu_parse(settings: Settings, args: argparse.Namespace) -> int:
    """Parse one message per stdin line into one JSON object per line."""
    from bot.services import KnowledgeHolder, build_parser

    parser = build_parser(settings, KnowledgeHolder(settings.knowledge_dir))
    for line in sys.stdin:
        text = line.rstrip("\n")
        sys.stdout.write(json.dumps(parser.parse_sync(text, args.lang).to_json(), ensure_ascii=False) + "\n")
        sys.stdout.flush()
    return 0


def cmd_nlu_eval(settings: Settings, args: argparse.Namespace) -> int:
    """Evaluate the NLU on held-out files and write a report."""
    from bot.services import KnowledgeHolder, build_danger, build_parser, nlu_threshold
    from nlu.evaluate import evaluate, read_eval_files, write_report
    from nlu.evaluate_danger import DANGER_SETS, danger_markdown, evaluate_danger, read_danger_files
    from nlu.evaluate_real import evaluate_real, read_real_files, real_markdown
    from bot.danger_answers import answers_markdown

    eval_dir = settings.nlu_config.parent / "eval"
    paths = [Path(p) for p in args.files] or sorted(eval_dir.glob("*.yml"))
    parser = build_parser(settings, KnowledgeHolder(settings.knowledge_dir))
    examples = read_eval_files(paths)
    report = evaluate(parser, examples, nlu_threshold(settings.nlu_config))
    detector = build_danger(settings, parser.languages.vocabulary)
    sections = []
    danger_sets = {name: read_danger_files(sorted((eval_dir / name).glob("*.yml"))) for name in DANGER_SETS}
    for name, danger_set in danger_sets.items():
        if danger_set:
            report[name] = evaluate_danger(detector, danger_set, examples, lambda text: parser.parse_sync(text).intent)
            sections.append(danger_markdown(report[name], DANGER_SETS[name]))
    answers = asyncio.run(_danger_answers(settings, parser, detector, danger_sets))
    for name, result in answers.items():
        report[f"{name}_answers"] = result
        sections.append(answers_markdown(result, DANGER_SETS[name]))
    real = read_real_files(sorted((eval_dir / "real").glob("*.yml")))
    if real:
        report["real"] = evaluate_real(parser, real, nlu_threshold(settings.nlu_config))
        sections.insert(0, real_markdown(report["real"]))
    path = write_report(report, Path(args.out), extra=sections)
    o = report["overall"]
    print(f"macro-F1 {o['macro_f1']:.3f}  accuracy {o['accuracy']:.3f}  language-id {report['language_id_accuracy']:.3f}")
    for lang, s in report["per_language"].items():
        print(f"  {lang}: macro-F1 {s['macro_f1']:.3f}  language-id {s['language_id_accuracy']:.3f}")
    if "real" in report:
        print("realistic set: single-need accuracy, several-need (at least one), unrelated taken as a need")
        for lang, s in report["real"]["per_language"].items():
            print(f"  {lang}: {s['single_accuracy']:.3f}  {s['several_at_least_one']:.3f}  {s['unrelated_taken_as_need']:.3f}  (n={s['n']})")
    for name in (n for n in DANGER_SETS if f"{n}_answers" in report):
        a = report[f"{name}_answers"]["overall"]
        print(f"{name} answers: number on the first line {a['first_line']:.3f}, in the first message {a['first_message']:.3f}, "
              f"person offered {a['person_offered']:.3f}, ordinary on the urgent path {a['urgent_path']:.3f} (n={a['n']})")
    for name in (n for n in DANGER_SETS if n in report):
        d = report[name]["overall"]
        print(f"{name}: recall {d['recall']:.3f}  false alarms {d['false_alarms']:.3f}  near misses flagged {d['hard_negative_false_alarms']:.3f}")
        for lang, s in report[name]["per_language"].items():
            print(f"  {lang}: recall {s['recall']:.3f} (n={s['n_danger']})  false alarms {s['false_alarms']:.3f} (n={s['n_ordinary']})")
    print(f"report: {path}")
    return 0


async def _danger_answers(settings: Settings, parser: Any, detector: Any, sets: dict[str, list[Any]]) -> dict[str, Any]:
    """Replay the danger sets through the engine on a throwaway key prefix."""
    import uuid

    from bot.danger_answers import measure_answers
    from bot.services import build_services

    prefix = f"amparo-eval-{uuid.uuid4().hex[:8]}"
    services = await build_services(dataclasses.replace(settings, key_prefix=prefix), parser, danger=detector)
    try:
        return {name: await measure_answers(services, examples, name) for name, examples in sets.items() if examples}
    finally:
        keys = [k async for k in services.redis.client.scan_iter(match=f"{prefix}:*")]
        if keys:
            await services.redis.client.delete(*keys)
        await services.close()


async def _shell(settings: Settings, jsonl: bool) -> int:
    from bot.cases.notifier import CaseNotifier
    from bot.cases.simulated import SimulatedDesk
    from bot.services import build_services
    from bot.shell import run_interactive, run_jsonl

    # The shell keeps its sessions and cases apart from the bot's, and its cases go to a simulated desk.
    settings = dataclasses.replace(settings, key_prefix=f"{settings.key_prefix}:shell")
    services = await build_services(settings, background_model=not jsonl)
    desk = SimulatedDesk(services.renderer)
    notifier = CaseNotifier(services.cases, services.knowledge.desks, desk, services.engine.escalator.news, settings.reannounce_minutes * 60.0)

    async def staff_view() -> list[str]:
        await notifier.deliver_pending()
        return desk.drain()

    try:
        if jsonl:
            return await run_jsonl(services.engine, services.renderer, sys.stdin, sys.stdout, staff_view)
        return await run_interactive(services.engine, services.renderer, staff=staff_view)
    finally:
        await services.close()


def cmd_shell(settings: Settings, args: argparse.Namespace) -> int:
    """Open the trainer shell."""
    return asyncio.run(_shell(settings, args.jsonl))


def cmd_run(settings: Settings, args: argparse.Namespace) -> int:
    """Run the Telegram bot when a token is set, otherwise the trainer shell."""
    if not settings.telegram_token:
        log.info("TELEGRAM_BOT_TOKEN is not set: opening the trainer shell instead")
        return cmd_shell(settings, argparse.Namespace(jsonl=False))
    from bot.telegram.app import run_polling, run_webhook

    if settings.webhook_url:
        run_webhook(settings)
    else:
        run_polling(settings)
    return 0


def cmd_kb_check(settings: Settings, args: argparse.Namespace) -> int:
    """Validate every knowledge file; print each problem as file:line."""
    from actions.coverage import untranslated
    from actions.loader import check_knowledge

    folder = Path(args.folder) if args.folder else settings.knowledge_dir
    knowledge, problems = check_knowledge(folder)
    problems += untranslated(folder, settings.locales_dir)
    for problem in problems:
        print(problem)
    counts = f"{len(knowledge.contacts)} contacts, {len(knowledge.shelters)} shelters, {len(knowledge.topics)} topics, {len(knowledge.places)} places"
    print(f"{len(problems)} problem(s); {counts}", file=sys.stderr)
    return 1 if problems else 0


def cmd_test_dialogs(settings: Settings, args: argparse.Namespace) -> int:
    """Replay dialog test files through the real bot and report every failing turn."""
    from bot.dialogs.command import dialog_tests

    return asyncio.run(dialog_tests(settings, [Path(p) for p in args.paths], args.jsonl))


def build_argparser() -> argparse.ArgumentParser:
    """Describe the command line."""
    parser = argparse.ArgumentParser(prog="amparo", description="Amparo crisis-help bot")
    sub = parser.add_subparsers(dest="command", required=True)
    train = sub.add_parser("train", help="train the NLU model (cached by data + config hash)")
    train.add_argument("--force", action="store_true", help="train even if a cached model exists")
    train.set_defaults(func=cmd_train)
    nlu = sub.add_parser("nlu", help="NLU tools").add_subparsers(dest="nlu_command", required=True)
    parse = nlu.add_parser("parse", help="parse stdin lines into JSON lines")
    parse.add_argument("--lang", default=None, help="language hint, as Telegram's language_code")
    parse.set_defaults(func=cmd_nlu_parse)
    evaluation = nlu.add_parser("eval", help="evaluate on held-out files and write a report")
    evaluation.add_argument("files", nargs="*", help="evaluation files named <lang>.yml (default: nlu/eval/*.yml)")
    evaluation.add_argument("--out", default="reports/nlu", help="folder for report.md, report.json and the PNG")
    evaluation.set_defaults(func=cmd_nlu_eval)
    shell = sub.add_parser("shell", help="the trainer shell")
    shell.add_argument("--jsonl", action="store_true", help="one JSON turn per line in, one JSON result per line out")
    shell.set_defaults(func=cmd_shell)
    run = sub.add_parser("run", help="run the Telegram bot (or the shell without a token)")
    run.set_defaults(func=cmd_run)
    kb = sub.add_parser("kb", help="knowledge tools").add_subparsers(dest="kb_command", required=True)
    check = kb.add_parser("check", help="validate the knowledge files")
    check.add_argument("folder", nargs="?", help="folder to check (default: the configured one)")
    check.set_defaults(func=cmd_kb_check)
    dialogs = sub.add_parser("test-dialogs", help="run dialog test files (default: tests/dialogs)")
    dialogs.add_argument("paths", nargs="*", help="dialog files or folders (folders are not searched recursively)")
    dialogs.add_argument("--jsonl", action="store_true", help="one JSON object per dialog instead of the report")
    dialogs.set_defaults(func=cmd_test_dialogs)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the `amparo` command."""
    args = build_argparser().parse_args(argv)
    settings = Settings.from_env()
    _setup_logging(settings)
    return args.func(settings, args)


if __name__ == "__main__":
    sys.exit(main())
