"""The trainer shell: talk to the engine turn by turn, as a person (interactive) or a tool (--jsonl)."""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Awaitable, Callable, TextIO

from redis.exceptions import RedisError

from bot.dialogs.spec import DialogTurn
from bot.dialogs.writer import Recorded, save_dialog
from bot.engine.engine import Engine
from bot.engine.result import TurnResult
from bot.engine.session import Session
from bot.engine.turn import Location, Turn
from actions.validate import country_codes
from bot.i18n import Renderer

COMMANDS_HELP = (
    "  commands: :press LABEL|DATA  :location LAT LON  :user ID  :lang CODE  :reset  :quit\n"
    "  workbench: :explain (last turn)  :session (stored JSON)  :set nationality|country|city|language VALUE\n"
    "             :save PATH [NAME] (dialog test file)"
)


class TurnError(ValueError):
    """Raise when a JSON turn is malformed."""


def turn_from_json(line: str, default_user: str) -> Turn:
    """Build a Turn from one JSON line of `amparo shell --jsonl`."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise TurnError(f"not valid JSON: {exc.msg} at column {exc.colno}") from None
    if not isinstance(data, dict):
        raise TurnError("a turn must be a JSON object")
    user = str(data.get("user") or default_user)
    hint = data.get("lang")
    if "location" in data:
        loc = data["location"]
        try:
            location = Location(float(loc["lat"]), float(loc["lon"]))
        except (TypeError, KeyError, ValueError):
            raise TurnError('"location" needs numeric "lat" and "lon"') from None
        return Turn(user, location=location, language_hint=hint)
    if "button" in data:
        return Turn(user, button=str(data["button"]), language_hint=hint)
    text = data.get("text")
    if not isinstance(text, str):
        raise TurnError('a turn needs "text", "button" or "location"')
    return Turn(user, text=text, language_hint=hint)


def result_json(result: TurnResult, renderer: Renderer) -> dict[str, Any]:
    """Render a turn result in the shape DESIGN.md fixes."""
    return {
        "user": result.user,
        "language": result.language,
        "intent": result.intent,
        "confidence": None if result.confidence is None else round(result.confidence, 4),
        "replies": [renderer.render(r, result.language).to_json() for r in result.replies],
        "case": result.case,
    }


StaffView = Callable[[], Awaitable[list[str]]]


async def run_jsonl(engine: Engine, renderer: Renderer, stdin: TextIO, stdout: TextIO, staff: StaffView | None = None) -> int:
    """Answer one JSON turn per input line with one JSON object per line; go on after errors."""
    errors = 0
    for number, line in enumerate(stdin, start=1):
        if not line.strip():
            continue
        try:
            turn = turn_from_json(line, default_user="shell")
        except TurnError as exc:
            errors += 1
            out: dict[str, Any] = {"error": str(exc), "line": number}
        else:
            out = result_json(await engine.handle(turn), renderer)
            if staff is not None:
                await staff()
        stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        stdout.flush()
    return 1 if errors else 0


@dataclass
class ShellState:
    """Hold the shell's current user, language hint, last turn and the recorded conversations."""

    user: str = "trainer"
    hint: str | None = None
    buttons: list[tuple[str, str]] = field(default_factory=list)
    last: TurnResult | None = None
    recorded: dict[str, Recorded] = field(default_factory=dict)
    started: dict[str, Session | None] = field(default_factory=dict)
    staff: StaffView | None = None


def _danger(result: TurnResult) -> str:
    """Return each danger kind of a turn with the pattern or classifier score behind it."""
    return ", ".join(f"{kind} ({why})" for kind, why in zip(result.danger, result.danger_evidence))


def explain(result: TurnResult) -> list[str]:
    """Describe why the bot answered as it did, for a trainer."""
    s = result.session
    lines = [
        f"  language={result.language} intent={result.intent} confidence="
        + ("-" if result.confidence is None else f"{result.confidence:.2f}")
        + f" step={result.step}"
        + (f" nlu={result.nlu}" if result.nlu else ""),
    ]
    if result.entities:
        lines.append("  entities: " + ", ".join(f"{e['entity']}={e['value']}" for e in result.entities))
    if result.ranking:
        lines.append("  ranking: " + ", ".join(f"{n} {c:.2f}" for n, c in result.ranking[:3]))
    if result.danger:
        lines.append("  danger: " + _danger(result))
    lines.append(
        f"  session: nationality={s.nationality} country={s.country} city={s.city} "
        f"pending={s.pending}/{s.pending_intent} topic={s.last_topic} remembered={result.remembered}"
    )
    return lines


def explain_last(result: TurnResult | None) -> list[str]:
    """Describe the last turn in full: ranking with confidences, entities, flow step, message ids."""
    if result is None:
        return ["  no turn yet"]
    lines = [f"  language={result.language} step={result.step or '-'} remembered={result.remembered}"]
    lines.append("  ranking:" if result.ranking else f"  intent: {result.intent or '-'} (no text was parsed)")
    lines += [f"    {confidence:.3f}  {intent}" for intent, confidence in result.ranking]
    lines.append("  entities: " + (", ".join(f"{e['entity']}={e['value']}" for e in result.entities) or "none"))
    lines.append("  danger: " + (_danger(result) or "none"))
    lines.append("  sends: " + (", ".join(k for r in result.replies for k in r.keys) or "nothing"))
    return lines


async def show_session(engine: Engine, user: str) -> list[str]:
    """Return the stored session of a user as indented JSON."""
    try:
        session = await engine.store.load(user)
    except (RedisError, OSError) as exc:
        return [f"  session store unavailable: {exc}"]
    return ["  " + line for line in json.dumps(session.to_json(), ensure_ascii=False, indent=2).splitlines()]


async def record_start(engine: Engine, state: ShellState) -> None:
    """Remember the session a user's recorded conversation starts from."""
    if state.user in state.started:
        return
    try:
        session = await engine.store.load(state.user)
    except (RedisError, OSError):
        session = None
    state.started[state.user] = None if session is None or session == Session(user=state.user) else session


def save(words: list[str], state: ShellState, engine: Engine) -> str:
    """Write the current user's conversation as a dialog test file."""
    turns = state.recorded.get(state.user, [])
    if not words:
        return "  usage: :save PATH [NAME]"
    if not turns:
        return f"  nothing to save: {state.user} has not said anything yet"
    path = Path(words[0])
    name = " ".join(words[1:]) or path.stem.replace("_", " ").replace("-", " ")
    try:
        save_dialog(path, name, state.started.get(state.user), turns, engine.directory())
    except OSError as exc:
        return f"  could not write {path}: {exc.strerror or exc}"
    return f"  saved {len(turns)} turn(s) of {state.user} to {path}; replay: amparo test-dialogs {path}"


def build_turn(command: str, words: list[str], line: str, state: ShellState) -> tuple[Turn, DialogTurn] | str:
    """Build the engine turn and its dialog-file record from a typed line, or return a usage hint."""
    hint = state.hint
    if command == ":location":
        try:
            lat, lon = float(words[1]), float(words[2])
        except (ValueError, IndexError):
            return "  usage: :location LAT LON"
        said = DialogTurn("location", (lat, lon), hint=hint)
        return Turn(state.user, location=Location(lat, lon), language_hint=hint), said
    if command == ":press" and len(words) >= 2:
        wanted = " ".join(words[1:])
        by_label = next((d for label, d in state.buttons if label.casefold() == wanted.casefold()), None)
        data = by_label or next((d for _, d in state.buttons if d == wanted), wanted)
        said = DialogTurn("press", wanted, hint=hint) if by_label else DialogTurn("button", data, hint=hint)
        return Turn(state.user, button=data, language_hint=hint), said
    if command:
        return COMMANDS_HELP
    return Turn(state.user, text=line, language_hint=hint), DialogTurn("user", line.strip(), hint=hint)


SETTABLE = ("nationality", "country", "city", "language")


async def set_detail(engine: Engine, user: str, words: list[str]) -> str:
    """Set one detail of the user's session (`:set nationality CO`, `:set city Quito`, …)."""
    if len(words) < 2 or words[0] not in SETTABLE:
        return f"  usage: :set {'|'.join(SETTABLE)} VALUE"
    field, value = words[0], " ".join(words[1:])
    session = await engine.store.load(user)
    if field in ("nationality", "country"):
        code = value.upper()
        if code not in country_codes():
            return f"  {value!r} is not an ISO 3166 country code (e.g. CO, VE, HT)"
        setattr(session, field, code)
    elif field == "city":
        place = engine.directory().place(value)
        if place is None:
            return f"  {value!r} is not in the places gazetteer (actions/data/places.csv)"
        session.city, session.lat, session.lon, session.country = place.name, place.latitude, place.longitude, place.country
    else:
        if value not in engine.languages:
            return f"  language must be one of: {', '.join(engine.languages)}"
        session.language, session.language_chosen = value, True
    await engine.store.save(session)
    return f"  {field} = {getattr(session, field)}"


async def interactive_turn(line: str, state: ShellState, engine: Engine, renderer: Renderer, write: Callable[[str], None]) -> bool:
    """Handle one typed line; return False to quit."""
    words = line.strip().split()
    command = words[0] if words and words[0].startswith(":") else ""
    if command in (":quit", ":q"):
        return False
    if command == ":user" and len(words) == 2:
        state.user = words[1]
        write(f"  now talking as {state.user}")
        return True
    if command == ":lang":
        state.hint = words[1] if len(words) == 2 else None
        write(f"  language hint = {state.hint}")
        return True
    if command == ":reset":
        await engine.forget(state.user)
        state.recorded.pop(state.user, None)
        state.started[state.user] = None
        write(f"  session of {state.user} erased")
        return True
    if command == ":set":
        write(await set_detail(engine, state.user, words[1:]))
        return True
    if command in (":explain", ":session", ":save"):
        if command == ":explain":
            lines = explain_last(state.last)
        elif command == ":session":
            lines = await show_session(engine, state.user)
        else:
            lines = [save(words[1:], state, engine)]
        for out in lines:
            write(out)
        return True
    built = build_turn(command, words, line, state)
    if isinstance(built, str):
        write(built)
        return True
    turn, said = built
    await record_start(engine, state)
    result = await engine.handle(turn)
    state.last = result
    state.recorded.setdefault(state.user, []).append((said, result))
    state.buttons = []
    for item in result.replies:
        rendered = renderer.render(item, result.language)
        write(rendered.text)
        for label, data in rendered.buttons:
            write(f"   [{label}]  ({data})")
        if rendered.ask_location:
            write(f"   [{rendered.location_label}]  (:location LAT LON)")
        state.buttons.extend(rendered.buttons)
    for explanation in explain(result):
        write(explanation)
    for shown in await state.staff() if state.staff else []:
        write(shown)
    return True


async def run_interactive(engine: Engine, renderer: Renderer, stdin: TextIO = sys.stdin, staff: StaffView | None = None) -> int:
    """Read lines with editing and history (prompt_toolkit) on a terminal, plain lines otherwise."""
    state = ShellState(staff=staff)
    print(
        "Amparo trainer shell. Type a message; :press LABEL to press a button; "
        ":save PATH to keep the conversation as a dialog test; :quit to leave."
    )
    if stdin.isatty():
        from prompt_toolkit import PromptSession

        prompt = PromptSession()
        read = lambda: prompt.prompt_async(f"{state.user}> ")  # noqa: E731
    else:
        async def read() -> str:
            line = stdin.readline()
            if not line:
                raise EOFError
            return line

    while True:
        try:
            line = await read()
        except (EOFError, KeyboardInterrupt):
            return 0
        if line.strip() and not await interactive_turn(line, state, engine, renderer, print):
            return 0
