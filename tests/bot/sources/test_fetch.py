"""The fetcher's refusals: schemes, private and loopback addresses (literal, by name, after DNS)."""

from __future__ import annotations

import socket

import pytest

from bot.sources import fetch
from bot.sources.fetch import Fetcher, FetchError
from bot.sources.urls import check_url, public_address
from tests.support.feedserver import Route


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.215.14", True),
        ("2606:4700::6810:84e5", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("100.64.0.1", False),  # carrier-grade NAT
        ("169.254.169.254", False),  # cloud metadata, link-local
        ("0.0.0.0", False),
        ("224.0.0.251", False),  # multicast
        ("240.0.0.1", False),  # reserved
        ("::1", False),
        ("fe80::1%eth0", False),
        ("fc00::1", False),
        ("::ffff:127.0.0.1", False),  # IPv4-mapped loopback
        ("ff02::1", False),
        ("2002:7f00:1::1", False),  # 6to4 carrying 127.0.0.1
        ("2002:a9fe:a9fe::1", False),  # 6to4 carrying 169.254.169.254
        ("2002:5db8:d70e::1", True),  # 6to4 carrying a public address
    ],
)
def test_public_address(address, public):
    assert public_address(address) is public


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.com/feed", "only http and https addresses are fetched, not 'ftp'"),
        ("file:///etc/passwd", "only http and https addresses are fetched, not 'file'"),
        ("javascript:alert(1)", "only http and https addresses are fetched, not 'javascript'"),
        ("/feed.xml", "only http and https addresses are fetched, not 'a relative address'"),
        ("https:///feed.xml", "the address has no host"),
        ("http://example.com:99999/", "not a valid address (Port out of range 0-65535)"),
    ],
)
def test_check_url_refuses(url, reason):
    with pytest.raises(ValueError) as exc:
        check_url(url)
    assert str(exc.value) == reason


async def test_private_addresses_are_refused_unless_allowed(feed_server):
    url = feed_server.set("/feed.xml", Route(b"<rss/>", "application/rss+xml"))
    port = url.split(":")[2].split("/")[0]
    fetcher = Fetcher()  # BRIEFBOT_FEEDS_ALLOW_PRIVATE off
    try:
        with pytest.raises(FetchError, match=r"^refused: 127\.0\.0\.1 is a private or local address$"):
            await fetcher.get(url, max_bytes=1000)
        with pytest.raises(
            FetchError, match=r"^refused: localhost resolves to a private or local address \(127\.0\.0\.1"
        ):
            await fetcher.get(f"http://localhost:{port}/feed.xml", max_bytes=1000)
        with pytest.raises(FetchError, match=r"^refused: ::1 is a private or local address$"):
            await fetcher.get(f"http://[::1]:{port}/feed.xml", max_bytes=1000)
        with pytest.raises(FetchError, match="only http and https"):
            await fetcher.get("gopher://127.0.0.1/", max_bytes=1000)
    finally:
        await fetcher.close()
    assert feed_server.seen == []  # nothing reached the server
    allowed = Fetcher(allow_private=True)
    try:
        assert (await allowed.get(url, max_bytes=1000)).body == b"<rss/>"
    finally:
        await allowed.close()


async def test_a_name_that_resolves_to_a_private_address_at_connection_time_is_refused(feed_server, monkeypatch):
    """DNS rebinding: the name is checked by the resolver whose answer the connection uses."""
    url = feed_server.set("/feed.xml", Route(b"<rss/>", "application/rss+xml"))
    port = int(url.split(":")[2].split("/")[0])

    async def rebinding(self, host, port=0, family=socket.AF_INET):
        return [{"hostname": host, "host": "127.0.0.1", "port": port, "family": family, "proto": 0, "flags": 0}]

    monkeypatch.setattr(fetch.aiohttp.ThreadedResolver, "resolve", rebinding)
    fetcher = Fetcher()
    try:
        with pytest.raises(FetchError, match=r"^refused: news\.example resolves to a private or local address"):
            await fetcher.get(f"http://news.example:{port}/feed.xml", max_bytes=1000)
    finally:
        await fetcher.close()
    assert feed_server.seen == []
