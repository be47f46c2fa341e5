"""Turn rendered replies into Telegram messages: escaping, keyboards, splitting."""
from __future__ import annotations

import functools
import html

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup, ReplyKeyboardRemove

from telegram.constants import ParseMode

from bot.i18n import RenderedReply
from bot.telegram.retry import RETRY_FOR, send_once

MAX_MESSAGE = 4096
BUTTONS_PER_ROW = 2
LONGEST_ENTITY = len("&amp;")


def _cut(line: str, limit: int) -> int:
    """Return where to cut a line longer than `limit`: there, or before an HTML entity it would split."""
    amp = line.rfind("&", max(0, limit - LONGEST_ENTITY + 1), limit)
    return amp if amp > 0 and line.find(";", amp, limit) == -1 else limit


def split_text(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Split text below Telegram's limit, at line breaks where possible."""
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                chunks.append(current)
                current = ""
            cut = _cut(line, limit)
            chunks.append(line[:cut])
            line = line[cut:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            chunks.append(current)
            current = line
        else:
            current = candidate
    if current or not chunks:
        chunks.append(current)
    return chunks


def keyboard(reply: RenderedReply) -> InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | None:
    """Build the keyboard: inline buttons, or a one-time button that shares the location."""
    if reply.ask_location:
        button = KeyboardButton(reply.location_label, request_location=True)
        return ReplyKeyboardMarkup([[button]], resize_keyboard=True, one_time_keyboard=True)
    if not reply.buttons:
        return None
    buttons = [InlineKeyboardButton(label, callback_data=data) for label, data in reply.buttons]
    rows = [buttons[i : i + BUTTONS_PER_ROW] for i in range(0, len(buttons), BUTTONS_PER_ROW)]
    return InlineKeyboardMarkup(rows)


def messages(reply: RenderedReply) -> list[tuple[str, object]]:
    """Return (HTML-escaped text, keyboard) pairs; the keyboard goes on the last part."""
    parts = split_text(html.escape(reply.text, quote=False))
    markup = keyboard(reply)
    return [(part, markup if i == len(parts) - 1 else None) for i, part in enumerate(parts)]


async def deliver(
    bot: Bot, chat_id: int, reply: RenderedReply, thread_id: int | None = None, patience: float = RETRY_FOR
) -> None:
    """Send a rendered reply part by part, each once, waiting out Telegram outages of up to `patience` seconds."""
    for text, markup in messages(reply):
        send = functools.partial(
            bot.send_message, chat_id, text, parse_mode=ParseMode.HTML, reply_markup=markup, message_thread_id=thread_id
        )
        await send_once(send, patience, probe=bot.get_me)
