from __future__ import annotations

from datetime import datetime

from bot.storage.clock import iso_date, utcnow


def test_now_is_utc_to_the_second():
    parsed = datetime.fromisoformat(utcnow())
    assert parsed.utcoffset().total_seconds() == 0 and parsed.microsecond == 0


def test_published_dates_in_common_forms_become_utc_iso():
    assert iso_date("2024-06-01") == "2024-06-01T00:00:00+00:00"
    assert iso_date("2024-06-01T10:00:00Z") == "2024-06-01T10:00:00+00:00"
    assert iso_date("2024-06-01T12:00:00+02:00") == "2024-06-01T10:00:00+00:00"
    assert iso_date("June 1, 2024") == iso_date("1 Jun 2024") == iso_date("2024/06/01") == "2024-06-01T00:00:00+00:00"


def test_an_unreadable_date_is_none():
    assert iso_date(None) is None and iso_date("") is None and iso_date("last Tuesday") is None
