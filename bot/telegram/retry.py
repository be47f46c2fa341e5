"""Retry a Telegram request until Telegram is back, but never when it may already have been carried out.

Telegram has no idempotency key: a message sent twice shows twice. A failure that certainly had
no effect (a 5xx or 429 answer, a refused or dropped connection, a connect or pool timeout) is
retried. A read or write timeout is ambiguous: Telegram may have sent the message and only the
answer got lost. Then Telegram is asked for something harmless (`probe`): if it does not answer
either, it is down and did not send the message, so the request is retried; if it answers, it was
only slow, and the request is not repeated.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
import warnings
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
    if isinstance(exc, TimedOut):
        return isinstance(exc.__cause__, UNSENT_TIMEOUTS)
    return isinstance(exc, NetworkError) and not isinstance(exc, BadRequest)  # 5xx, refused or reset connections


def ambiguous(exc: Exception) -> bool:
    """Tell whether a failed request may have been carried out (a read or write timeout)."""
    return isinstance(exc, TimedOut) and not not_sent(exc)


def retry_seconds(exc: RetryAfter) -> float:
    """Return how long Telegram asked to wait (PTB 22 keeps it as a timedelta; its int view is deprecated)."""
    value: Any = getattr(exc, "_retry_after", None)
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


async def unreachable(probe: Callable[[], Awaitable[object]]) -> bool:
    """Tell whether Telegram fails to answer a harmless request too."""
    try:
        await probe()
    except RetryAfter:
        return False
    except NetworkError:  # includes timeouts
        return True
    return False


async def send_once(
    request: Callable[[], Awaitable[T]], patience: float = RETRY_FOR, probe: Callable[[], Awaitable[object]] | None = None
) -> T:
    """Run the request; retry it with backoff for up to `patience` seconds while it certainly was not sent."""
    deadline = time.monotonic() + patience
    backoff, failures = BACKOFF_FIRST, 0
    while True:
        try:
            return await request()
        except (NetworkError, RetryAfter) as exc:
            wait = retry_seconds(exc) if isinstance(exc, RetryAfter) else backoff
            retry = not_sent(exc) or (ambiguous(exc) and probe is not None and await unreachable(probe))
            if not retry or time.monotonic() + wait > deadline:
                raise
            failures += 1
            level = logging.WARNING if failures == 1 else logging.DEBUG
            log.log(level, "Telegram unreachable (%s); retrying in %.1f s", type(exc).__name__, wait)
            await asyncio.sleep(wait)
            backoff = min(backoff * 2, BACKOFF_MAX)
