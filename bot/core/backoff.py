"""The one doubling rule for waiting before a retry, shared by feeds, refused pages and deliveries."""

from __future__ import annotations


def backoff(base: float, attempt: int, cap: float) -> float:
    """Seconds to wait after failure number ``attempt`` (1 for the first) in a row: ``base``, then
    2 ``base``, 4 ``base``, ... never more than ``cap``."""
    return float(min(base * 2.0 ** max(0, min(attempt - 1, 60)), cap))
