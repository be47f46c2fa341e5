"""Turn rendered replies into Telegram messages: escaping, keyboards, splitting."""
from __future__ import annotations

import asyncio
import html

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup, ReplyKeyboardRemove

from telegram.constants import ParseMode
from telegram.error import NetworkError, TimedOut

from bot.i18n import RenderedReply

MAX_MESSAGE = 4096
BUTTONS_PER_ROW = 2


def split_text(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Split text below Telegram's limit, at line breaks where possible."""
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                chunks.append(current)
                current = ""
            chunks.append(line[:limit])
            line = line[limit:]
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
    bot: Bot, chat_id: int, reply: RenderedReply, attempts: int = 4, backoff: float = 0.5, thread_id: int | None = None
) -> None:
    """Send a rendered reply; retry network failures that cannot have delivered it (never timeouts)."""
    for text, markup in messages(reply):
        for attempt in range(attempts):
            try:
                await bot.send_message(
                    chat_id, text, parse_mode=ParseMode.HTML, reply_markup=markup, message_thread_id=thread_id
                )
                break
            except TimedOut:
                raise
            except NetworkError:
                if attempt == attempts - 1:
                    raise
                await asyncio.sleep(backoff * 2**attempt)
