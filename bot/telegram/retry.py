"""Retry a Telegram request only when it certainly was not carried out, until Telegram is back."""
from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from typing import Any, Awaitable, Callable, TypeVar

import httpx
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut

log = logging.getLogger(__name__)
T = TypeVar("T")

RETRY_FOR = 900.0  # a reply that waits for Telegram this long is still worth delivering in a crisis
BACKOFF_FIRST, BACKOFF_MAX = 0.5, 5.0
# Timeouts before the request left this machine: retrying them cannot send a message twice.
UNSENT_TIMEOUTS = (httpx.ConnectTimeout, httpx.PoolTimeout)


def not_sent(exc: Exception) -> bool:
    """Tell whether a failed request certainly had no effect, so sending it again cannot duplicate it."""
    if isinstance(exc, RetryAfter):
        return True
    if isinstance(exc, TimedOut):  # a read or write timeout: Telegram may have sent the message
        return isinstance(exc.__cause__, UNSENT_TIMEOUTS)
    return isinstance(exc, NetworkError) and not isinstance(exc, BadRequest)  # 5xx, refused or reset connections


def _wait(exc: Exception, backoff: float) -> float:
    if isinstance(exc, RetryAfter):
        value: Any = exc.retry_after
        return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)
    return backoff


async def send_once(request: Callable[[], Awaitable[T]], patience: float = RETRY_FOR) -> T:
    """Run the request; on failures that sent nothing, retry with backoff for up to `patience` seconds."""
    deadline = time.monotonic() + patience
    backoff, failures = BACKOFF_FIRST, 0
    while True:
        try:
            return await request()
        except (NetworkError, RetryAfter) as exc:
            wait = _wait(exc, backoff)
            if not not_sent(exc) or time.monotonic() + wait > deadline:
                raise
            failures += 1
            level = logging.WARNING if failures == 1 else logging.DEBUG
            log.log(level, "Telegram unreachable (%s); retrying in %.1f s", type(exc).__name__, wait)
            await asyncio.sleep(wait)
            backoff = min(backoff * 2, BACKOFF_MAX)
