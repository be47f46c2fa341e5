"""Keep outgoing requests within Telegram's limits: overall, per private chat, per group; obey 429s."""
from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, Callable, Coroutine

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.telegram.retry import retry_seconds
from bot.telegram.window import SlidingWindow

log = logging.getLogger(__name__)

# Telegram's guidance: about 30 messages per second overall, about one per second in a private
# chat (short bursts allowed), 20 per minute in a group.
OVERALL_MAX, OVERALL_PERIOD = 30, 1.0
CHAT_BURST, CHAT_PERIOD = 3, 3.0
GROUP_MAX, GROUP_PERIOD = 20, 60.0
RETRY_AFTER_SLACK = 0.1
MAX_WINDOWS = 10_000


class TelegramRateLimiter(BaseRateLimiter[int]):
    """Throttle every request that targets a chat; on a 429, pause all of them for `retry_after`."""

    def __init__(self, max_retries: int = 5, clock: Callable[[], float] = time.monotonic) -> None:
        """Retry a request refused with 429 up to `max_retries` times."""
        self._max_retries = max_retries
        self._clock = clock
        self._overall = SlidingWindow(OVERALL_MAX, OVERALL_PERIOD, clock)
        self._chats: dict[int | str, SlidingWindow] = {}
        self._resume_at = 0.0

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    def _window(self, chat: int | str) -> SlidingWindow:
        window = self._chats.get(chat)
        if window is None:
            if len(self._chats) >= MAX_WINDOWS:
                self._chats = {k: w for k, w in self._chats.items() if not w.idle}
            private = isinstance(chat, int) and chat > 0
            limit, period = (CHAT_BURST, CHAT_PERIOD) if private else (GROUP_MAX, GROUP_PERIOD)
            window = self._chats[chat] = SlidingWindow(limit, period, self._clock)
        return window

    async def _pause_over(self) -> None:
        while (wait := self._resume_at - self._clock()) > 0:
            await asyncio.sleep(wait)

    async def _send(self, chat: int | str | None, callback: Callable[..., Coroutine[Any, Any, Any]], args: Any, kwargs: dict[str, Any]) -> Any:
        """Send once the chat, the bot as a whole and any 429 pause all allow it."""
        if chat is None:
            await self._pause_over()
            return await callback(*args, **kwargs)
        async with self._window(chat).slot():
            await self._pause_over()
            async with self._overall.slot():
                await self._pause_over()
                return await callback(*args, **kwargs)

    def _pause(self, exc: RetryAfter) -> None:
        self._resume_at = max(self._resume_at, self._clock() + retry_seconds(exc) + RETRY_AFTER_SLACK)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Any]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:
        """Send the request when the limits allow; retry it after a 429."""
        chat = _chat(data.get("chat_id"))
        retries, attempt = rate_limit_args or self._max_retries, 0
        while True:
            try:
                return await self._send(chat, callback, args, kwargs)
            except RetryAfter as exc:
                self._pause(exc)
                if attempt >= retries:
                    raise
                attempt += 1
                log.info("Telegram asked to slow down; pausing all requests")


def _chat(chat_id: Any) -> int | str | None:
    """Return the chat a request targets (an int, or a @channel name), or None."""
    if chat_id is None:
        return None
    try:
        return int(chat_id)
    except (TypeError, ValueError):
        return str(chat_id)
