"""Build the python-telegram-bot Application in one place and run it (polling or webhook)."""
from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from typing import Awaitable, Callable

from telegram import BotCommand, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.messages import COMMANDS
from bot.services import Services, build_services
from bot.settings import Settings
from bot.cases.notifier import CaseNotifier
from bot.telegram import handlers, staff
from bot.telegram.staff import TelegramStaffChannel
from bot.telegram.ordering import ChatOrderedUpdates
from bot.telegram.ratelimit import TelegramRateLimiter

log = logging.getLogger(__name__)
ServicesFactory = Callable[[Settings], Awaitable[Services]]


async def services_with_background_model(settings: Settings) -> Services:
    """Build services that answer at once while the NLU model loads."""
    return await build_services(settings, background_model=True)


async def register_commands(application: Application, services: Services) -> None:
    """Publish the command menu in every supported language (and the default language)."""
    renderer = services.renderer
    for code in (None, *renderer.locales):
        locale = code or services.settings.default_language
        commands = [BotCommand(name, renderer.text(label, locale)) for name, label in COMMANDS.items()]
        await application.bot.set_my_commands(commands, language_code=code)


def build_application(settings: Settings, services_factory: ServicesFactory = services_with_background_model) -> Application:
    """Create the Application; services start in post_init and close in post_shutdown."""

    async def post_init(application: Application) -> None:
        services = await services_factory(settings)
        application.bot_data["services"] = services
        await register_commands(application, services)
        application.bot_data["watcher"] = asyncio.create_task(services.knowledge.watch())
        channel = TelegramStaffChannel(application.bot, services.renderer, services.cases)
        application.bot_data["staff_channel"] = channel
        notifier = CaseNotifier(
            services.cases, services.knowledge.desks, channel, services.engine.escalator.news, settings.reannounce_minutes * 60.0
        )
        application.bot_data["notifier"] = asyncio.create_task(notifier.run())
        with contextlib.suppress(NotImplementedError, RuntimeError):
            asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, services.knowledge.reload)

    async def post_shutdown(application: Application) -> None:
        for name in ("watcher", "notifier"):
            task = application.bot_data.pop(name, None)
            if task is not None:
                task.cancel()
        services = application.bot_data.pop("services", None)
        if services is not None:
            await services.close()

    application = (
        Application.builder()
        .token(settings.telegram_token)
        .base_url(settings.telegram_api_url)
        .rate_limiter(TelegramRateLimiter(max_retries=5))
        .concurrent_updates(ChatOrderedUpdates(64))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    add_handlers(application)
    return application


def add_handlers(application: Application) -> None:
    """Register the handlers: the guard first, then one handler per kind of update."""
    private = filters.ChatType.PRIVATE
    groups = filters.ChatType.GROUPS
    media = filters.PHOTO | filters.VIDEO | filters.Document.ALL | filters.AUDIO | filters.VIDEO_NOTE | filters.ANIMATION
    application.add_handler(TypeHandler(Update, handlers.guard), group=-1)
    application.add_handler(CallbackQueryHandler(staff.on_case_button, pattern=r"^case:"))
    application.add_handler(CommandHandler("cases", staff.on_cases_command, filters=groups))
    application.add_handler(MessageHandler(filters.ChatType.SUPERGROUP & filters.TEXT & ~filters.COMMAND, staff.on_staff_message))
    application.add_handler(CommandHandler(("start", "help"), handlers.on_group, filters=groups))
    application.add_handler(MessageHandler(private & filters.TEXT, handlers.on_text))
    application.add_handler(MessageHandler(private & filters.LOCATION, handlers.on_location))
    application.add_handler(MessageHandler(private & filters.VOICE, handlers.on_voice))
    application.add_handler(MessageHandler(private & media, handlers.on_media))
    application.add_handler(CallbackQueryHandler(handlers.on_button))
    application.add_handler(MessageHandler(private & ~filters.StatusUpdate.ALL, handlers.on_other))
    application.add_error_handler(handlers.on_error)


def run_polling(settings: Settings) -> None:
    """Run the bot with long polling."""
    build_application(settings).run_polling(allowed_updates=Update.ALL_TYPES)


def run_webhook(settings: Settings) -> None:
    """Run the bot behind a reverse proxy; Telegram's secret token is checked on every request."""
    if not settings.webhook_secret:
        raise SystemExit("AMPARO_WEBHOOK_SECRET must be set in webhook mode")
    build_application(settings).run_webhook(
        listen=settings.webhook_listen,
        port=settings.webhook_port,
        url_path=settings.webhook_path,
        webhook_url=settings.webhook_url,
        secret_token=settings.webhook_secret,
        allowed_updates=Update.ALL_TYPES,
    )
