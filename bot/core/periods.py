"""Digest periods: the one rule for when a daily or weekly digest's period starts and ends.

Periods are in UTC: a daily period is a calendar day (midnight to midnight), a weekly period an ISO
week (Monday midnight to the next Monday midnight). UTC because a subscription belongs to a
channel, not to a person with a time zone, and one rule for every server keeps a period's key the
same wherever the bot runs; the time of each digest is shown with Discord's timestamp markup, which
every member reads in their own time zone.

A channel's periods follow each other without gap or overlap: the next one starts where the last
one ended (``next_end`` of the start), even across a switch between daily and weekly, so the first
period after a switch may be shorter or longer than a calendar day or week."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

OFF = "off"
DAILY = "daily"
WEEKLY = "weekly"
MODES = (OFF, DAILY, WEEKLY)
DIGEST_MODES = (DAILY, WEEKLY)


def _at(value: str | datetime) -> datetime:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def period_start(mode: str, moment: str | datetime) -> datetime:
    """The start of the calendar period (of ``mode``) that holds ``moment``."""
    day = _at(moment).replace(hour=0, minute=0, second=0, microsecond=0)
    if mode == DAILY:
        return day
    if mode == WEEKLY:
        return day - timedelta(days=day.weekday())
    raise ValueError(f"no digest period for mode {mode!r}")


def next_end(mode: str, start: str | datetime) -> datetime:
    """The first period boundary of ``mode`` after ``start``: where the period that starts there ends."""
    step = timedelta(days=1 if mode == DAILY else 7)
    return period_start(mode, _at(start)) + step


def iso(moment: datetime) -> str:
    """A moment as the ISO 8601 text the tables hold (UTC, to the second)."""
    return _at(moment).isoformat(timespec="seconds")
