"""What the log may not hold, whatever logged it: URL credentials and secret query values (feed
URLs, entry links, the database driver's statements at DEBUG), Discord interaction and webhook
tokens, and raw control characters from feed data. Everything goes through the handler the bot
installs itself (bot.logs.setup_logging), at DEBUG, as an operator's terminal would show it.
"""

from __future__ import annotations

import io
import logging
import sys

import pytest

from bot.library.feeds import FeedPoller
from bot.library.service import Library
from bot.logs import setup_logging
from bot.sources.fetch import Fetcher
from bot.storage.feeds import FeedRepository
from tests.support.feedserver import Item, Route

FEED_PASSWORD = "hunter2-feed-password"
FEED_TOKEN = "feedtoken-0123456789abcdef"
LINK_KEY = "linkkey-fedcba9876543210"
INTERACTION = "aW50ZXJhY3Rpb24:Zm9vYmFyLXRoZS1pbnRlcmFjdGlvbi10b2tlbg"
SECRETS = [FEED_PASSWORD, FEED_TOKEN, LINK_KEY, INTERACTION]


@pytest.fixture
def log_text(monkeypatch):
    """A function giving everything written so far by the handler the bot installs (DEBUG level)."""
    stream = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stream)
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    setup_logging("DEBUG")  # no Discord token: the commands that never log in run like this
    try:
        yield stream.getvalue
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
        logging.getLogger("discord.gateway").setLevel(logging.NOTSET)


def assert_no_secret(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text
    assert "\x1b" not in text


@pytest.mark.parametrize(
    ("logger", "message", "args", "shown"),
    [
        (
            "bot.library.feeds",
            "feed %s: %s (failure %d; next try in %.0f s)",
            (f"https://reader:{FEED_PASSWORD}@news.example/rss", "HTTP 500", 1, 1800),
            "feed https://[redacted]@news.example/rss: HTTP 500 (failure 1; next try in 1800 s)",
        ),
        (
            "bot.library.feeds",
            "feed %s: %d new articles",
            (f"https://news.example/rss?page=2&access_token={FEED_TOKEN}&lang=en", 3),
            "feed https://news.example/rss?page=2&access_token=[redacted]&lang=en: 3 new articles",
        ),
        (
            "bot.library.feeds",
            "feed entry %s: using the feed's own text (%s)",
            (
                f"https://cdn.example/a.html?X-Amz-Signature={LINK_KEY}&X-Amz-Credential=AKIA{LINK_KEY}",
                "page: HTTP 403",
            ),
            "feed entry https://cdn.example/a.html?X-Amz-Signature=[redacted]&X-Amz-Credential=[redacted]: "
            "using the feed's own text (page: HTTP 403)",
        ),
        (
            "aiosqlite",
            "executing %s",
            (("INSERT INTO feeds (url) VALUES (?)", (f"https://bot:{FEED_PASSWORD}@feeds.example/x?key={LINK_KEY}",)),),
            "executing ('INSERT INTO feeds (url) VALUES (?)', ('https://[redacted]@feeds.example/x?key=[redacted]',))",
        ),
        (
            "discord.http",
            "%s %s with %s has returned %s",
            ("POST", f"https://discord.com/api/v10/interactions/1234567890/{INTERACTION}/callback", None, 204),
            "POST https://discord.com/api/v10/interactions/1234567890/[redacted]/callback with None has returned 204",
        ),
        (
            "discord.webhook.async_",
            "Webhook ID %s with %s %s has returned status code %s",
            (987, "PATCH", f"https://discord.com/api/v10/webhooks/987/{INTERACTION}/messages/@original", 200),
            "Webhook ID 987 with PATCH https://discord.com/api/v10/webhooks/987/[redacted]/messages/@original "
            "has returned status code 200",
        ),
        (
            "discord.gateway",
            "For Shard ID %s: WebSocket Event: %s",
            (None, {"t": "INTERACTION_CREATE", "d": {"id": "55", "token": INTERACTION, "type": 2}}),
            "For Shard ID None: WebSocket Event: {'t': 'INTERACTION_CREATE', 'd': {'id': '55', 'token': '[redacted]', "
            "'type': 2}}",
        ),
        (
            "bot.library.feeds",
            "feed %s: skipped %s: %s",
            ("https://news.example/rss", "Evil \x1b[2J\x1b[31mtitle\x1b]0;pwned\x07", "no link"),
            "feed https://news.example/rss: skipped Evil \\x1b[2J\\x1b[31mtitle\\x1b]0;pwned\\x07: no link",
        ),
        (
            "some.library",
            "%s",
            ("one line\n2026-11-27 10:00:00,000 CRITICAL bot: forged\rand \u202eevil\x9b",),
            "one line\\x0a2026-11-27 10:00:00,000 CRITICAL bot: forged\\x0dand \\u202eevil\\x9b",
        ),
    ],
    ids=[
        "user-info",
        "query token",
        "signed link",
        "aiosqlite arguments",
        "interaction callback",
        "webhook",
        "gateway payload",
        "ANSI escapes",
        "forged line",
    ],
)
def test_every_logger_is_redacted_and_escaped(log_text, logger, message, args, shown):
    logging.getLogger(logger).warning(message, *args)
    [line] = log_text().splitlines()
    assert line.endswith(f" {logger}: {shown}")
    assert_no_secret(line)


def test_tracebacks_and_formatted_messages_are_redacted_too(log_text):
    log = logging.getLogger("bot.test")
    log.error(f"fetching https://u:{FEED_PASSWORD}@news.example/rss?token={FEED_TOKEN}")
    try:
        raise OSError(f"cannot reach\x1b[2J https://u:{FEED_PASSWORD}@news.example/rss?sig={LINK_KEY}")
    except OSError:
        log.exception("failed")
    text = log_text()
    assert_no_secret(text)
    assert "fetching https://[redacted]@news.example/rss?token=[redacted]" in text
    assert "OSError: cannot reach\\x1b[2J https://[redacted]@news.example/rss?sig=[redacted]\n" in text
    assert "Traceback (most recent call last):\n" in text  # a traceback keeps its lines


async def test_the_feed_poller_at_debug_never_logs_credentials_or_escapes(log_text, db, articles_dir, feed_server):
    """A feed URL with user-info and a token, entry links with keys, a hostile title: polled for real,
    with the database driver logging its statements (arguments included) at DEBUG."""
    port = feed_server.base.rsplit(":", 1)[1]
    secret_feed = f"http://reader:{FEED_PASSWORD}@127.0.0.1:{port}/feed.xml?token={FEED_TOKEN}"
    broken_feed = f"http://reader:{FEED_PASSWORD}@127.0.0.1:{port}/gone.xml?api_key={FEED_TOKEN}"
    feed_server.set("/gone.xml", Route(status=500))
    feed_server.set("/missing", Route(status=404))
    feed_server.rss(
        "/feed.xml",
        [
            Item("Signed link", f"{feed_server.base}/missing?id=1&signature={LINK_KEY}", guid="signed"),
            Item("\x1b[2J\x1b[31mEvil title\x1b[0m", f"{feed_server.base}/missing?\x1b[5mblink&key={LINK_KEY}"),
        ],
    )
    library = Library(db, articles_dir)
    await library.sync()
    fetcher = Fetcher(allow_private=True, timeout=3.0)
    repo = FeedRepository(db)
    poller = FeedPoller(repo, library, fetcher, clock=lambda: 1_000_000.0, max_feed_bytes=200_000)
    try:
        await repo.add(secret_feed, 900)
        await repo.add(broken_feed, 900)
        results = {r.url: r for r in await poller.poll_due()}
    finally:
        await fetcher.close()
    assert results[broken_feed].error == "HTTP 500 Internal Server Error"
    assert len(results[secret_feed].skipped) == 2
    assert {s.path for s in feed_server.seen} == {"/feed.xml", "/gone.xml", "/missing"}  # all really fetched
    text = log_text()
    assert_no_secret(text)
    driver = [line for line in text.splitlines() if " aiosqlite: " in line and "INSERT INTO feeds" in line]
    assert driver and "http://[redacted]@127.0.0.1:" in driver[0]  # its statements, arguments and all
    assert "feed http://[redacted]@127.0.0.1:" in text and "/gone.xml?api_key=[redacted]: HTTP 500" in text
    assert "/missing?\\x1b[5mblink&key=[redacted]: page: HTTP 404" in text


def test_the_voice_warnings_are_dropped_and_no_other(log_text):
    """discord.py warns at every start that voice is not supported (PyNaCl, davey missing): the
    bot has no voice, so those two records, and only those, are not written."""
    import discord
    from discord.voice_client import VoiceClient

    with pytest.MonkeyPatch.context() as m:
        m.setattr(VoiceClient, "warn_nacl", True)
        m.setattr(VoiceClient, "warn_dave", True)
        discord.Client(intents=discord.Intents.none())  # logs both, as at a start
    logging.getLogger("discord.client").warning("PyNaCl is not installed, and something else")
    logging.getLogger("other").warning("PyNaCl is not installed, voice will NOT be supported")
    text = log_text()
    assert "davey" not in text
    assert "discord.client: PyNaCl is not installed, voice will NOT be supported" not in text
    assert "discord.client: PyNaCl is not installed, and something else" in text
    assert "other: PyNaCl is not installed, voice will NOT be supported" in text
