"""Read dialog test files, reporting every mistake with the file name and line number."""
from __future__ import annotations

import difflib
from pathlib import Path
from typing import Iterable

import yaml
from babel import Locale
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot import messages
from bot.dialogs.spec import (
    ASKABLE,
    CASE_STATES,
    DEFAULT_PERSON,
    EXPECT_KEYS,
    GIVEN_KEYS,
    SAYS_KEYS,
    TOP_KEYS,
    TURN_KEYS,
    Dialog,
    DialogFileError,
    DialogTurn,
    Expect,
    Given,
)
from bot.engine.flow import MENU_INTENTS, SMALL_TALK
from bot.engine.reply import Text
from nlu.danger import KINDS as DANGER_KINDS

SUFFIXES = (".yml", ".yaml")
INTENTS = (*MENU_INTENTS, *SMALL_TALK, "nlu_fallback")
# Message ids made from the knowledge files: any topic or contact id may follow these prefixes.
KNOWLEDGE_ID_PREFIXES = ("guidance:", "contact:")


def message_ids() -> set[str]:
    """Return every interface message id declared in bot/messages.py."""
    ids: set[str] = set()
    for value in vars(messages).values():
        texts = value.values() if isinstance(value, dict) else [value]
        ids.update(t.context for t in texts if isinstance(t, Text))
    return ids


def dialog_files(paths: Iterable[Path]) -> list[Path]:
    """Expand folders into the dialog files directly inside them (subfolders are not run)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.suffix in SUFFIXES and p.is_file())
        else:
            found.append(path)
    return found


def load_dialog(path: Path) -> Dialog:
    """Read one dialog file; raise DialogFileError naming the file and line of the first mistake."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DialogFileError(path, 0, f"cannot read the file: {exc}") from None
    return _Reader(path).dialog(text)


def _line(node: Node) -> int:
    return node.start_mark.line + 1


def _suggest(word: str, allowed: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(allowed), n=1)
    return f"; did you mean '{close[0]}'?" if close else f"; use one of: {', '.join(allowed)}"


class _Reader:
    """Turn the YAML node tree of one file into a Dialog, checking every word."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.ids = message_ids()

    def fail(self, node: Node | int, message: str) -> DialogFileError:
        return DialogFileError(self.path, node if isinstance(node, int) else _line(node), message)

    def dialog(self, text: str) -> Dialog:
        try:
            root = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            problem = " ".join(p for p in (exc.context, exc.problem) if p)
            raise self.fail(mark.line + 1 if mark else 1, f"this is not valid YAML: {problem}") from None
        except yaml.YAMLError as exc:
            raise self.fail(1, f"this is not valid YAML: {exc}") from None
        if root is None:
            raise self.fail(1, "the file is empty; a dialog needs at least 'turns:'")
        top = self.mapping(root, "the dialog", TOP_KEYS)
        if "turns" not in top:
            raise self.fail(root, "a dialog needs 'turns:', a list of things the person sends")
        name = self.text(top["name"][1], "name") if "name" in top else self.path.stem
        given = self.given(top["given"][1]) if "given" in top else Given()
        turns_node = top["turns"][1]
        if not isinstance(turns_node, SequenceNode) or not turns_node.value:
            raise self.fail(turns_node, "'turns:' must be a list with at least one turn, each starting with '- '")
        return Dialog(self.path, name, given, tuple(self.turn(n) for n in turns_node.value))

    # --- structure -------------------------------------------------------------------------
    def mapping(self, node: Node, what: str, allowed: tuple[str, ...]) -> dict[str, tuple[Node, Node]]:
        if isinstance(node, ScalarNode) and node.tag.endswith(":null"):
            return {}
        if not isinstance(node, MappingNode):
            raise self.fail(node, f"{what} must be a set of 'word: value' lines")
        found: dict[str, tuple[Node, Node]] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else ""
            if key not in allowed:
                raise self.fail(key_node, f"unknown word '{key}' in {what}" + _suggest(key, allowed))
            if key in found:
                raise self.fail(key_node, f"'{key}' appears twice in {what}")
            found[key] = (key_node, value_node)
        return found

    def text(self, node: Node, what: str, allow_empty: bool = False) -> str:
        if not isinstance(node, ScalarNode):
            raise self.fail(node, f"'{what}' must be a single value, not a list or a group")
        if node.tag.endswith(":null") and not allow_empty:
            raise self.fail(node, f"'{what}' needs a value after the colon")
        return node.value

    def words(self, node: Node, what: str) -> tuple[str, ...]:
        if isinstance(node, ScalarNode):
            return (self.text(node, what),)
        if not isinstance(node, SequenceNode):
            raise self.fail(node, f"'{what}' must be a list, for example {what}: [one, two]")
        return tuple(self.text(item, what) for item in node.value)

    def point(self, node: Node, what: str) -> tuple[float, float]:
        example = f"{what}: [-1.05, -80.45] (latitude, longitude)"
        if not isinstance(node, SequenceNode) or len(node.value) != 2:
            raise self.fail(node, f"'{what}' must be two numbers, for example {example}")
        try:
            lat, lon = (float(self.text(item, what)) for item in node.value)
        except ValueError:
            raise self.fail(node, f"'{what}' must be two numbers, for example {example}") from None
        return lat, lon

    def choice(self, node: Node, what: str, allowed: tuple[str, ...]) -> str:
        value = self.text(node, what)
        if value not in allowed:
            raise self.fail(node, f"'{what}: {value}' is not known" + _suggest(value, allowed))
        return value

    def country(self, node: Node, what: str) -> str:
        code = self.text(node, what).strip().upper()
        if len(code) != 2 or code not in Locale("en").territories:
            raise self.fail(node, f"'{what}' must be a two-letter country code, for example CO for Colombia")
        return code

    # --- parts -----------------------------------------------------------------------------
    def given(self, node: Node) -> Given:
        fields = self.mapping(node, "'given'", GIVEN_KEYS)
        value = {key: v for key, (_, v) in fields.items()}
        return Given(
            language=self.text(value["language"], "language") if "language" in value else None,
            nationality=self.country(value["nationality"], "nationality") if "nationality" in value else None,
            country=self.country(value["country"], "country") if "country" in value else None,
            city=self.text(value["city"], "city") if "city" in value else None,
            location=self.point(value["location"], "location") if "location" in value else None,
            case=self.text(value["case"], "case") if "case" in value else None,
            lines={key: _line(k) for key, (k, _) in fields.items()},
        )

    def turn(self, node: Node) -> DialogTurn:
        fields = self.mapping(node, "a turn", TURN_KEYS)
        kinds = [k for k in SAYS_KEYS if k in fields]
        if len(kinds) != 1:
            say = "exactly one of" if kinds else "one of"
            raise self.fail(node, f"a turn needs {say}: user (a message), button, location, press")
        kind = kinds[0]
        raw = fields[kind][1]
        if kind == "location":
            value: str | tuple[float, float] = self.point(raw, "location")
        elif kind == "user" and isinstance(raw, ScalarNode) and raw.tag.endswith(":null"):
            raise self.fail(raw, "'user' needs the message; for an empty message write user: \"\"")
        else:
            value = self.text(raw, kind)
        return DialogTurn(
            kind=kind,
            value=value,
            person=self.text(fields["person"][1], "person") if "person" in fields else DEFAULT_PERSON,
            hint=self.text(fields["hint"][1], "hint") if "hint" in fields else None,
            expect=self.expect(fields["expect"][1]) if "expect" in fields else Expect(),
            line=_line(node),
        )

    def expect(self, node: Node) -> Expect:
        fields = {key: v for key, (_, v) in self.mapping(node, "'expect'", EXPECT_KEYS).items()}
        sends = self.message_ids(fields["sends"]) if "sends" in fields else ()
        return Expect(
            language=self.text(fields["language"], "language") if "language" in fields else None,
            intent=self.choice(fields["intent"], "intent", INTENTS) if "intent" in fields else None,
            danger=self.choice(fields["danger"], "danger", (*DANGER_KINDS, "none")) if "danger" in fields else None,
            first_says=self.words(fields["first_says"], "first_says") if "first_says" in fields else (),
            says=self.words(fields["says"], "says") if "says" in fields else (),
            does_not_say=self.words(fields["does_not_say"], "does_not_say") if "does_not_say" in fields else (),
            sends=sends,
            buttons=self.words(fields["buttons"], "buttons") if "buttons" in fields else (),
            asks=self.choice(fields["asks"], "asks", ASKABLE) if "asks" in fields else None,
            case=self.choice(fields["case"], "case", CASE_STATES) if "case" in fields else None,
        )

    def message_ids(self, node: Node) -> tuple[str, ...]:
        items = node.value if isinstance(node, SequenceNode) else [node]
        keys = self.words(node, "sends")
        for key, item in zip(keys, items):
            if key not in self.ids and not key.startswith(KNOWLEDGE_ID_PREFIXES):
                hint = _suggest(key, sorted(self.ids))
                raise self.fail(item, f"'{key}' is not a message id (see bot/messages.py)" + hint)
        return keys
