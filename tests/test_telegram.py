"""The Telegram front end end to end: the real Application against a local fake Bot API."""
from __future__ import annotations

import asyncio

import aiohttp

from tests.fake_bot_api import Fault, callback, inline_buttons, message
from tests.telegram_harness import free_port, running_bot




def services_text(key: str, language: str = "es") -> str:
    """Render one interface message as the bot sends it (HTML-escaped)."""
    import html

    from bot import messages
    from bot.i18n import Renderer
    from bot.settings import PROJECT_ROOT

    message = next(v for v in vars(messages).values() if getattr(v, "context", None) == key)
    return html.escape(Renderer(PROJECT_ROOT / "locales").text(message, language), quote=False)



async def test_start_language_passport_nationality_flow(api, fixture_settings, parser, redis) -> None:
    uid = 7001
    async with running_bot(api, fixture_settings, parser, redis):
        api.push(message(uid, "/start", language="es"))
        sent = await api.wait_for(3, chat_id=uid)
        assert "lang:ht" in inline_buttons(sent[1]) and "lang:ar" in inline_buttons(sent[1])
        assert "/forget" in sent[0]["text"], "the welcome carries the privacy notice"
        api.push(callback(uid, "lang:es"))
        await api.wait_for(4, chat_id=uid)
        api.push(message(uid, "perdí mi pasaporte"))
        sent = await api.wait_for(6, chat_id=uid)
        assert "nat:CO" in inline_buttons(sent[-1])
        api.push(callback(uid, "nat:CO"))
        sent = await api.wait_for(9, chat_id=uid)
        joined = "\n".join(p["text"] for p in sent[6:])
        assert "Test consulate of Colombia in Quito" in joined
        assert all(p["parse_mode"] == "HTML" for p in sent)
    assert len(api.sent("answerCallbackQuery")) == 2
    commands = api.sent("setMyCommands")
    assert {c.get("language_code") for c in commands} >= {None, "es", "en", "fr", "pt", "ht", "ar"}


async def test_location_pin_lists_nearest_shelter(api, fixture_settings, parser, redis) -> None:
    uid = 7002
    async with running_bot(api, fixture_settings, parser, redis):
        api.push(message(uid, "necesito un albergue"))
        ask = await api.wait_for(1, chat_id=uid)
        assert ask[0]["reply_markup"]["keyboard"][0][0]["request_location"] is True
        api.push(message(uid, None, location={"latitude": -0.97, "longitude": -80.70}))
        sent = await api.wait_for(3, chat_id=uid)
        assert "Test shelter Manta" in "\n".join(p["text"] for p in sent[1:])


async def test_voice_media_and_groups(api, fixture_settings, parser, redis) -> None:
    uid = 7003
    async with running_bot(api, fixture_settings, parser, redis):
        api.push(message(uid, None, voice={"file_id": "v1", "file_unique_id": "v1", "duration": 3}))
        voice = await api.wait_for(2, chat_id=uid)
        api.push(message(uid, None, sticker={"file_id": "s", "file_unique_id": "s", "type": "regular", "width": 1, "height": 1, "is_animated": False, "is_video": False}))
        sticker = await api.wait_for(4, chat_id=uid)
        api.push(message(uid, "/start", chat_type="supergroup"))
        await api.wait_for(1, chat_id=-100000 - uid)
        api.push(message(uid, "hola a todos", chat_type="supergroup"))
        await asyncio.sleep(0.5)
    voice_notice = services_text("voice")
    assert voice[0]["text"] == voice_notice and "intent:shelter" in inline_buttons(voice[1])
    assert sticker[2]["text"] == services_text("unsupported") and "intent:shelter" in inline_buttons(sticker[3])
    assert len(api.sent(chat_id=-100000 - uid)) == 1, "ordinary group chatter is ignored"


async def test_long_message_and_html_escaping(api, fixture_settings, parser, redis) -> None:
    uid = 7004
    async with running_bot(api, fixture_settings, parser, redis):
        api.push(message(uid, "<b>pasaporte</b> " * 700))
        sent = await api.wait_for(1, chat_id=uid)
    assert all(len(p["text"]) <= 4096 for p in sent)
    assert all("<b>" not in p["text"] for p in sent)


async def test_forged_callback_data_is_refused(api, fixture_settings, parser, redis) -> None:
    uid = 7005
    async with running_bot(api, fixture_settings, parser, redis) as (_, services):
        api.push(callback(uid, "nat:../../admin"))
        sent = await api.wait_for(1, chat_id=uid)
        expected = services.renderer.text(__import__("bot.messages", fromlist=["x"]).BUTTON_EXPIRED, "es")
    assert sent[0]["text"].startswith(expected[:20])
    assert len(api.sent("answerCallbackQuery")) == 1


async def test_429_on_reply_is_retried_and_delivered_once(api, fixture_settings, parser, redis) -> None:
    uid = 7006
    api.inject("sendMessage", Fault(429, retry_after=1))
    async with running_bot(api, fixture_settings, parser, redis):
        api.push(message(uid, "quien gana el futbol"))
        sent = await api.wait_for(1, chat_id=uid)
        await asyncio.sleep(0.3)
    assert len(api.sent(chat_id=uid)) == 1
    attempts = [c for c in api.calls if c.method == "sendMessage" and int(c.params["chat_id"]) == uid]
    assert [c.status for c in attempts] == [429, 200]
    assert attempts[1].at - attempts[0].at >= 1.0, "waited retry_after"
    assert sent[0]["text"]


async def test_5xx_on_reply_is_retried(api, fixture_settings, parser, redis) -> None:
    uid = 7007
    api.inject("sendMessage", Fault(500), Fault(502))
    async with running_bot(api, fixture_settings, parser, redis):
        api.push(message(uid, "hola"))
        await api.wait_for(2, chat_id=uid)
        await asyncio.sleep(0.3)
    assert len(api.sent(chat_id=uid)) == 2, "welcome + menu, each exactly once"


async def test_duplicate_update_is_answered_once(api, fixture_settings, parser, redis) -> None:
    uid = 7008
    async with running_bot(api, fixture_settings, parser, redis):
        update = message(uid, "quien gana el futbol")
        update_id = api.push(update)
        api.push({**update, "update_id": update_id})
        await api.wait_for(1, chat_id=uid)
        await asyncio.sleep(0.5)
    assert len(api.sent(chat_id=uid)) == 1


async def test_flood_from_one_user_is_cut(api, fixture_settings, parser, redis) -> None:
    flooder, other = 7009, 7010
    async with running_bot(api, fixture_settings, parser, redis):
        for i in range(30):
            api.push(message(flooder, f"spam {i}"))
        api.push(message(other, "quien gana el futbol"))
        await api.wait_for(1, chat_id=other, timeout=10)
        await asyncio.sleep(1.0)
    sent = [p["text"] for p in api.sent(chat_id=flooder)]
    notice = services_text("slow_down")
    assert sent.count(notice) >= 1, "the flooder is told to slow down"
    answered = len(sent) - sent.count(notice)
    assert answered <= 10, f"at most 5 answers per 3-second window, got {answered} for 30 messages"


async def test_webhook_checks_the_secret_token(api, fixture_settings, parser, redis) -> None:
    uid, port = 7011, free_port()
    webhook = {"listen": "127.0.0.1", "port": port, "url_path": "hook", "webhook_url": f"http://127.0.0.1:{port}/hook", "secret_token": "s3cret"}
    async with running_bot(api, fixture_settings, parser, redis, webhook=webhook):
        assert api.sent("setWebhook")[0]["secret_token"] == "s3cret"
        update = {"update_id": 555001, **message(uid, "quien gana el futbol")}
        async with aiohttp.ClientSession() as http:
            for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
                async with http.post(f"http://127.0.0.1:{port}/hook", json=update, headers=headers) as response:
                    assert response.status == 403
            good = {"X-Telegram-Bot-Api-Secret-Token": "s3cret"}
            for _ in range(2):  # Telegram retries: the same update twice
                async with http.post(f"http://127.0.0.1:{port}/hook", json=update, headers=good) as response:
                    assert response.status == 200
        await api.wait_for(1, chat_id=uid)
        await asyncio.sleep(0.5)
    assert len(api.sent(chat_id=uid)) == 1
