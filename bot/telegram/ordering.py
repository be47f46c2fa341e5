"""Process updates concurrently across chats but one at a time, in arrival order, within a chat."""
from __future__ import annotations

import asyncio
import time
from contextvars import ContextVar
from typing import Any, Awaitable

from telegram import Update
from telegram.ext import BaseUpdateProcessor

# PTB's own semaphore only bounds tasks; the real bound on running handlers is `max_running`.
UNBOUNDED = 1_000_000
_ARRIVED: ContextVar[float | None] = ContextVar("amparo_update_arrived", default=None)


def arrived_at() -> float:
    """Return when the update being handled reached the bot (wall clock), or now outside a handler."""
    return _ARRIVED.get() or time.time()


class ChatOrderedUpdates(BaseUpdateProcessor):
    """Queue each chat's updates behind one another; run at most `max_running` chats' updates at once."""

    # Waiting for the chat's turn comes before taking a running slot, so a chat that sent many
    # messages, or whose replies wait for Telegram to come back, never holds a slot other chats need.

    def __init__(self, max_running: int) -> None:
        """Let up to `max_running` updates of different chats run at the same time."""
        super().__init__(UNBOUNDED)
        self._running = asyncio.BoundedSemaphore(max_running)
        self._chats: dict[int, tuple[asyncio.Lock, int]] = {}

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Wait for the chat's earlier updates, then for a running slot, then process."""
        _ARRIVED.set(time.time())
        chat = _chat_of(update)
        if chat is None:
            async with self._running:
                await coroutine
            return
        lock, waiting = self._chats.get(chat) or (asyncio.Lock(), 0)
        self._chats[chat] = (lock, waiting + 1)
        try:
            async with lock, self._running:
                await coroutine
        finally:
            lock, waiting = self._chats[chat]
            if waiting == 1:
                del self._chats[chat]
            else:
                self._chats[chat] = (lock, waiting - 1)


def _chat_of(update: object) -> int | None:
    """Return the chat an update belongs to (the user's, for updates without a chat), or None."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    return update.effective_user.id if update.effective_user is not None else None
