"""`/feeds add` refuses a host that spells an IP address in look-alike characters (``１２７.０.０.１``,
which the HTTP client would connect to as 127.0.0.1), and a private address while private addresses
are off, saying why; nothing is added (tests/bot/test_ssrf.py has the fetcher and the poller)."""

from __future__ import annotations

from tests.cogs.conftest import EPHEMERAL
from tests.cogs.test_feeds import answer, sub


async def test_feeds_add_refuses_a_look_alike_or_private_address(fake_discord, bot):
    owner = fake_discord.owner
    for url, reason in [
        (
            "http://１２７.０.０.１/feed",
            "the host '１２７.０.０.１' is the IP address 127.0.0.1 written in look-alike characters",
        ),
        (
            "http://169。254。169。254/latest",
            "the host '169。254。169。254' is the IP address 169.254.169.254 written in look-alike characters",
        ),
        (
            "http://𝟏𝟗𝟐.𝟏𝟔𝟖.𝟏.𝟏/rss",
            "the host '𝟏𝟗𝟐.𝟏𝟔𝟖.𝟏.𝟏' is the IP address 192.168.1.1 written in look-alike characters",
        ),
        # (the answer escapes Markdown, hence the backslashes)
        ("http://10.0.0.1/rss", r"10.0.0.1 is a private or local address (BRIEFBOT\_FEEDS\_ALLOW\_PRIVATE is off)"),
    ]:
        data = await answer(fake_discord, sub("add", url=url), owner)
        assert data["flags"] & EPHEMERAL
        assert data["content"] == f"I can't poll that address: {reason}."
    assert await bot.feeds.all() == []
