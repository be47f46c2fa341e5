"""The escalation round trip through the real Application and the fake Bot API."""
from __future__ import annotations

import asyncio


from bot.settings import Settings
from tests.fake_bot_api import FakeBotApi, Fault, callback, inline_buttons, message
from tests.telegram_harness import running_bot

CONSULATE_GROUP, IOM_GROUP = -1001, -1002




def staff_post(uid: int, thread: int, text: str) -> dict:
    update = message(uid, text, chat_type="supergroup", chat_id=CONSULATE_GROUP)
    update["message"].update(message_thread_id=thread, is_topic_message=True)
    return update



async def test_full_round_trip(api: FakeBotApi, fixture_settings: Settings, parser, redis) -> None:
    person, staff, stranger = 8001, 501, 999
    api.inject("createForumTopic", Fault(500))
    async with running_bot(api, fixture_settings, parser, redis) as (_, services):
        api.push(message(person, "soy colombiano"))
        await api.wait_for(1, chat_id=person)
        api.push(callback(person, "intent:human_agent"))
        consent = await api.wait_for(2, chat_id=person)
        assert "esc:yes" in inline_buttons(consent[-1])
        api.push(callback(person, "esc:yes"))
        opened = await api.wait_for(3, chat_id=person)
        case_id = opened[-1]["text"].split("C-")[1][:6]
        case_id = "C-" + case_id

        topics = await api.wait_for(1, "createForumTopic", timeout=15)
        assert topics[0]["chat_id"] == CONSULATE_GROUP and case_id in topics[0]["name"] and "ES" in topics[0]["name"]
        card = (await api.wait_for(1, chat_id=CONSULATE_GROUP))[0]
        thread = card["message_thread_id"]
        assert case_id in card["text"] and "soy colombiano" in card["text"]
        assert inline_buttons(card) == [f"case:claim:{case_id}", f"case:close:{case_id}"]
        failed = [c for c in api.calls if c.method == "createForumTopic" and c.status == 500]
        assert len(failed) == 1, "the first attempt failed and was retried"

        answered = len(api.sent("answerCallbackQuery"))
        api.push(callback(stranger, f"case:claim:{case_id}", chat_id=CONSULATE_GROUP))
        refusal = await api.wait_for(answered + 1, "answerCallbackQuery")
        assert refusal[-1].get("show_alert") is True
        assert (await services.cases.get(case_id)).status == "open"

        api.push(callback(staff, f"case:claim:{case_id}", chat_id=CONSULATE_GROUP))
        claimed = await api.wait_for(4, chat_id=person)
        assert case_id in claimed[-1]["text"] and "Test consulate of Colombia" in claimed[-1]["text"]

        for n, text in enumerate(["Hola, soy del consulado.", "Traiga una foto de su pasaporte."], start=5):
            api.push(staff_post(staff, thread, text))
            await api.wait_for(n, chat_id=person)
        relayed = [p["text"] for p in api.sent(chat_id=person)[-2:]]
        assert "Hola, soy del consulado." in relayed[0] and "Traiga una foto" in relayed[1], "in order"

        api.push(message(person, "Gracias, la tengo <b>aquí</b>"))
        await api.wait_for(7, chat_id=person)
        in_topic = await api.wait_for(3, chat_id=CONSULATE_GROUP)
        assert "la tengo &lt;b&gt;aquí&lt;/b&gt;" in in_topic[-1]["text"] and in_topic[-1]["message_thread_id"] == thread

        api.push(staff_post(stranger, thread, "I am not staff"))
        await asyncio.sleep(0.5)
        assert not any("I am not staff" in p["text"] for p in api.sent(chat_id=person))

        api.push(callback(staff, f"case:close:{case_id}", chat_id=CONSULATE_GROUP))
        closed = await api.wait_for(8, chat_id=person)
        assert case_id in closed[-1]["text"]
        case = await services.cases.get(case_id)
    assert case.status == "closed"
    assert [a["action"] for a in case.audit] == ["created", "announced", "claimed", "replied", "replied", "wrote", "closed"]


async def test_staff_of_another_desk_cannot_act(api: FakeBotApi, fixture_settings: Settings, parser, redis) -> None:
    person, iom_staff = 8002, 601
    async with running_bot(api, fixture_settings, parser, redis) as (_, services):
        api.push(message(person, "soy colombiana"))
        await api.wait_for(1, chat_id=person)
        api.push(callback(person, "intent:human_agent"))
        await api.wait_for(2, chat_id=person)
        api.push(callback(person, "esc:yes"))
        opened = await api.wait_for(3, chat_id=person)
        case_id = "C-" + opened[-1]["text"].split("C-")[1][:6]
        answered = len(api.sent("answerCallbackQuery"))
        api.push(callback(iom_staff, f"case:close:{case_id}", chat_id=IOM_GROUP))
        refused = await api.wait_for(answered + 1, "answerCallbackQuery")
        assert refused[-1].get("show_alert") is True
        await asyncio.sleep(0.3)
        assert (await services.cases.get(case_id)).status == "open"
        api.push(message(iom_staff, "/cases", chat_type="supergroup", chat_id=IOM_GROUP))
        listing = await api.wait_for(1, chat_id=IOM_GROUP)
    assert case_id not in listing[-1]["text"], "a desk never sees another desk's cases"


async def test_danger_gets_the_number_first_then_an_urgent_card(api: FakeBotApi, fixture_settings: Settings, parser, redis) -> None:
    person, default_desk = 8009, -1003
    async with running_bot(api, fixture_settings, parser, redis) as (_, services):
        api.push(message(person, "ayuda mi esposo no respira"))
        first = (await api.wait_for(1, chat_id=person))[0]
        assert first["text"].splitlines()[0].count("911") == 1, "the emergency number is on the first line"
        assert "esc:yes" in inline_buttons(first), "a person is offered in the same message"
        api.push(callback(person, "esc:yes"))
        opened = await api.wait_for(2, chat_id=person)
        case_id = "C-" + opened[-1]["text"].split("C-")[1][:6]
        card = (await api.wait_for(1, chat_id=default_desk, timeout=15))[0]
        assert case_id in card["text"] and "URGENT" in card["text"]
        assert (await services.cases.get(case_id)).urgency == "urgent"
