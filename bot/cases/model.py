"""Describe a case and its audit log as JSON-able data."""
from __future__ import annotations

import secrets
import time
from dataclasses import asdict, dataclass, field
from typing import Any

OPEN, CLAIMED, CLOSED = "open", "claimed", "closed"
URGENT, NORMAL = "urgent", "normal"
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_case_id() -> str:
    """Return a short case id that is easy to read aloud (no 0/O, 1/I/L)."""
    return "C-" + "".join(secrets.choice(_ALPHABET) for _ in range(6))


@dataclass
class Case:
    """Hold one escalated case: who, what, where, its status and everything done to it."""

    id: str
    user: str
    desk: str
    language: str
    topic: str
    urgency: str = NORMAL
    nationality: str | None = None
    country: str | None = None
    city: str | None = None
    history: list[dict[str, str]] = field(default_factory=list)
    status: str = OPEN
    assignee: str | None = None
    staff_chat: int | None = None
    staff_thread: int | None = None
    created: float = field(default_factory=time.time)
    claimed: float | None = None
    closed: float | None = None
    announced: float | None = None
    audit: list[dict[str, Any]] = field(default_factory=list)

    @property
    def queue_key(self) -> tuple[bool, float]:
        """Sort key for staff: urgent cases first, then the longest waiting."""
        return (self.urgency != URGENT, self.created)

    def log(self, who: str, action: str, **details: Any) -> None:
        """Append an entry to the audit log."""
        self.audit.append({"at": time.time(), "who": who, "action": action, **details})

    def to_json(self) -> dict[str, Any]:
        """Return a JSON-able dict."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Case":
        """Build a case from stored JSON, ignoring unknown keys."""
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})
