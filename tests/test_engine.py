"""Engine unit tests: the flow table, sessions in a real Redis, a keyword stand-in for Rasa."""
from __future__ import annotations

import json

from redis.exceptions import ConnectionError as RedisConnectionError

from bot.engine.result import TurnResult
from bot.engine.turn import Location, Turn
from bot.services import Services


def keys(result: TurnResult) -> list[str]:
    """Return the message ids of every reply part, in order."""
    return [k for r in result.replies for k in r.keys]


def buttons(result: TurnResult) -> list[str]:
    """Return the data of every button offered."""
    return [b.data for r in result.replies for b in r.buttons]


def rendered(services: Services, result: TurnResult) -> str:
    """Render all replies of a turn as one text."""
    return "\n".join(services.renderer.render(r, result.language).text for r in result.replies)


async def test_lost_passport_asks_nationality_then_answers_with_own_consulate(services: Services) -> None:
    engine = services.engine
    first = await engine.handle(Turn("u1", text="perdí mi pasaporte", language_hint="es"))
    assert first.intent == "lost_documents"
    assert keys(first) == ["ask_nationality", "emergency.short"]
    assert "nat:CO" in buttons(first) and "nat:other" in buttons(first)

    second = await engine.handle(Turn("u1", button="nat:CO"))
    assert second.step == "answer:lost_documents"
    assert "nationality_saved" in keys(second)
    assert "guidance:lost_documents" in keys(second)
    assert "consulate.of" in keys(second) and "consulate.fear" in keys(second)
    text = rendered(services, second)
    assert "Test consulate of Colombia in Quito" in text
    assert "Test IOM office" in text


async def test_known_nationality_is_not_asked_again(services: Services) -> None:
    engine = services.engine
    await engine.handle(Turn("u2", text="perdi el pasaporte"))
    await engine.handle(Turn("u2", text="soy colombiano"))
    again = await engine.handle(Turn("u2", text="donde esta el consulado"))
    assert again.step == "answer:contact_consulate"
    assert "ask_nationality" not in keys(again)


async def test_free_text_nationality_answers_the_pending_question(services: Services) -> None:
    engine = services.engine
    await engine.handle(Turn("u3", text="passport lost", language_hint="en"))
    answer = await engine.handle(Turn("u3", text="I am from Venezuela", language_hint="en"))
    assert answer.session.nationality == "VE"
    assert "consulate.none" in keys(answer), "no Venezuelan consulate is in the fixture data"
    assert "humanitarian" in keys(answer)


async def test_unrecognised_nationality_is_asked_again_and_nothing_is_lost(services: Services) -> None:
    engine = services.engine
    await engine.handle(Turn("u4", text="perdi mi pasaporte"))
    retry = await engine.handle(Turn("u4", text="blablabla"))
    assert keys(retry) == ["nationality_unknown", "emergency.short"]
    assert retry.session.pending == "nationality" and retry.session.pending_intent == "lost_documents"


async def test_shelter_asks_location_and_lists_nearest_first(services: Services) -> None:
    engine = services.engine
    ask = await engine.handle(Turn("u5", text="necesito un albergue"))
    assert ask.step == "ask:location" and ask.replies[0].ask_location
    answer = await engine.handle(Turn("u5", location=Location(-1.06, -80.46)))
    assert answer.step == "answer:shelter"
    text = rendered(services, answer)
    assert text.index("Test shelter Portoviejo") < text.index("Test shelter Manta")
    assert "Test shelter Quito" not in text, "Quito is beyond the search radius"
    assert "openstreetmap.org" in text and "shelters.example" in keys(answer)


async def test_shelter_by_city_name(services: Services) -> None:
    engine = services.engine
    await engine.handle(Turn("u6", text="albergue por favor"))
    answer = await engine.handle(Turn("u6", text="estoy en Quito"))
    assert answer.step == "answer:shelter"
    assert "Test shelter Quito" in rendered(services, answer)


async def test_far_from_any_shelter_gets_emergency_number(services: Services) -> None:
    answer = await services.engine.handle(Turn("u7", location=Location(40.4, -3.7)))
    assert "shelters.none" in keys(answer)
    assert "emergency.call" in keys(answer) or "emergency.unknown" in keys(answer)


async def test_low_confidence_shows_menu_instead_of_guessing(services: Services) -> None:
    result = await services.engine.handle(Turn("u8", text="xyzzy qwerty"))
    assert keys(result) == ["not_understood", "emergency.short"]
    assert "intent:lost_documents" in buttons(result)
    assert result.session.misunderstood == 1


async def test_out_of_scope_says_so_and_shows_menu(services: Services) -> None:
    result = await services.engine.handle(Turn("u9", text="quien gana el futbol"))
    assert keys(result) == ["out_of_scope", "emergency.short"] and "intent:shelter" in buttons(result)


async def test_bad_input_gets_a_clear_answer(services: Services) -> None:
    engine = services.engine
    for text in ("", "   ", "\n"):
        result = await engine.handle(Turn("u10", text=text))
        assert keys(result) == ["empty", "emergency.short"]
    long = await engine.handle(Turn("u10", text="pasaporte " * 2000))
    assert "too_long" in keys(long) and long.intent == "lost_documents"
    emoji = await engine.handle(Turn("u10", text="😭😭🙏"))
    assert emoji.replies and emoji.step in {"low_confidence", "ask:nationality"}


async def test_unknown_button_is_refused_with_menu(services: Services) -> None:
    result = await services.engine.handle(Turn("u11", button="nat:ZZ' OR 1=1"))
    assert keys(result) == ["button_expired", "emergency.short"]


async def test_session_is_json_with_ttl_and_hashed_key(services: Services, redis) -> None:
    await services.engine.handle(Turn("12345", text="perdi mi pasaporte"))
    key = services.engine.store.key("12345")
    assert "12345" not in key
    stored = json.loads(await redis.client.get(key))
    assert stored["pending"] == "nationality"
    ttl = await redis.client.ttl(key)
    assert 0 < ttl <= services.settings.session_ttl


async def test_forget_erases_the_session(services: Services, redis) -> None:
    engine = services.engine
    await engine.handle(Turn("u13", text="soy colombiano, perdi mi pasaporte"))
    ask = await engine.handle(Turn("u13", text="/forget"))
    assert "forget:yes" in buttons(ask)
    done = await engine.handle(Turn("u13", button="forget:yes"))
    assert keys(done) == ["forgotten"]
    assert await redis.client.exists(engine.store.key("u13")) == 0


async def test_redis_down_still_answers_and_says_so(services: Services, monkeypatch) -> None:
    async def broken(*args, **kwargs):
        raise RedisConnectionError("down")

    monkeypatch.setattr(services.redis.client, "get", broken)
    monkeypatch.setattr(services.redis.client, "set", broken)
    result = await services.engine.handle(Turn("u14", text="necesito evacuar"))
    assert keys(result)[0] == "memory_down"
    assert result.remembered is False
    assert result.step == "ask:nationality" and keys(result)[1:] == ["ask_nationality", "emergency.short"]


async def test_language_hint_and_explicit_choice(services: Services) -> None:
    engine = services.engine
    first = await engine.handle(Turn("u15", text="/start", language_hint="pt-BR"))
    assert first.language in services.renderer.locales
    assert any(b.startswith("lang:") for b in buttons(first))
    chosen = await engine.handle(Turn("u15", button="lang:en"))
    assert chosen.language == "en" and chosen.session.language_chosen
    later = await engine.handle(Turn("u15", text="hola necesito evacuar"))
    assert later.language == "en", "an explicit choice wins over the language of the text"


async def test_parse_cache_avoids_second_parse(fixture_settings, language_identifier) -> None:
    from tests.conftest import standin_parser
    from tests.standins import KeywordModel

    model = KeywordModel()
    parser = standin_parser(fixture_settings, language_identifier, model)
    for _ in range(3):
        await parser.parse("hola")
    assert model.calls == 1


async def test_keyboard_mash_is_not_understood_even_if_the_model_is_sure(services: Services) -> None:
    result = await services.engine.handle(Turn("u16", text="hola xkqz wrtp plmn", language_hint="es"))
    assert result.intent == "greet" and result.confidence >= 0.9, "the stand-in model is confident"
    assert keys(result) == ["not_understood", "emergency.short"]
    assert result.language == "es"
