"""Write dialog test results: side by side for people in a terminal, JSON lines for machines."""
from __future__ import annotations

import json
import shutil
import textwrap
from typing import Any, Iterable, TextIO

from wcwidth import wcswidth

from bot.dialogs.observe import Observed
from bot.dialogs.runner import DialogOutcome, TurnOutcome

GAP = " │ "


def summary(outcomes: list[DialogOutcome]) -> str:
    """Return the summary line: `N passed, M failed`."""
    passed = sum(o.passed for o in outcomes)
    return f"{passed} passed, {len(outcomes) - passed} failed"


def _pad(text: str, width: int) -> str:
    shown = wcswidth(text)
    return text + " " * max(0, width - (shown if shown >= 0 else len(text)))


def _wrap(lines: Iterable[str], width: int) -> list[str]:
    out: list[str] = []
    for line in lines:
        indent = " " * (len(line) - len(line.lstrip()) + 2)
        out += textwrap.wrap(line, width, subsequent_indent=indent, replace_whitespace=False) or [""]
    return out


def _expected(done: TurnOutcome) -> list[str]:
    lines = [f"✗ {done.problem}"] if done.problem else []
    for c in done.checks:
        lines.append(("✓ " if c.passed else "✗ ") + c.wanted)
        if not c.passed:
            lines.append(f"    got: {c.got}")
    if any(c.word in ("sends", "buttons") and not c.passed for c in done.checks):
        lines.append("    (sent and offered: see the right)")
    return lines or ["(nothing expected)"]


def _bot(seen: Observed | None) -> list[str]:
    if seen is None:
        return ["(nothing was sent to the bot)"]
    intent = "-" if seen.intent is None else seen.intent
    if seen.confidence is not None:
        intent += f" ({seen.confidence:.2f})"
    lines = [f"language {seen.language} · intent {intent} · step {seen.step or '-'}"]
    lines.append("sends: " + (", ".join(seen.content_keys) or "nothing"))
    if seen.buttons:
        lines.append("buttons: " + ", ".join(data or "(location)" for _, data in seen.buttons))
    lines.append("")
    lines += seen.text.splitlines()
    if seen.buttons:
        lines.append(" ".join(f"[{label}]" for label, _ in seen.buttons))
    return lines


def turn_block(number: int, done: TurnOutcome, width: int) -> list[str]:
    """Show one failing turn: expectations on the left, the bot's words on the right."""
    turn = done.turn
    head = f"  turn {number} (line {turn.line}), {turn.person}: {turn.describe()}"
    if turn.hint:
        head += f"  [hint {turn.hint}]"
    left_width = max(28, min(48, width * 2 // 5))
    right_width = max(30, width - left_width - len(GAP) - 2)
    language = done.seen.language if done.seen else "-"
    left = _wrap(_expected(done), left_width)
    right = _wrap(_bot(done.seen), right_width)
    rows = [head, "  " + _pad("expected", left_width) + GAP + f"the bot said ({language})"]
    rows.append("  " + "─" * left_width + "─┼─" + "─" * right_width)
    for i in range(max(len(left), len(right))):
        l_text = left[i] if i < len(left) else ""
        r_text = right[i] if i < len(right) else ""
        rows.append(("  " + _pad(l_text, left_width) + GAP + r_text).rstrip())
    return rows


def dialog_block(outcome: DialogOutcome, width: int) -> list[str]:
    """Show one dialog: a status line, then every failing turn and every note."""
    if outcome.error is not None:
        return [f"ERROR {outcome.error}"]
    status = "ok  " if outcome.passed else "FAIL"
    rows = [f"{status}  {outcome.path}  {outcome.name} ({len(outcome.turns)} turns)"]
    rows += [f"  note: {note}" for note in outcome.notes]
    for number, done in enumerate(outcome.turns, start=1):
        if not done.passed:
            rows += turn_block(number, done, width) + [""]
    return rows


def write_text(outcomes: list[DialogOutcome], out: TextIO, width: int | None = None) -> None:
    """Write the report for people, ending with the summary line."""
    width = width or min(160, max(80, shutil.get_terminal_size((100, 24)).columns))
    for outcome in outcomes:
        out.write("\n".join(dialog_block(outcome, width)).rstrip("\n") + "\n")
    out.write(summary(outcomes) + "\n")


def outcome_json(outcome: DialogOutcome) -> dict[str, Any]:
    """Return one dialog's result as a JSON-able dict."""
    error = outcome.error
    return {
        "file": str(outcome.path),
        "name": outcome.name,
        "passed": outcome.passed,
        "error": None if error is None else {"line": error.line, "message": error.message},
        "notes": outcome.notes,
        "turns": [
            {
                "line": done.turn.line,
                "person": done.turn.person,
                "sent": done.turn.describe(),
                "passed": done.passed,
                "problem": done.problem,
                "checks": [c.to_json() for c in done.checks],
                "bot": None if done.seen is None else done.seen.to_json(),
            }
            for done in outcome.turns
        ],
    }


def write_jsonl(outcomes: list[DialogOutcome], out: TextIO) -> None:
    """Write one JSON object per dialog."""
    for outcome in outcomes:
        out.write(json.dumps(outcome_json(outcome), ensure_ascii=False) + "\n")
