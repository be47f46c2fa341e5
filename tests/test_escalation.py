"""Escalation without Telegram: consent, routing, the case in Redis, staff actions, the outbox."""
from __future__ import annotations

import asyncio

import pytest

from bot.cases.desks import Desk
from bot.cases.model import CLAIMED, CLOSED, Case
from bot.cases.notifier import CaseNotifier
from bot.cases.staff import StaffConsole
from bot.engine.turn import Turn
from bot.services import Services
from tests.test_engine import buttons, keys


async def escalate(services: Services, user: str, *first: Turn, choice: str = "esc:yes") -> str:
    """Run the turns, ask for a person, consent; return the case id."""
    for turn in first:
        await services.engine.handle(turn)
    offer = await services.engine.handle(Turn(user, button="intent:human_agent"))
    assert keys(offer) == ["escalation.consent"]
    done = await services.engine.handle(Turn(user, button=choice))
    assert done.case and "case.opened" in keys(done)
    return done.case


async def test_consent_is_asked_and_refusal_shares_nothing(services: Services) -> None:
    engine = services.engine
    offer = await engine.handle(Turn("e1", button="intent:human_agent"))
    assert keys(offer) == ["escalation.consent"]
    assert {"esc:yes", "esc:no"} <= set(buttons(offer))
    declined = await engine.handle(Turn("e1", button="esc:no"))
    assert keys(declined)[0] == "escalation.declined"
    assert declined.case is None
    pending = [await services.cases.get(c) for c in await services.cases.pending_notifications()]
    assert all(c.user != "e1" for c in pending), "no case was created without consent"
    stale = await engine.handle(Turn("e1", button="esc:yes"))
    assert keys(stale) == ["button_expired", "emergency.short"] and stale.case is None, "consent buttons only work right after the question"


async def test_case_goes_to_the_consulate_of_the_nationality(services: Services) -> None:
    case_id = await escalate(services, "e2", Turn("e2", text="soy colombiano"))
    case = await services.cases.get(case_id)
    assert case.desk == "test-consulate-co-quito" and case.nationality == "CO" and case.status == "open"
    assert case_id in await services.cases.pending_notifications()
    assert [c.id for c in await services.cases.open_cases("test-consulate-co-quito")][-1] == case_id
    assert case.history and case.history[0]["text"] == "soy colombiano"
    assert case.audit[0]["action"] == "created"


async def test_humanitarian_choice_and_default_desk(services: Services) -> None:
    offer_user = "e3"
    await services.engine.handle(Turn(offer_user, text="soy colombiana"))
    offer = await services.engine.handle(Turn(offer_user, button="intent:human_agent"))
    assert "esc:humanitarian" in buttons(offer), "a person may prefer not to go to their own state"
    case_id = await escalate(services, "e3b", Turn("e3b", text="soy colombiana"), choice="esc:humanitarian")
    assert (await services.cases.get(case_id)).desk == "test-iom-ec"
    default_id = await escalate(services, "e4", Turn("e4", text="soy venezolano"))
    assert (await services.cases.get(default_id)).desk == "default"


async def test_three_misunderstandings_offer_a_person(services: Services) -> None:
    engine = services.engine
    for _ in range(2):
        result = await engine.handle(Turn("e5", text="qwerty asdf"))
        assert keys(result) == ["not_understood", "emergency.short"]
    third = await engine.handle(Turn("e5", text="zxcv uiop"))
    assert keys(third) == ["not_understood", "escalation.consent"]


async def test_open_case_forwards_the_persons_messages(services: Services) -> None:
    case_id = await escalate(services, "e6", Turn("e6", text="soy colombiano"))
    result = await services.engine.handle(Turn("e6", text="sigo esperando, por favor"))
    assert result.step == "case:forward" and result.forward == "sigo esperando, por favor"
    assert keys(result) == ["case.forwarded"] and result.case == case_id


async def test_staff_actions_are_checked(services: Services) -> None:
    case_id = await escalate(services, "e7", Turn("e7", text="soy colombiano"))
    console = StaffConsole(services.cases, services.knowledge.desks())
    stranger = await console.press(-1001, 999, f"case:claim:{case_id}")
    assert not stranger.ok and stranger.refusal.context == "staff.not_allowed"
    other_desk = await console.press(-1002, 601, f"case:claim:{case_id}")
    assert not other_desk.ok and other_desk.refusal.context == "staff.not_here"
    forged = await console.press(-1001, 501, "case:delete:" + case_id)
    assert not forged.ok
    claimed = await console.press(-1001, 501, f"case:claim:{case_id}")
    assert claimed.ok and claimed.to_person[0].keys == ("case.claimed",)
    assert (await services.cases.get(case_id)).status == CLAIMED
    relayed = await console.relay(-1001, 0, 501, "hola")
    assert not relayed.ok, "no topic linked yet"
    await services.cases.link_thread(-1001, 77, case_id)
    relayed = await console.relay(-1001, 77, 501, "Traiga una foto de su pasaporte")
    assert relayed.ok and relayed.to_person[0].keys == ("case.staff_reply",)
    listing = await console.listing(-1001, 502)
    assert listing.ok and any(case_id in str(p.params.get("case")) for p in listing.to_staff[0].parts)
    closed = await console.press(-1001, 502, f"case:close:{case_id}")
    assert closed.ok and (await services.cases.get(case_id)).status == CLOSED
    audit = [a["action"] for a in (await services.cases.get(case_id)).audit]
    assert audit == ["created", "claimed", "replied", "closed"]
    after = await services.engine.handle(Turn("e7", text="hola"))
    assert after.case is None and after.step != "case:forward", "a closed case no longer takes messages"


class FlakyChannel:
    """A staff channel that fails a given number of times before it works."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.announced: list[str] = []

    async def announce(self, case: Case, desk: Desk) -> None:
        if self.failures:
            self.failures -= 1
            raise ConnectionError("staff group unreachable")
        self.announced.append(case.id)

    async def remind(self, case: Case, desk: Desk) -> None:
        self.announced.append(f"reminder:{case.id}")


async def test_failed_notification_is_retried_until_delivered(services: Services) -> None:
    case_id = await escalate(services, "e8", Turn("e8", text="soy colombiano"))
    channel = FlakyChannel(failures=2)
    notifier = CaseNotifier(services.cases, services.knowledge.desks, channel, asyncio.Event(), reannounce_after=3600)
    for _ in range(3):
        await notifier.deliver_pending()
    assert channel.announced.count(case_id) == 1
    assert case_id not in await services.cases.pending_notifications()
    case = await services.cases.get(case_id)
    assert case.announced is not None
    reminded = await notifier.remind_unclaimed(now=case.announced + 3601)
    assert reminded >= 1 and f"reminder:{case_id}" in channel.announced


@pytest.mark.parametrize("text", ["me están pegando, ayuda"])
async def test_immediate_danger_offers_a_person_marked_urgent(services: Services, text: str) -> None:
    from tests.standins import KEYWORDS

    assert ("pegando", "safety") in KEYWORDS
    result = await services.engine.handle(Turn("e9", text=text))
    assert result.step.startswith("danger:") and keys(result)[0] == "emergency.now"
    assert "escalation.urgent_consent" in keys(result)
    done = await services.engine.handle(Turn("e9", button="esc:yes"))
    assert (await services.cases.get(done.case)).urgency == "urgent"


async def test_case_survives_a_redis_restart(fixture_settings, language_identifier, tmp_path) -> None:
    import dataclasses

    from bot.redis_conn import connect_redis
    from bot.services import build_services
    from tests.conftest import standin_parser
    from tests.redis_server import RedisServer

    server = RedisServer(tmp_path)
    server.start()
    try:
        settings = dataclasses.replace(fixture_settings, redis_url=server.url)
        handle = await connect_redis(settings)
        services = await build_services(settings, standin_parser(settings, language_identifier), handle)
        case_id = await escalate(services, "e10", Turn("e10", text="soy colombiano"))
        server.restart()
        console = StaffConsole(services.cases, services.knowledge.desks())
        claimed = None
        for _ in range(20):  # the client reconnects on the next command
            try:
                claimed = await console.press(-1001, 501, f"case:claim:{case_id}")
                break
            except Exception:  # noqa: BLE001 - a dropped connection surfaces once
                await asyncio.sleep(0.1)
        assert claimed is not None and claimed.ok
        case = await services.cases.get(case_id)
        assert case.status == CLAIMED and case.history[0]["text"] == "soy colombiano"
        assert case_id in await services.cases.pending_notifications(), "the undelivered notification survived too"
        await handle.close()
    finally:
        server.kill()


async def test_switching_language_while_asked_for_consent_asks_again(services: Services) -> None:
    await services.engine.handle(Turn("e11", text="me están pegando"))
    switched = await services.engine.handle(Turn("e11", button="lang:en"))
    assert keys(switched) == ["language_set", "escalation.urgent_consent"], "nothing is shared without a fresh yes"
    assert switched.case is None and switched.session.pending == "consent" and switched.session.urgent
