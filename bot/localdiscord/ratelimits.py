"""Discord's ordinary per-route rate limits, as the fake sends them on every response.

Discord answers every REST call with ``X-RateLimit-Limit``, ``-Remaining``, ``-Reset``,
``-Reset-After`` and ``-Bucket`` headers; a bucket is per route and per major parameter (channel,
guild, interaction token) and refills all at once when its window resets. discord.py reads these
headers: it lets up to ``Remaining`` requests run at once and, when a bucket is used up, waits for
the reset before sending the next request (its "pre-emptive" wait), so a bot that respects them
never sees a 429. Without the headers none of that code runs.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from .faults import bucket_hash

# Route parameters that make a separate bucket, as Discord's major parameters do.
MAJOR_PARAMETERS = ("channel_id", "guild_id", "interaction_token")


@dataclass
class FixedWindow:
    """``limit`` requests per window of ``per`` seconds; the window starts at its first request
    and every slot comes back when it ends (Discord's buckets reset whole, not one by one)."""

    limit: int
    per: float
    used: int = 0
    resets_at: float | None = None

    def hit(self, now: float) -> float | None:
        """Count a request; return ``retry_after`` seconds instead if the bucket is used up."""
        if self.resets_at is None or now >= self.resets_at:
            self.used, self.resets_at = 0, now + self.per
        if self.used >= self.limit:
            return self.resets_at - now
        self.used += 1
        return None

    def headers(self, now: float, bucket: str) -> dict[str, str]:
        reset_after = max((self.resets_at or now) - now, 0.0)
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(max(self.limit - self.used, 0)),
            "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
            "X-RateLimit-Reset-After": f"{reset_after:.3f}",
            "X-RateLimit-Bucket": bucket,
        }


@dataclass
class DefaultRateLimits:
    """One :class:`FixedWindow` per (method, route template, major parameters)."""

    limit: int
    per: float
    windows: dict[tuple[str, str, tuple[str | None, ...]], FixedWindow] = field(default_factory=dict)
    exhausted: int = 0  # responses that told the bot a bucket was used up (Remaining: 0)

    def window(self, method: str, template: str, params: dict[str, str]) -> tuple[FixedWindow, str]:
        key = (method, template, tuple(params.get(p) for p in MAJOR_PARAMETERS))
        if key not in self.windows:
            self.windows[key] = FixedWindow(self.limit, self.per)
        return self.windows[key], bucket_hash(method, template)
