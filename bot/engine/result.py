"""Describe what the engine did with one turn."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.engine.reply import Reply
from bot.engine.session import Session


@dataclass(frozen=True)
class EscalationRequest:
    """Say that the person consented to hand their case to staff."""

    topic: str
    urgent: bool
    humanitarian: bool


@dataclass
class TurnResult:
    """Hold the replies of one turn and why they were chosen."""

    user: str
    language: str
    session: Session
    replies: list[Reply] = field(default_factory=list)
    intent: str | None = None
    confidence: float | None = None
    entities: tuple[dict[str, Any], ...] = ()
    ranking: tuple[tuple[str, float], ...] = ()
    step: str = ""
    nlu: str = ""
    case: str | None = None
    remembered: bool = True
    escalate: EscalationRequest | None = None
    forward: str | None = None
    danger: tuple[str, ...] = ()
    danger_evidence: tuple[str, ...] = ()  # the pattern or classifier score behind each kind, for trainers
