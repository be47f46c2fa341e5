"""What staff can do with a case (claim, close, reply, list), checked against the desk; no transport code."""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from bot import messages as m
from bot.cases.desks import Desk, DeskDirectory
from bot.cases.model import CLAIMED, CLOSED, OPEN, URGENT, Case
from bot.cases.store import CaseStore
from bot.engine.reply import Button, Country, Language, Moment, Reply, Text, Verbatim, reply

HISTORY_LINES = 10


@dataclass
class Outcome:
    """Say what to send after a staff action: to the person (in their language) and to the staff topic."""

    ok: bool
    case: Case | None = None
    to_person: list[Reply] = field(default_factory=list)
    to_staff: list[Reply] = field(default_factory=list)
    refusal: Text | None = None


def case_card(case: Case) -> Reply:
    """Build the case card staff see, with Claim and Close buttons."""
    place: Text | Country = m.STAFF_UNKNOWN
    if case.country:
        place = m.CONTACT_PLACE.with_params(city=Verbatim(case.city), country=Country(case.country)) if case.city else Country(case.country)
    lines = [f"- {h['text']}" for h in case.history if h.get("from") == "user"][-HISTORY_LINES:]
    card = m.STAFF_CARD.with_params(
        case=Verbatim(case.id),
        urgency=m.STAFF_URGENT if case.urgency == URGENT else m.STAFF_NORMAL,
        language=Language(case.language),
        nationality=Country(case.nationality) if case.nationality else m.STAFF_UNKNOWN,
        place=place,
        topic=m.TOPIC_LABELS.get(case.topic, m.STAFF_UNKNOWN),
        since=Moment(case.created),
        history=Verbatim("\n".join(lines) or "—"),
    )
    buttons = (Button(m.STAFF_BTN_CLAIM, f"case:claim:{case.id}"), Button(m.STAFF_BTN_CLOSE, f"case:close:{case.id}"))
    return reply(card, buttons=buttons)


class StaffConsole:
    """Apply staff actions to cases, refusing anyone who is not on the desk's staff."""

    def __init__(self, store: CaseStore, desks: DeskDirectory) -> None:
        """Use this case store and desk directory."""
        self.store = store
        self.desks = desks

    def _desk(self, chat_id: int, staff_id: int) -> tuple[Desk | None, Text | None]:
        desk = self.desks.by_chat(chat_id)
        if desk is None or not desk.allows(staff_id):
            return None, m.STAFF_NOT_ALLOWED
        return desk, None

    async def _case(self, chat_id: int, staff_id: int, case_id: str) -> tuple[Desk | None, Case | None, Text | None]:
        desk, refusal = self._desk(chat_id, staff_id)
        if desk is None:
            return None, None, refusal
        case = await self.store.get(case_id)
        if case is None or case.desk != desk.id:
            return desk, None, m.STAFF_NOT_HERE
        if case.status == CLOSED:
            return desk, None, m.STAFF_CASE_DONE
        return desk, case, None

    async def press(self, chat_id: int, staff_id: int, data: str) -> Outcome:
        """Handle a Claim or Close button; its data is checked against the stored case."""
        parts = data.split(":")
        if len(parts) != 3 or parts[0] != "case" or parts[1] not in ("claim", "close"):
            return Outcome(False, refusal=m.BUTTON_EXPIRED)
        desk, case, refusal = await self._case(chat_id, staff_id, parts[2])
        if case is None or desk is None:
            return Outcome(False, refusal=refusal)
        who = f"staff:{staff_id}"
        if parts[1] == "claim":
            if case.status != OPEN:
                return Outcome(False, case, refusal=m.STAFF_ALREADY_CLAIMED.with_params(case=Verbatim(case.id)))
            case.status, case.assignee, case.claimed = CLAIMED, who, time.time()
            case.log(who, "claimed")
            notice, staff_notice = m.CASE_CLAIMED, m.STAFF_CLAIMED
        else:
            case.status, case.closed = CLOSED, time.time()
            case.log(who, "closed")
            notice, staff_notice = m.CASE_CLOSED, m.STAFF_CLOSED
        await self.store.save(case)
        person = reply(notice.with_params(desk=desk.name, case=Verbatim(case.id)))
        return Outcome(True, case, [person], [reply(staff_notice.with_params(case=Verbatim(case.id)))])

    async def relay(self, chat_id: int, thread_id: int, staff_id: int, text: str) -> Outcome:
        """Pass a staff message in a case topic to the person, labelled with the desk's name."""
        desk, refusal = self._desk(chat_id, staff_id)
        if desk is None:
            return Outcome(False, refusal=refusal)
        case = await self.store.case_for_thread(chat_id, thread_id)
        if case is None or case.desk != desk.id:
            return Outcome(False, refusal=m.STAFF_NOT_HERE)
        if case.status == CLOSED:
            return Outcome(False, case, refusal=m.STAFF_CASE_DONE)
        case.log(f"staff:{staff_id}", "replied")
        await self.store.save(case)
        message = m.STAFF_REPLY.with_params(desk=desk.name, case=Verbatim(case.id), text=Verbatim(text))
        return Outcome(True, case, [reply(message)])

    async def listing(self, chat_id: int, staff_id: int, now: float | None = None) -> Outcome:
        """List the desk's open cases, urgent ones first, then oldest first, with their waiting time."""
        desk, refusal = self._desk(chat_id, staff_id)
        if desk is None:
            return Outcome(False, refusal=refusal)
        now = now or time.time()
        cases = sorted(await self.store.open_cases(desk.id), key=lambda c: c.queue_key)
        if not cases:
            return Outcome(True, to_staff=[reply(m.STAFF_LIST_EMPTY)])
        items = [
            m.STAFF_LIST_ITEM.with_params(
                case=Verbatim(c.id),
                status=m.STAFF_STATUS.get(c.status, m.STAFF_UNKNOWN),
                urgency=m.STAFF_URGENT if c.urgency == URGENT else m.STAFF_NORMAL,
                minutes=int((now - c.created) // 60),
            )
            for c in cases
        ]
        return Outcome(True, to_staff=[reply(m.STAFF_LIST, *items)])

    async def person_wrote(self, case_id: str, text: str) -> Case | None:
        """Add the person's message to the case (shown on the card if staff were not notified yet)."""
        case = await self.store.get(case_id)
        if case is None or case.status == CLOSED:
            return None
        case.history.append({"from": "user", "text": text[:500]})
        case.log("person", "wrote")
        await self.store.save(case)
        return case
