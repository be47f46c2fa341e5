"""Describe replies as message ids with typed parameters, rendered later per locale."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Mapping


@dataclass(frozen=True)
class Text:
    """Point to one gettext message (context + source text) and its parameters."""

    context: str
    msgid: str
    params: Mapping[str, Any] = field(default_factory=dict)
    plural: str | None = None
    count: str | None = None

    def with_params(self, **params: Any) -> "Text":
        """Return the same message with parameters filled in."""
        return Text(self.context, self.msgid, {**self.params, **params}, self.plural, self.count)


@dataclass(frozen=True)
class Country:
    """Render as the country's name in the reader's language (CLDR)."""

    code: str


@dataclass(frozen=True)
class LanguageName:
    """Render as a language's name in that language itself (CLDR)."""

    code: str


@dataclass(frozen=True)
class Language:
    """Render as a language's name in the reader's language (CLDR), with its code."""

    code: str


@dataclass(frozen=True)
class Moment:
    """Render as a date and time (UTC) in the reader's locale."""

    timestamp: float


@dataclass(frozen=True)
class Distance:
    """Render as a distance in kilometres, locale-formatted."""

    km: float


@dataclass(frozen=True)
class Day:
    """Render as a date in the reader's locale."""

    value: date


@dataclass(frozen=True)
class Verbatim:
    """Render as-is but isolated for bidirectional text (phones, URLs, names)."""

    value: str


@dataclass(frozen=True)
class UserText:
    """Render text the user wrote; front ends escape it for their markup."""

    value: str


@dataclass(frozen=True)
class Button:
    """Offer one choice: a translatable label and the data sent back when pressed."""

    label: Text | LanguageName | Country
    data: str


@dataclass(frozen=True)
class Reply:
    """Hold one message to the user: its parts, buttons, and whether to ask for a location pin."""

    parts: tuple[Text, ...]
    buttons: tuple[Button, ...] = ()
    ask_location: bool = False

    @property
    def keys(self) -> tuple[str, ...]:
        """Return the message ids this reply is made of."""
        return tuple(p.context for p in self.parts)


def reply(*parts: Text, buttons: tuple[Button, ...] = (), ask_location: bool = False) -> Reply:
    """Build a Reply from parts."""
    return Reply(tuple(parts), tuple(buttons), ask_location)


def as_day(value: date | str) -> Day:
    """Wrap a date (or ISO string) for locale formatting."""
    return Day(value if isinstance(value, date) else date.fromisoformat(value))


def M(key: str, msgid: str) -> Text:
    """Declare a gettext message: `key` is its context (stable id), `msgid` its English source."""
    return Text(key, msgid)


def MP(key: str, singular: str, plural: str, count: str) -> Text:
    """Declare a message with plural forms chosen by the integer parameter named `count`."""
    return Text(key, singular, plural=plural, count=count)
