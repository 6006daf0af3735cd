"""Clocks for tests: one a test moves by hand, and one running faster than real time (the same in
every process given the same spec). Give either to whatever takes a ``clock`` (unix time)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime


class FakeClock:
    def __init__(self, start: str = "2026-11-27T10:00:00+00:00") -> None:
        self.now = datetime.fromisoformat(start).timestamp()

    def __call__(self) -> float:
        return self.now

    def set(self, moment: str) -> None:
        self.now = datetime.fromisoformat(moment).timestamp()

    def advance(self, seconds: float) -> None:
        self.now += seconds


def fast_clock(spec: str) -> Callable[[], float]:
    """``"B,R,S"``: unix time B at real time R, running S times faster than real time."""
    base, real, speed = (float(x) for x in spec.split(","))
    return lambda: base + (time.time() - real) * speed
