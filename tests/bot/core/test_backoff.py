"""bot/core/backoff.py: the one doubling rule for waiting before a retry."""

from __future__ import annotations

import pytest

from bot.core.backoff import backoff


def test_one_backoff_rule_for_feeds_refusals_and_deliveries():
    """bot.core.backoff: base after the first failure, doubling, capped (and no overflow however many)."""
    from bot.core.backoff import backoff
    from bot.discord_app.delivery_worker import MAX_BACKOFF as DELIVERY_CAP
    from bot.library.feeds import MAX_BACKOFF

    assert [backoff(900, n, MAX_BACKOFF) for n in range(1, 9)] == [900, 1800, 3600, 7200, 14400, 28800, 57600, 86400]
    assert backoff(900, 0, MAX_BACKOFF) == 900 and backoff(900, 10**6, MAX_BACKOFF) == MAX_BACKOFF
    # A feed's failures wait twice its interval, then four times... (test_failures_back_off_then_disable_with_the_reason);
    # a refused entry one interval, then two... (test_a_failed_page_is_retried_with_backoff_...); a delivery
    # 2 s after its first failed attempt, then 4, 8... up to 10 minutes.
    assert [backoff(2.0, attempts + 1, DELIVERY_CAP) for attempts in (0, 1, 2, 8, 9, 40)] == [2, 4, 8, 512, 600, 600]


def test_first_failure_waits_the_base_then_doubles():
    assert [backoff(3, n, 1000) for n in (1, 2, 3, 4)] == [3.0, 6.0, 12.0, 24.0]
    assert isinstance(backoff(3, 1, 1000), float)


@pytest.mark.parametrize("attempt", [61, 62, 1024, 10**9, 10**100])
def test_huge_attempt_counts_neither_overflow_nor_pass_the_cap(attempt):
    assert backoff(1.0, attempt, 3600.0) == 3600.0


def test_the_cap_is_reached_exactly_and_never_passed():
    waits = [backoff(10, n, 100) for n in range(1, 10)]
    assert waits == [10.0, 20.0, 40.0, 80.0, 100.0, 100.0, 100.0, 100.0, 100.0]
    assert backoff(500, 1, 100) == 100.0  # a base above the cap is cut to it at once
