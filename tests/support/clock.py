"""A clock a test moves by hand: give it to whatever takes a ``clock`` (unix time)."""

from __future__ import annotations

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
