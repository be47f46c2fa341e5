"""Danger first, through the engine: the number in the first line, a person at once, in every state."""
from __future__ import annotations

from typing import AsyncIterator

import pytest

from bot.engine.result import TurnResult
from bot.engine.turn import Location, Turn
from bot.redis_conn import RedisHandle
from bot.services import Services, build_services
from bot.settings import Settings
from nlu.danger import DangerDetector
from nlu.langid import LanguageIdentifier
from nlu.parser import Parser
from tests.conftest import standin_parser
from tests.test_engine import buttons, keys


@pytest.fixture
async def live(
    base_settings: Settings, language_identifier: LanguageIdentifier, redis: RedisHandle, danger: DangerDetector
) -> AsyncIterator[Services]:
    """Build services on the real knowledge (every country's numbers) with the keyword stand-in model."""
    yield await build_services(base_settings, standin_parser(base_settings, language_identifier), redis, danger=danger)


def first_message(services: Services, result: TurnResult) -> str:
    """Render the first message of the answer."""
    return services.renderer.render(result.replies[0], result.language).text


def first_line(services: Services, result: TurnResult) -> str:
    """Render the first line of the first message."""
    return first_message(services, result).splitlines()[0]


async def test_danger_gets_the_number_first_and_a_person_at_once(live: Services) -> None:
    result = await live.engine.handle(Turn("d1", text="mi hijo no respira", language_hint="es"))
    assert result.step == "danger:medical" and result.danger[0] == "medical"
    assert "911" in first_line(live, result)
    assert keys(result)[0] == "emergency.now"
    assert "escalation.urgent_consent" in result.replies[0].keys, "the offer of a person is in the first message"
    assert {"esc:yes", "esc:no"} <= set(buttons(result))
    assert "ask_nationality" not in keys(result)
    done = await live.engine.handle(Turn("d1", button="esc:yes"))
    case = await live.cases.get(done.case)
    assert case is not None and case.urgency == "urgent" and case.topic == "medical_help"


async def test_advice_is_for_the_kind_of_danger(live: Services) -> None:
    tsunami = await live.engine.handle(Turn("d2", text="alerta de tsunami en pedernales", language_hint="es"))
    assert "guidance:danger_tsunami" in tsunami.replies[0].keys
    sexual = await live.engine.handle(Turn("d3", text="me violaron anoche cerca del albergue", language_hint="es"))
    assert "guidance:danger_sexual_violence" in sexual.replies[0].keys
    assert "guidance:danger_tsunami" not in sexual.replies[0].keys
    advice = [k for k in sexual.replies[0].keys if k.startswith("guidance:")]
    assert 1 <= len(advice) <= 3


async def test_a_pending_question_never_swallows_danger(live: Services) -> None:
    asked = await live.engine.handle(Turn("d4", text="perdí mi pasaporte", language_hint="es"))
    assert asked.step == "ask:nationality"
    assert keys(asked)[-1] == "emergency.short", "the nationality question ends with the emergency line"
    urgent = await live.engine.handle(Turn("d4", text="el no esta respirando", language_hint="es"))
    assert urgent.step == "danger:medical" and "911" in first_line(live, urgent)
    assert "nationality_unknown" not in keys(urgent)


async def test_danger_inside_an_open_case_is_answered_and_marks_the_case_urgent(live: Services) -> None:
    await live.engine.handle(Turn("d5", button="intent:human_agent"))
    opened = await live.engine.handle(Turn("d5", button="esc:yes"))
    assert (await live.cases.get(opened.case)).urgency == "normal"
    urgent = await live.engine.handle(Turn("d5", text="mi hija se desmayo y no respira", language_hint="es"))
    assert urgent.forward and urgent.step == "danger:medical:case"
    assert "911" in first_line(live, urgent) and "case.urgent_forwarded" in keys(urgent)
    assert (await live.cases.get(opened.case)).urgency == "urgent"
    calm = await live.engine.handle(Turn("d5", text="gracias, ya llego la ambulancia", language_hint="es"))
    assert calm.step == "case:forward" and keys(calm) == ["case.forwarded"]


async def test_a_long_message_with_danger_last_is_danger_first(live: Services) -> None:
    story = "Buenas noches, le escribo porque desde el terremoto estamos en la cancha del barrio. " * 16
    text = story + "Ahora mi bebe de ocho meses esta inconsciente y no responde."
    assert len(text) > 1300
    result = await live.engine.handle(Turn("d6", text=text, language_hint="es"))
    assert result.step == "danger:medical"
    assert "911" in first_line(live, result)
    assert "too_long" not in keys(result)


@pytest.mark.parametrize(
    ("lat", "lon", "number", "country"),
    [
        (37.389, -5.984, "112", "ES"),  # Seville: not in the gazetteer
        (29.760, -95.370, "911", "US"),  # Houston
        (45.464, 9.190, "112", "IT"),  # Milan
        (-33.45, -70.66, "131", "CL"),  # Santiago: the ambulance first for a medical danger
        (-12.046, -77.043, "106", "PE"),  # Lima: SAMU
    ],
)
async def test_a_pin_anywhere_sets_the_country_of_the_number(live: Services, lat: float, lon: float, number: str, country: str) -> None:
    user = f"pin-{country}"
    await live.engine.handle(Turn(user, location=Location(lat, lon)))
    result = await live.engine.handle(Turn(user, text="my son is not breathing", language_hint="en"))
    assert result.session.country == country
    assert number in first_line(live, result)


async def test_a_city_named_in_the_message_decides_the_number(live: Services) -> None:
    result = await live.engine.handle(Turn("d7", text="estoy en Madrid y mi hijo no respira", language_hint="es"))
    assert result.session.country == "ES" and "112" in first_line(live, result)


async def test_a_country_without_a_known_number_is_said_plainly(live: Services) -> None:
    await live.engine.handle(Turn("d8", location=Location(52.52, 13.40)))  # Berlin: no number in the data
    result = await live.engine.handle(Turn("d8", text="my son is not breathing", language_hint="en"))
    assert result.session.country == "DE"
    assert keys(result)[0] == "emergency.now_unknown"


@pytest.mark.parametrize(
    ("turn", "step"),
    [
        (Turn("f1", text="xq zmv plorg", language_hint="es"), "low_confidence"),
        (Turn("f2", text="quien gano el partido de futbol", language_hint="es"), "out_of_scope"),
        (Turn("f3", button="menu"), "menu"),
        (Turn("f4", text="/help"), "help"),
        (Turn("f5", text="perdí mi pasaporte", language_hint="es"), "ask:nationality"),
    ],
)
async def test_every_fallback_ends_with_the_emergency_line(live: Services, turn: Turn, step: str) -> None:
    result = await live.engine.handle(turn)
    assert result.step == step
    assert result.replies[-1].keys[-1] == "emergency.short"
    assert "911" in live.renderer.render(result.replies[-1], result.language).text.splitlines()[-1]


async def test_the_too_long_notice_carries_the_emergency_line(live: Services) -> None:
    text = "necesito saber donde queda el consulado para hacer un tramite de papeles " * 60
    result = await live.engine.handle(Turn("f6", text=text, language_hint="es"))
    assert result.replies[0].keys == ("too_long", "emergency.short")


async def test_danger_is_answered_while_the_model_loads(live: Services, language_identifier: LanguageIdentifier) -> None:
    from nlu.entities import EntityExtractor

    live.engine.parser = Parser(None, language_identifier, EntityExtractor.load())
    result = await live.engine.handle(Turn("d9", text="auxilio me quieren matar", language_hint="es"))
    assert result.step.startswith("danger:") and "911" in first_line(live, result)


async def test_ordinary_requests_do_not_take_the_urgent_path(live: Services) -> None:
    for i, text in enumerate(["perdí mi pasaporte, es urgente", "necesito un albergue", "hola", "gracias"]):
        result = await live.engine.handle(Turn(f"o{i}", text=text, language_hint="es"))
        assert not result.danger and not result.step.startswith("danger"), text


@pytest.mark.parametrize(
    ("text", "country", "number"),
    [("estoy en España y mi hijo no respira", "ES", "112"), ("I'm in Italy, my son is not breathing", "IT", "112"), ("mwen nan Chili, pitit mwen pa respire", "CL", "131")],
)
async def test_a_country_named_as_where_the_person_is_decides_the_number(live: Services, text: str, country: str, number: str) -> None:
    result = await live.engine.handle(Turn(f"c-{country}", text=text))
    assert result.session.country == country and number in first_line(live, result)


async def test_a_country_of_origin_is_not_where_the_person_is(live: Services) -> None:
    result = await live.engine.handle(Turn("c-origin", text="soy de Colombia y mi hijo no respira", language_hint="es"))
    assert result.session.country in (None, "EC") and "911" in first_line(live, result)


async def test_a_general_urgent_answer_also_answers_the_request(live: Services) -> None:
    from nlu.danger import Danger

    class Plea:
        """Stand in for the danger check: general urgency, whatever the message."""

        def detect(self, message: str, intent: str | None = None) -> Danger:
            return Danger(("plea",), ("test",))

    live.engine.danger = Plea()
    result = await live.engine.handle(Turn("plea-1", text="hay un herido, a donde lo llevo", language_hint="es"))
    assert keys(result)[0] == "emergency.now" and "escalation.urgent_consent" in result.replies[0].keys
    assert "guidance:medical_help" in keys(result), "the question asked is answered too"
    assert result.session.pending == "consent" and result.session.urgent
