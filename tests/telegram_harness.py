"""Run the real python-telegram-bot Application against the fake Bot API (polling or webhook)."""
from __future__ import annotations

import dataclasses
import socket
from contextlib import asynccontextmanager
from typing import AsyncIterator

from telegram import Update
from telegram.ext import Application

from bot.redis_conn import RedisHandle
from bot.services import Services, build_services
from bot.settings import Settings
from bot.telegram.app import build_application
from nlu.parser import Parser
from tests.fake_bot_api import FakeBotApi


def free_port() -> int:
    """Return a free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@asynccontextmanager
async def running_bot(
    api: FakeBotApi, settings: Settings, parser: Parser, redis: RedisHandle, webhook: dict | None = None
) -> AsyncIterator[tuple[Application, Services]]:
    """Start the Application (post_init included) against the fake API; stop it afterwards."""
    settings = dataclasses.replace(settings, telegram_token=api.token, telegram_api_url=api.base_url)
    holder: dict[str, Services] = {}

    async def factory(s: Settings) -> Services:
        holder["services"] = await build_services(s, parser, redis)
        return holder["services"]

    application = build_application(settings, factory)
    application.post_shutdown = None  # the test's redis fixture owns the connection
    await application.initialize()
    await application.post_init(application)
    if webhook:
        await application.updater.start_webhook(allowed_updates=Update.ALL_TYPES, **webhook)
    else:
        await application.updater.start_polling(poll_interval=0.0, timeout=1, allowed_updates=Update.ALL_TYPES)
    await application.start()
    try:
        yield application, holder["services"]
    finally:
        for name in ("watcher", "notifier"):
            task = application.bot_data.pop(name, None)
            if task is not None:
                task.cancel()
        await application.updater.stop()
        await application.stop()
        await application.shutdown()
