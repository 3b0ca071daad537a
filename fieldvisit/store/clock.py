"""Hybrid logical clock (Kulkarni et al., 2014).

Village laptops often have wrong system clocks. A hybrid logical clock never runs
backwards, stays close to physical time when the clock is right, and orders an event
after every event it has seen, so a laptop set to 2019 cannot slip its edits behind
edits it already received. Timestamps are strings that sort in clock order.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

COUNTER_LIMIT = 100_000  # five digits in the string form


@dataclass(frozen=True, order=True, slots=True)
class Timestamp:
    millis: int
    counter: int
    node: str

    def __str__(self) -> str:
        return f"{self.millis:013d}-{self.counter:05d}-{self.node}"

    @classmethod
    def parse(cls, text: str) -> Timestamp:
        millis, counter, node = text.split("-", 2)
        return cls(int(millis), int(counter), node)


class HybridClock:
    def __init__(
        self,
        node: str,
        last: Timestamp | None = None,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self.node = node
        self._wall = wall
        self.last = last or Timestamp(0, 0, node)

    def _now_millis(self) -> int:
        return int(self._wall() * 1000)

    def tick(self) -> Timestamp:
        """A timestamp for a local change."""
        physical = self._now_millis()
        if physical > self.last.millis:
            return self._set(physical, 0)
        return self._set(self.last.millis, self.last.counter + 1)

    def catch_up(self, seen: Timestamp) -> None:
        """Never stamp behind ``seen`` (what another process sharing this store wrote)."""
        if (seen.millis, seen.counter) > (self.last.millis, self.last.counter):
            self.last = Timestamp(seen.millis, seen.counter, self.node)

    def observe(self, remote: Timestamp) -> Timestamp:
        """Advance past a timestamp received from another device."""
        physical = self._now_millis()
        millis = max(physical, self.last.millis, remote.millis)
        if millis == self.last.millis == remote.millis:
            counter = max(self.last.counter, remote.counter) + 1
        elif millis == self.last.millis:
            counter = self.last.counter + 1
        elif millis == remote.millis:
            counter = remote.counter + 1
        else:
            counter = 0
        return self._set(millis, counter)

    def _set(self, millis: int, counter: int) -> Timestamp:
        """Keep the string form sortable: a full counter carries into the next millisecond."""
        if counter >= COUNTER_LIMIT:
            millis, counter = millis + 1, 0
        self.last = Timestamp(millis, counter, self.node)
        return self.last
