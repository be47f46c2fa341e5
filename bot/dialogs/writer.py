"""Write a conversation held in the trainer shell as a dialog test file."""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import yaml

from actions.lookup import Directory
from bot.dialogs.observe import LAYOUT_IDS
from bot.dialogs.spec import DialogTurn
from bot.engine.result import TurnResult
from bot.engine.session import Session


Recorded = list[tuple[DialogTurn, TurnResult]]
HEADER = "# Saved from the trainer shell on {day}: the expectations are what the bot did then.\n"


class _Flow(list):  # type: ignore[type-arg]
    """Mark a list to be written on one line: [a, b]."""


class _Dumper(yaml.SafeDumper):
    """Write block mappings with one-line lists, indenting lists under their key."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        """Indent block lists (`turns:` then `  - user: …`)."""
        super().increase_indent(flow, False)


_Dumper.add_representer(_Flow, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", list(v), flow_style=True))


def given_from(session: Session | None, directory: Directory) -> dict[str, Any]:
    """Describe the session a conversation started from, in the words of the dialog format."""
    if session is None:
        return {}
    given: dict[str, Any] = {}
    if session.language_chosen and session.language:
        given["language"] = session.language
    for word in ("nationality", "country"):
        if getattr(session, word):
            given[word] = getattr(session, word)
    if session.city and directory.place(session.city):
        given["city"] = session.city
    if session.has_location:
        given["location"] = _Flow([session.lat, session.lon])
    if session.open_case:
        given["case"] = session.open_case
    return given


def expectations(result: TurnResult) -> dict[str, Any]:
    """Fill a turn's expectations from what the bot did: language, intent, message ids sent."""
    expect: dict[str, Any] = {"language": result.language}
    if result.intent is not None:
        expect["intent"] = result.intent
    keys = [k for r in result.replies for k in r.keys if k not in LAYOUT_IDS]
    if keys:
        expect["sends"] = _Flow(dict.fromkeys(keys))
    return expect


def turn_entry(turn: DialogTurn, result: TurnResult) -> dict[str, Any]:
    """Describe one turn and what the bot did with it."""
    value = _Flow(turn.value) if turn.kind == "location" else turn.value
    entry: dict[str, Any] = {turn.kind: value}
    if turn.hint:
        entry["hint"] = turn.hint
    entry["expect"] = expectations(result)
    return entry


def dialog_yaml(name: str, start: Session | None, turns: Recorded, directory: Directory) -> str:
    """Return the dialog file text for a recorded conversation."""
    doc: dict[str, Any] = {"name": name}
    given = given_from(start, directory)
    if given:
        doc["given"] = given
    doc["turns"] = [turn_entry(turn, result) for turn, result in turns]
    body = yaml.dump(doc, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
    return HEADER.format(day=date.today().isoformat()) + body


def save_dialog(path: Path, name: str, start: Session | None, turns: Recorded, directory: Directory) -> None:
    """Write the dialog file, creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dialog_yaml(name, start, turns, directory), encoding="utf-8")
