"""Handle Telegram updates: build a Turn, run the engine, send the rendered replies."""
from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.cases.staff import StaffConsole
from bot.engine.reply import Text, reply
from bot.engine.result import TurnResult
from bot.engine.turn import Location, Turn
from bot.messages import MEDIA, PRIVATE_ONLY, SLOW_DOWN, UNSUPPORTED, VOICE
from bot.services import Services
from bot.telegram.limits import FloodGuard, UpdateDeduplicator
from bot.telegram.send import deliver

log = logging.getLogger(__name__)


def services_of(context: ContextTypes.DEFAULT_TYPE) -> Services:
    """Return the services built in post_init."""
    return context.application.bot_data["services"]


def _user(update: Update) -> str:
    return str(update.effective_user.id)


def _hint(update: Update) -> str | None:
    return update.effective_user.language_code if update.effective_user else None


async def _send(update: Update, context: ContextTypes.DEFAULT_TYPE, result: TurnResult) -> None:
    """Send each rendered reply of a turn to the chat."""
    renderer = services_of(context).renderer
    for item in result.replies:
        await deliver(context.bot, update.effective_chat.id, renderer.render(item, result.language))


async def _answer(update: Update, context: ContextTypes.DEFAULT_TYPE, turn: Turn) -> None:
    """Handle one turn (ChatOrderedUpdates runs the turns of one chat one after another, in order)."""
    result = await services_of(context).engine.handle(turn)
    await _send(update, context, result)
    if result.forward and result.case:
        await _forward_to_staff(context, result.case, result.forward)


async def _forward_to_staff(context: ContextTypes.DEFAULT_TYPE, case_id: str, text: str) -> None:
    """Add the person's message to their open case and show it in the case's staff topic."""
    services = services_of(context)
    case = await StaffConsole(services.cases, services.knowledge.desks()).person_wrote(case_id, text)
    channel = context.application.bot_data.get("staff_channel")
    if case is not None and channel is not None:
        await channel.person_wrote(case, services.knowledge.desks().get(case.desk), text)


async def _notice(update: Update, context: ContextTypes.DEFAULT_TYPE, notice: Text) -> None:
    """Say why a message cannot be read, then show the menu, in the user's language."""
    result = await services_of(context).engine.handle(Turn(_user(update), button="menu", language_hint=_hint(update)))
    result.replies.insert(0, reply(notice))
    await _send(update, context, result)


async def _say_alone(update: Update, context: ContextTypes.DEFAULT_TYPE, message: Text) -> None:
    """Send one message in the user's language without running a turn (nothing is stored)."""
    services = services_of(context)
    language = await services.engine.language_for(_user(update), _hint(update))
    await deliver(context.bot, update.effective_chat.id, services.renderer.render(reply(message), language))


async def guard(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Drop updates delivered twice and floods from one user, before any other handler runs."""
    services = services_of(context)
    prefix = services.settings.key_prefix
    if not await UpdateDeduplicator(services.redis.client, prefix).first_time(update.update_id):
        raise ApplicationHandlerStop
    if update.effective_user is None or update.effective_chat is None:
        return
    flood = FloodGuard(services.redis.client, prefix)
    count = await flood.count(_user(update))
    if count > flood.limit:
        if update.callback_query:
            await update.callback_query.answer()
        if count == flood.limit + 1 and update.effective_chat.type == "private":
            await _say_alone(update, context, SLOW_DOWN)
        raise ApplicationHandlerStop


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a text message, a command, an edited or a forwarded message."""
    text = update.effective_message.text or ""
    await _answer(update, context, Turn(_user(update), text=text, language_hint=_hint(update)))


async def on_location(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a shared location."""
    point = update.effective_message.location
    await _answer(update, context, Turn(_user(update), location=Location(point.latitude, point.longitude), language_hint=_hint(update)))


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a pressed inline button (its data is checked by the engine, never trusted)."""
    query = update.callback_query
    await query.answer()
    if update.effective_chat is None:
        return
    await _answer(update, context, Turn(_user(update), button=query.data or "", language_hint=_hint(update)))


async def on_voice(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Explain that voice notes cannot be heard yet."""
    await _notice(update, context, VOICE)


async def on_media(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Explain that photos, videos and files cannot be read."""
    await _notice(update, context, MEDIA)


async def on_other(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer anything else (stickers, contacts, polls…)."""
    await _notice(update, context, UNSUPPORTED)


async def on_group(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Point people who call the bot in a group to a private chat."""
    await _say_alone(update, context, PRIVATE_ONLY)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log an error without user data."""
    log.error("error while handling an update: %s", type(context.error).__name__, exc_info=context.error)
