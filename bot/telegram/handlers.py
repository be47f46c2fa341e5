"""Handle Telegram updates: build a Turn, run the engine, send the rendered replies."""
from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import ContextTypes

from bot.engine.reply import reply
from bot.engine.turn import Location, Turn
from bot.messages import UNSUPPORTED
from bot.engine.result import TurnResult
from bot.services import Services
from bot.telegram.send import messages

log = logging.getLogger(__name__)


def _services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    return context.application.bot_data["services"]


def _hint(update: Update) -> str | None:
    user = update.effective_user
    return user.language_code if user else None


async def _answer(update: Update, context: ContextTypes.DEFAULT_TYPE, turn: Turn) -> None:
    """Run the engine on a turn and send each reply to the chat."""
    await _send(update, context, await _services(context).engine.handle(turn))


async def _send(update: Update, context: ContextTypes.DEFAULT_TYPE, result: TurnResult) -> None:
    """Send each rendered reply of a turn to the chat."""
    renderer = _services(context).renderer
    for item in result.replies:
        for text, markup in messages(renderer.render(item, result.language)):
            await context.bot.send_message(update.effective_chat.id, text, parse_mode=ParseMode.HTML, reply_markup=markup)


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a text message or a command."""
    message = update.effective_message
    await _answer(update, context, Turn(str(update.effective_user.id), text=message.text, language_hint=_hint(update)))


async def on_location(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a shared location."""
    point = update.effective_message.location
    turn = Turn(str(update.effective_user.id), location=Location(point.latitude, point.longitude), language_hint=_hint(update))
    await _answer(update, context, turn)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a pressed inline button."""
    query = update.callback_query
    await query.answer()
    await _answer(update, context, Turn(str(query.from_user.id), button=query.data or "", language_hint=_hint(update)))


async def on_other(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer anything that is not text, a button or a location."""
    turn = Turn(str(update.effective_user.id), button="menu", language_hint=_hint(update))
    result = await _services(context).engine.handle(turn)
    result.replies.insert(0, reply(UNSUPPORTED))
    await _send(update, context, result)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log an error without user data."""
    log.error("error while handling an update: %s", type(context.error).__name__, exc_info=context.error)
