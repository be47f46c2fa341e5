"""Describe a dialog test: a starting situation and turns, each with what the bot should do."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

# The words a dialog file may use, in the order a trainer writes them.
TOP_KEYS = ("name", "given", "turns")
GIVEN_KEYS = ("language", "nationality", "country", "city", "location", "case")
SAYS_KEYS = ("user", "button", "location", "press")
TURN_KEYS = ("person", *SAYS_KEYS, "hint", "expect")
EXPECT_KEYS = ("language", "intent", "danger", "first_says", "says", "does_not_say", "sends", "buttons", "asks", "case")
ASKABLE = ("nationality", "location", "forget", "consent")  # the details behind TurnResult.step "ask:<x>"
CASE_STATES = ("opened", "none")
DEFAULT_PERSON = "migrant"


@dataclass(frozen=True)
class Given:
    """Hold the starting situation a person's session is seeded with."""

    language: str | None = None
    nationality: str | None = None
    country: str | None = None
    city: str | None = None
    location: tuple[float, float] | None = None
    case: str | None = None
    lines: Mapping[str, int] = field(default_factory=dict)  # the line of each word, for error messages

    @property
    def empty(self) -> bool:
        """Tell whether nothing is set."""
        return not any((self.language, self.nationality, self.country, self.city, self.location, self.case))


@dataclass(frozen=True)
class Expect:
    """Hold what the bot should do in one turn; None or empty means "not checked"."""

    language: str | None = None
    intent: str | None = None
    danger: str | None = None
    first_says: tuple[str, ...] = ()
    says: tuple[str, ...] = ()
    does_not_say: tuple[str, ...] = ()
    sends: tuple[str, ...] = ()
    buttons: tuple[str, ...] = ()
    asks: str | None = None
    case: str | None = None

    def items(self) -> list[tuple[str, object]]:
        """Return the expectations that are set, as (word, value) pairs in file order."""
        values = [(key, getattr(self, key)) for key in EXPECT_KEYS]
        return [(key, value) for key, value in values if value not in (None, ())]


@dataclass(frozen=True)
class DialogTurn:
    """Hold one thing a person sends and what the bot should do about it."""

    kind: str  # one of SAYS_KEYS
    value: str | tuple[float, float]
    person: str = DEFAULT_PERSON
    hint: str | None = None
    expect: Expect = field(default_factory=Expect)
    line: int = 0

    def describe(self) -> str:
        """Return the turn as a trainer wrote it, on one line."""
        if self.kind == "location":
            lat, lon = self.value  # type: ignore[misc]
            return f"location: [{lat}, {lon}]"
        return f"{self.kind}: {self.value}"


@dataclass(frozen=True)
class Dialog:
    """Hold one dialog test file."""

    path: Path
    name: str
    given: Given
    turns: tuple[DialogTurn, ...]


class DialogFileError(ValueError):
    """Raise when a dialog file cannot be read; names the file and the line."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        """Remember where the problem is."""
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message = path, line, message
