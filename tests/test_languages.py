"""Each language end to end: what people write in it is answered in it; switching keeps the details."""
from __future__ import annotations

import pytest

from bot import messages as m
from bot.engine.turn import Turn
from bot.services import KnowledgeHolder, Services, build_parser, build_services
from bot.settings import Settings

pytestmark = pytest.mark.nlu

CONVERSATIONS = {
    "es": ("buenas tardes, necesito ayuda", "perdí mi pasaporte en el terremoto"),
    "en": ("good morning, I need help", "I lost my passport in the earthquake"),
    "fr": ("bonjour, j'ai besoin d'aide", "j'ai perdu mon passeport pendant le séisme"),
    "pt": ("oi, bom dia, preciso de ajuda", "perdi meu passaporte no terremoto"),
    "ht": ("bonjou, mwen bezwen èd", "mwen pèdi paspò mwen nan tranblemanntè a"),
    "ar": ("السلام عليكم، أحتاج مساعدة", "فقدت جواز سفري في الزلزال"),
}


@pytest.fixture(scope="module")
def real_parser(base_settings: Settings):
    return build_parser(base_settings, KnowledgeHolder(base_settings.knowledge_dir))


@pytest.fixture
async def real_services(base_settings: Settings, real_parser, redis) -> Services:
    return await build_services(base_settings, real_parser, redis)


@pytest.mark.parametrize("language", sorted(CONVERSATIONS))
async def test_written_language_gets_replies_in_that_language(language: str, real_services: Services) -> None:
    renderer, engine = real_services.renderer, real_services.engine
    greeting, request = CONVERSATIONS[language]
    user = f"lang-{language}"
    hello = await engine.handle(Turn(user, text=greeting))
    assert hello.language == language
    first, *rest = renderer.render(hello.replies[0], hello.language).text.splitlines()
    assert hello.intent in {"greet", "help"}
    assert not rest or "911" in rest[-1], "the menu ends with the emergency line"
    assert first in {renderer.text(m.WELCOME, language), renderer.text(m.MENU, language)}
    others = {renderer.text(msg, other) for msg in (m.WELCOME, m.MENU) for other in ("es", "en") if other != language}
    assert first not in others
    asked = await engine.handle(Turn(user, text=request))
    assert asked.intent == "lost_documents" and asked.language == language
    question, emergency = renderer.render(asked.replies[0], language).text.splitlines()
    assert question == renderer.text(m.ASK_NATIONALITY, language) and "911" in emergency


async def test_switching_language_mid_flow_keeps_details(real_services: Services) -> None:
    renderer, engine = real_services.renderer, real_services.engine
    await engine.handle(Turn("switch", text="estoy en Portoviejo"))
    asked = await engine.handle(Turn("switch", text="perdí mi pasaporte"))
    assert asked.session.pending == "nationality" and asked.language == "es"
    switched = await engine.handle(Turn("switch", button="lang:fr"))
    assert switched.language == "fr"
    texts = [renderer.render(r, "fr").text for r in switched.replies]
    assert texts[0] == renderer.text(m.LANGUAGE_SET, "fr")
    assert texts[1].splitlines()[0] == renderer.text(m.ASK_NATIONALITY, "fr"), "the open question is asked again, in French"
    answered = await engine.handle(Turn("switch", button="nat:CO"))
    assert answered.language == "fr" and answered.step == "answer:lost_documents"
    assert answered.session.city == "Portoviejo" and answered.session.nationality == "CO"
    body = "\n".join(renderer.render(r, "fr").text for r in answered.replies)
    assert "Consulado General de Colombia" in body or "Colombie" in body
    assert renderer.text(m.BTN_MENU, "fr") != renderer.text(m.BTN_MENU, "es")


async def test_telegram_hint_decides_for_unclear_text(real_services: Services) -> None:
    result = await real_services.engine.handle(Turn("hint", text="ok", language_hint="pt-BR"))
    assert result.language == "pt"
    creole = await real_services.engine.handle(Turn("hint-ht", text="👍", language_hint="fr-HT"))
    assert creole.language == "ht"
