from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.core.periods import DAILY, WEEKLY, iso, next_end, period_start


def test_a_daily_period_is_the_utc_calendar_day():
    assert iso(period_start(DAILY, "2026-11-27T23:59:59+00:00")) == "2026-11-27T00:00:00+00:00"
    # 01:00 in Paris is still the 26th in UTC.
    assert iso(period_start(DAILY, "2026-11-27T01:00:00+02:00")) == "2026-11-26T00:00:00+00:00"
    assert iso(next_end(DAILY, "2026-11-27T00:00:00+00:00")) == "2026-11-28T00:00:00+00:00"


def test_a_weekly_period_is_the_iso_week_from_monday():
    # 27 November 2026 is a Friday; its ISO week began on Monday 23 November.
    assert iso(period_start(WEEKLY, "2026-11-27T12:00:00+00:00")) == "2026-11-23T00:00:00+00:00"
    assert iso(period_start(WEEKLY, "2026-11-23T00:00:00+00:00")) == "2026-11-23T00:00:00+00:00"
    assert iso(period_start(WEEKLY, "2026-11-29T23:59:59+00:00")) == "2026-11-23T00:00:00+00:00"
    assert iso(next_end(WEEKLY, "2026-11-23T00:00:00+00:00")) == "2026-11-30T00:00:00+00:00"


def test_after_a_switch_the_period_runs_to_the_next_boundary_of_the_new_mode():
    # A weekly channel switched to daily on a Thursday: its open period (since Monday) closes day by
    # day, the first ending on Tuesday; daily to weekly on a Tuesday: the open day runs to Monday.
    assert iso(next_end(DAILY, "2026-11-23T00:00:00+00:00")) == "2026-11-24T00:00:00+00:00"
    assert iso(next_end(WEEKLY, "2026-11-24T00:00:00+00:00")) == "2026-11-30T00:00:00+00:00"


def test_naive_times_are_utc_and_there_is_no_period_when_off():
    assert period_start(DAILY, datetime(2026, 1, 1, 5)) == datetime(2026, 1, 1, tzinfo=UTC)
    with pytest.raises(ValueError):
        period_start("off", "2026-01-01T00:00:00+00:00")
