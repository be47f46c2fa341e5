"""Capture what the bot did in one turn, rendered in the conversation's language."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from actions.lookup import fold
from bot.engine.result import TurnResult
from bot.i18n import Renderer

# Formatting ids that come with every contact or guidance step: left out where people read ids.
LAYOUT_IDS = frozenset(
    {"step", "contact.heading", "contact.place", "contact.phone", "contact.web", "contact.address", "contact.source"}
    | {"contact.stale"}
)


@dataclass(frozen=True)
class Observed:
    """Hold one turn's outcome: understanding, flow step, message ids, buttons and rendered text."""

    language: str
    intent: str | None
    confidence: float | None
    step: str
    case: str | None
    keys: tuple[str, ...]
    buttons: tuple[tuple[str, str], ...]  # (label, data); the location keyboard has data ""
    text: str
    entities: tuple[dict[str, Any], ...] = ()
    first: str = ""
    danger: tuple[str, ...] = ()

    @property
    def content_keys(self) -> tuple[str, ...]:
        """Return the message ids sent, once each, without the layout ids."""
        return tuple(k for k in dict.fromkeys(self.keys) if k not in LAYOUT_IDS)

    def to_json(self) -> dict[str, Any]:
        """Return a JSON-able dict for machines."""
        return {
            "language": self.language,
            "intent": self.intent,
            "confidence": None if self.confidence is None else round(self.confidence, 4),
            "step": self.step,
            "case": self.case,
            "sends": list(self.keys),
            "buttons": [{"label": label, "data": data} for label, data in self.buttons],
            "text": self.text,
            "entities": [{"entity": e["entity"], "value": e["value"]} for e in self.entities],
            "danger": list(self.danger),
        }


def observe(result: TurnResult, renderer: Renderer) -> Observed:
    """Render a turn result in its language and keep what the checks need."""
    texts: list[str] = []
    buttons: list[tuple[str, str]] = []
    for item in result.replies:
        rendered = renderer.render(item, result.language)
        texts.append(rendered.text)
        buttons.extend(rendered.buttons)
        if rendered.ask_location:
            buttons.append((rendered.location_label, ""))
    return Observed(
        language=result.language,
        intent=result.intent,
        confidence=result.confidence,
        step=result.step,
        case=result.case,
        keys=tuple(k for r in result.replies for k in r.keys),
        buttons=tuple(buttons),
        text="\n".join(texts),
        entities=tuple(result.entities),
        first=texts[0] if texts else "",
        danger=result.danger,
    )


def first_line_of(text: str) -> str:
    """Return the first line of a rendered message (what a person reads first)."""
    stripped = text.strip()
    return stripped.splitlines()[0] if stripped else ""


def loose(text: str) -> str:
    """Fold case, accents, direction marks and spacing, for matching phrases as trainers type them."""
    visible = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return " ".join(fold(visible).split())
