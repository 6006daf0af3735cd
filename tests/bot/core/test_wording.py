"""User-facing wording shared by the terminal and Discord: one phrasing each."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.core.models import Author, Feed
from bot.core.wording import (
    FEED_IN_CONFIG,
    about_author,
    author_names,
    byline,
    duration,
    feed_added,
    feed_lines,
    feed_removed,
    feed_state,
    plural,
)

URL = "https://example.com/feed.xml"
FEED = Feed(
    id=1, url=URL, origin="cli", interval=600.0, title=None, etag=None, last_modified=None, next_poll=0.0,
    failures=0, last_error=None, last_polled_at=None, last_ok_at=None, primed=False, disabled_at=None,
    disabled_reason=None, added_at="2026-01-01T00:00:00", items=3,
)  # fmt: skip
JANE = Author(name="Jane Doe", role="a fellow at the Example Institute")
JOHN = Author(name="John Roe")


@pytest.mark.parametrize(("seconds", "text"), [(600, "10 min"), (7200, "2 h"), (90, "90 s"), (5400, "90 min")])
def test_duration(seconds, text):
    assert duration(seconds) == text


def test_plural():
    assert [plural(n, "feed") for n in (0, 1, 2)] == ["0 feeds", "1 feed", "2 feeds"]


def test_feed_state():
    assert feed_state(FEED) == "not polled yet"
    assert feed_state(replace(FEED, last_ok_at="2026-01-02T03:04:05")) == "ok, last polled 2026-01-02 03:04 UTC"
    assert feed_state(replace(FEED, failures=1)) == "failing (1 failure in a row)"
    assert feed_state(replace(FEED, failures=4)) == "failing (4 failures in a row)"
    gone = replace(FEED, disabled_at="2026-01-02T03:04:05", disabled_reason="HTTP 410 Gone")
    assert feed_state(gone) == "DISABLED since 2026-01-02 03:04: HTTP 410 Gone"


def test_feed_added_says_what_adding_did():
    assert feed_added(FEED, new=True, previous=None) == f"Added {URL}, polled every 10 min."
    disabled = replace(FEED, disabled_at="2026-01-02T03:04:05", disabled_reason="HTTP 410 Gone")
    assert feed_added(FEED, new=False, previous=disabled) == f"Enabled {URL} again, polled every 10 min."
    assert feed_added(FEED, new=False, previous=FEED) == f"{URL} was already there; polled every 10 min."


def test_feed_removed_and_the_config_note():
    assert feed_removed(URL) == f"Removed {URL} (its articles stay in the library)."
    assert "BRIEFBOT_FEEDS" in FEED_IN_CONFIG and FEED_IN_CONFIG.endswith(".")


def test_feed_lines_with_origin_last_error_and_inert_outside_text():
    assert feed_lines(FEED) == [URL, "every 10 min, 3 items, not polled yet"]
    failing = replace(FEED, origin="config", failures=2, last_error="timed out")
    assert feed_lines(failing) == [
        f"{URL} (BRIEFBOT_FEEDS)",
        "every 10 min, 3 items, failing (2 failures in a row)",
        "last error: timed out",
    ]
    # ``inert`` applies to the outside text only: the address, the state, the error.
    assert feed_lines(failing, str.upper) == [
        f"{URL.upper()} (BRIEFBOT_FEEDS)",
        "every 10 min, 3 items, FAILING (2 FAILURES IN A ROW)",
        "last error: TIMED OUT",
    ]
    disabled = replace(failing, disabled_at="2026-01-02T03:04:05", disabled_reason="gone")
    assert len(feed_lines(disabled)) == 2  # a disabled feed's state says why: no separate error line


def test_byline_and_author_names():
    assert author_names([JANE, JOHN]) == "Jane Doe and John Roe"
    assert byline([JANE, JOHN], "The Example Times") == "By Jane Doe and John Roe · The Example Times"
    assert byline([JANE], None) == "By Jane Doe"
    assert byline([], "The Example Times") == "The Example Times"
    assert byline([], None) is None


def test_about_author():
    assert about_author(JANE, named=True) == "Jane Doe, a fellow at the Example Institute"
    assert about_author(JANE, named=False) == "a fellow at the Example Institute"
    assert about_author(replace(JANE, bio="Jane Doe is a fellow."), named=True) == "Jane Doe is a fellow."
    assert about_author(JOHN, named=True) is None


def test_speaker_line_names_the_speaker_with_the_description_or_says_unattributed():
    from bot.core.models import Quote
    from bot.core.wording import speaker_line

    assert speaker_line(Quote("We will", "Daniel Russel", "", "a senior U.S. diplomat")) == (
        "Daniel Russel, a senior U.S. diplomat"
    )
    assert speaker_line(Quote("We will", "Daniel Russel", "")) == "Daniel Russel"
    assert speaker_line(Quote("We will", None, "")) == "unattributed"


def test_people_credited_in_another_role_follow_the_writers():
    from bot.core.models import Author

    ann, bo, cy = (
        Author("Ann Lee", credit="editor"),
        Author("Bo Roe", credit="translator"),
        Author("Cy Poe", credit="editor"),
    )
    assert author_names([ann, JANE, bo, JOHN, cy]) == (
        "Jane Doe and John Roe · edited by Ann Lee and Cy Poe · translated by Bo Roe"
    )
    assert byline([JANE, bo], "The Example Times") == "By Jane Doe · translated by Bo Roe · The Example Times"
    assert byline([ann], None) == "Edited by Ann Lee"  # no writer named: no "By"
    assert ann.to_json() == {"name": "Ann Lee", "role": "editor", "bio": None}
