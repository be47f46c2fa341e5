"""Build the python-telegram-bot Application in one place and run it."""
from __future__ import annotations

from telegram import Update
from telegram.ext import AIORateLimiter, Application, CallbackQueryHandler, MessageHandler, filters

from bot.services import build_services
from bot.settings import Settings
from bot.telegram import handlers


def build_application(settings: Settings) -> Application:
    """Create the Application; services start in post_init and close in post_shutdown."""

    async def post_init(application: Application) -> None:
        application.bot_data["services"] = await build_services(settings)

    async def post_shutdown(application: Application) -> None:
        services = application.bot_data.pop("services", None)
        if services is not None:
            await services.close()

    application = (
        Application.builder()
        .token(settings.telegram_token)
        .base_url(settings.telegram_api_url)
        .rate_limiter(AIORateLimiter(max_retries=3))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    private = filters.ChatType.PRIVATE
    application.add_handler(MessageHandler(private & filters.TEXT, handlers.on_text))
    application.add_handler(MessageHandler(private & filters.LOCATION, handlers.on_location))
    application.add_handler(CallbackQueryHandler(handlers.on_button))
    application.add_handler(MessageHandler(private & ~filters.TEXT & ~filters.LOCATION, handlers.on_other))
    application.add_error_handler(handlers.on_error)
    return application


def run_polling(settings: Settings) -> None:
    """Run the bot with long polling."""
    build_application(settings).run_polling(allowed_updates=Update.ALL_TYPES)
