"""Route a case to the right staff desk: the person's consulate, a humanitarian desk, or the default."""
from __future__ import annotations

from dataclasses import dataclass

from actions.knowledge import Contact
from actions.lookup import Directory
from bot import messages as m
from bot.engine.reply import Text, Verbatim

DEFAULT_DESK = "default"


@dataclass(frozen=True)
class Desk:
    """Hold one staff desk: who it is, where its Telegram group is, who may act there."""

    id: str
    name: Text | Verbatim
    chat_id: int | None
    staff: frozenset[int]
    language: str
    kind: str

    def allows(self, user_id: int) -> bool:
        """Tell whether a Telegram user is on this desk's staff."""
        return user_id in self.staff


def _desk(contact: Contact) -> Desk:
    assert contact.staff_desk is not None
    d = contact.staff_desk
    return Desk(contact.id, Verbatim(contact.name), d.chat_id, frozenset(d.staff), d.language, contact.service_type)


class DeskDirectory:
    """Know every configured desk and pick one for a case."""

    def __init__(self, directory: Directory, default_chat: int | None, default_staff: frozenset[int], default_language: str) -> None:
        """Build desks from contacts with a staff_desk, plus the default desk from settings."""
        self._directory = directory
        self.default = Desk(DEFAULT_DESK, m.DESK_DEFAULT, default_chat, default_staff, default_language, "default")
        self._desks = {c.id: _desk(c) for c in directory.knowledge.contacts if c.staff_desk}
        self._desks[DEFAULT_DESK] = self.default

    def get(self, desk_id: str) -> Desk:
        """Return a desk by id (the default desk if it is no longer configured)."""
        return self._desks.get(desk_id, self.default)

    def by_chat(self, chat_id: int) -> Desk | None:
        """Return the desk whose staff group this is."""
        return next((d for d in self._desks.values() if d.chat_id == chat_id), None)

    def all(self) -> list[Desk]:
        """Return every desk."""
        return list(self._desks.values())

    def route(self, nationality: str | None, country: str, humanitarian: bool) -> Desk:
        """Pick the desk: the consulate of the person's nationality where they are, unless they prefer a humanitarian one."""
        if humanitarian:
            candidates = self._directory.humanitarian(country)
        elif nationality and nationality != country:
            candidates = self._directory.consulates(nationality, country)
        else:
            candidates = []
        return next((self._desks[c.id] for c in candidates if c.id in self._desks), self.default)
