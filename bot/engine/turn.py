"""Describe one incoming turn, whatever front end it came from."""
from __future__ import annotations

import re
from dataclasses import dataclass

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def scrub(value: str | None) -> str | None:
    """Replace what UTF-8 cannot carry (lone surrogates: a JSON escape can smuggle them in) with U+FFFD."""
    return value if value is None or value.isascii() else _LONE_SURROGATE.sub("\ufffd", value)


@dataclass(frozen=True)
class Location:
    """Hold a point shared by the user."""

    lat: float
    lon: float

    def is_valid(self) -> bool:
        """Tell whether the point lies on Earth."""
        return -90.0 <= self.lat <= 90.0 and -180.0 <= self.lon <= 180.0


@dataclass(frozen=True)
class Turn:
    """Hold what one user sent: text, a button press or a location."""

    user: str
    text: str | None = None
    button: str | None = None
    location: Location | None = None
    language_hint: str | None = None

    def __post_init__(self) -> None:
        """Keep only text that can be stored and sent on."""
        for name in ("text", "button", "language_hint"):
            object.__setattr__(self, name, scrub(getattr(self, name)))

    @property
    def command(self) -> str | None:
        """Return the bot command in the text ("/start" → "start"), if any."""
        if not self.text or not self.text.startswith("/"):
            return None
        word = self.text[1:].split(maxsplit=1)[0] if self.text[1:].strip() else ""
        return word.split("@", 1)[0].lower() or None
