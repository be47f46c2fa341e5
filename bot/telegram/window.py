"""Count events in a sliding time window: at most `limit` in any `period` seconds, callers in arrival order."""
from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from typing import AsyncIterator, Callable


class SlidingWindow:
    """Let at most `limit` events happen in any `period` seconds (unlike a leaky bucket, which lets
    a full burst through on top of its steady rate)."""

    def __init__(self, limit: int, period: float, clock: Callable[[], float] = time.monotonic) -> None:
        """Allow `limit` events per `period` seconds, timed by `clock`."""
        self.limit, self.period, self._clock = limit, period, clock
        self._times: deque[float] = deque()
        self._line = asyncio.Lock()  # FIFO: waiters get their turn in arrival order

    def delay(self) -> float:
        """Return how long until one more event fits (0.0 when it fits now)."""
        now = self._clock()
        while self._times and now - self._times[0] >= self.period:
            self._times.popleft()
        return 0.0 if len(self._times) < self.limit else self._times[0] + self.period - now

    def record(self) -> None:
        """Count one event now."""
        self._times.append(self._clock())

    @contextlib.asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        """Wait in line until one more event fits; record it inside the block when it happens."""
        async with self._line:
            while (wait := self.delay()) > 0:
                await asyncio.sleep(wait)
            yield

    async def acquire(self) -> None:
        """Wait until one more event fits and count it."""
        async with self.turn():
            self.record()

    @property
    def idle(self) -> bool:
        """Tell whether nobody waits and no event is still inside the window."""
        self.delay()  # drops the events that left the window
        return not self._line.locked() and not self._times
