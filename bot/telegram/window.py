"""Keep at most `limit` requests in any `period` seconds, as the receiving server counts them.

A request reaches the server at some moment between when it was sent and when its answer came
back. So a request takes a place in the window when it is sent and keeps it until `period`
seconds after its answer: then no `period`-long stretch of the server's clock can see more than
`limit` of them, however much the network delays some and not others. (A leaky bucket, like
aiolimiter's, lets a whole burst through on top of its steady rate; a window counted at sending
time is fooled by network jitter.)
"""
from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from typing import AsyncIterator, Callable


class SlidingWindow:
    """Admit at most `limit` requests in any `period` seconds; waiting callers go in arrival order."""

    def __init__(self, limit: int, period: float, clock: Callable[[], float] = time.monotonic) -> None:
        """Allow `limit` requests per `period` seconds, timed by `clock`."""
        self.limit, self.period, self._clock = limit, period, clock
        self._answered: deque[float] = deque()  # when answers came back, oldest first
        self._in_flight = 0
        self._line = asyncio.Lock()  # FIFO: waiters get their turn in arrival order
        self._answer = asyncio.Event()

    def _expire(self) -> None:
        now = self._clock()
        while self._answered and now - self._answered[0] >= self.period:
            self._answered.popleft()

    def fits(self) -> bool:
        """Tell whether one more request may be sent now."""
        self._expire()
        return self._in_flight + len(self._answered) < self.limit

    async def _enter(self) -> None:
        async with self._line:
            while not self.fits():
                self._answer.clear()
                timeout = self._answered[0] + self.period - self._clock() if self._answered else None
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(self._answer.wait(), timeout)
            self._in_flight += 1

    def _leave(self) -> None:
        self._in_flight -= 1
        self._answered.append(self._clock())
        self._answer.set()

    @contextlib.asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Wait for a place, hold it while the block sends the request, keep it `period` seconds more."""
        await self._enter()
        try:
            yield
        finally:
            self._leave()

    @property
    def idle(self) -> bool:
        """Tell whether nothing is in flight, waiting, or still inside the window."""
        self._expire()
        return not self._line.locked() and not self._in_flight and not self._answered
