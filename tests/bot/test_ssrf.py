"""SSRF through other spellings of IP addresses: hosts such as ``１２７.０.０.１`` or ``127。0。0。1``,
which the HTTP client (yarl's IDNA/UTS 46 mapping) turns into the literal 127.0.0.1 and connects
to without resolving anything. With private addresses off, no request reaches a local server
whatever the spelling: not from the fetcher, not through a redirect, not from a feed's entry link
through the poller; the connector also refuses private addresses when its socket is made, for a
literal that no earlier check saw. Where feed URLs are accepted (settings, `briefbot feeds add`,
`/feeds add`) such a host is refused with a message that says what it is.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable

import pytest
import yarl
from aiohttp import web

from bot.config import ConfigError, load_settings
from bot.library.feeds import FeedPoller
from bot.library.service import Library
from bot.sources import fetch
from bot.sources.fetch import Fetcher, FetchError
from bot.sources.urls import check_url
from bot.storage.feeds import FeedRepository
from tests.bot.library.test_feeds import FERRY, HARBOUR
from tests.support.feedserver import FeedServer, Item, Route


def _digits(table: str) -> Callable[[str], str]:
    return lambda ip: "".join(table[int(c)] if c.isdigit() else c for c in ip)


def _block(start: int) -> Callable[[str], str]:
    return _digits("".join(chr(start + d) for d in range(10)))


def _mixed(ip: str) -> str:
    """Each character from a different table in turn, the dots too."""
    tables = [_block(0xFF10), _digits("⁰¹²³⁴⁵⁶⁷⁸⁹"), _digits("⓪①②③④⑤⑥⑦⑧⑨"), _block(0x1D7CE), str]
    dots = ["。", "．", "｡", "."]
    out, d = [], 0
    for i, c in enumerate(ip):
        if c == ".":
            out.append(dots[d % len(dots)])
            d += 1
        else:
            out.append(tables[i % len(tables)](c))
    return "".join(out)


SPELLINGS: dict[str, Callable[[str], str]] = {
    "fullwidth digits": _block(0xFF10),
    "ideographic full stops": lambda ip: ip.replace(".", "。"),
    "fullwidth full stops": lambda ip: ip.replace(".", "．"),
    "halfwidth ideographic full stops": lambda ip: ip.replace(".", "｡"),
    "superscript digits": _digits("⁰¹²³⁴⁵⁶⁷⁸⁹"),
    "subscript digits": _digits("₀₁₂₃₄₅₆₇₈₉"),
    "circled digits": _digits("⓪①②③④⑤⑥⑦⑧⑨"),
    "mathematical bold digits": _block(0x1D7CE),
    "mathematical double-struck digits": _block(0x1D7D8),
    "mathematical monospace digits": _block(0x1D7F6),
    "fullwidth with a trailing ideographic full stop": lambda ip: _block(0xFF10)(ip) + "。",
    "mixed": _mixed,
}
TARGETS = ["127.0.0.1", "10.0.0.1", "192.168.1.1", "169.254.169.254"]
CASES = [
    pytest.param(target, spell(target), id=f"{target} {name}")
    for target in TARGETS
    for name, spell in SPELLINGS.items()
]


def test_the_spellings_are_what_the_http_client_connects_to():
    """The premise, checked on the installed yarl: each spelling is read as the ASCII literal."""
    for target in TARGETS:
        for spell in SPELLINGS.values():
            assert yarl.URL(f"http://{spell(target)}:8080/").host.rstrip(".") == target


@pytest.mark.parametrize(("target", "host"), CASES)
def test_check_url_refuses_an_address_in_look_alike_characters(target, host):
    for allow_private in (True, False):
        with pytest.raises(ValueError) as exc:
            check_url(f"http://{host}:8080/feed.xml", allow_private=allow_private)
        assert (
            str(exc.value) == f"the host {host.lower()!r} is the IP address {target} written in look-alike characters"
        )


def test_check_url_refuses_private_literals_when_private_addresses_are_off():
    for url, shown in [
        ("http://127.0.0.1/feed", "127.0.0.1"),
        ("http://[::1]:81/feed", "::1"),
        ("http://[::ffff:127.0.0.1]/feed", "::ffff:7f00:1"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
        ("http://0x7f.0.0.1/feed", "127.0.0.1"),
        ("http://127.1/feed", "127.0.0.1"),
    ]:
        with pytest.raises(ValueError) as exc:
            check_url(url, allow_private=False)
        assert str(exc.value).startswith(f"{shown} is a private or local address")
        assert check_url(url, allow_private=True) == url
    assert check_url("https://news.example/feed", allow_private=False) == "https://news.example/feed"
    with pytest.raises(ValueError, match="not a valid address"):  # fullwidth inside brackets: yarl refuses it
        check_url("http://[：：１]/feed")


def _port(server: FeedServer) -> int:
    return int(server.base.rsplit(":", 1)[1])


@pytest.mark.parametrize(("target", "host"), CASES)
async def test_no_request_reaches_a_private_address_whatever_the_spelling(feed_server, target, host):
    feed_server.set("/internal", Route(b"<h1>Internal admin</h1>"))
    url = f"http://{host}:{_port(feed_server)}/internal"
    fetcher = Fetcher(timeout=3.0)  # BRIEFBOT_FEEDS_ALLOW_PRIVATE off
    try:
        with pytest.raises(FetchError) as exc:
            await fetcher.get(url, max_bytes=10_000)
    finally:
        await fetcher.close()
    assert str(exc.value) == f"the host {host.lower()!r} is the IP address {target} written in look-alike characters"
    assert feed_server.seen == []


@pytest.mark.parametrize(
    ("host", "error"),
    [
        ("[::ffff:127.0.0.1]", "refused: ::ffff:7f00:1 is a private or local address"),
        ("[::ffff:7f00:1]", "refused: ::ffff:7f00:1 is a private or local address"),
        ("[0:0:0:0:0:ffff:127.0.0.1]", "refused: ::ffff:7f00:1 is a private or local address"),
        ("127.0.0.1.", "refused: 127.0.0.1 is a private or local address"),
        ("[::ffff:１２７.0.0.1]", "not a valid address"),
        ("[：：ｆｆｆｆ：127.0.0.1]", "not a valid address"),
    ],
)
async def test_ipv6_and_other_forms_of_the_loopback_address_are_refused(feed_server, host, error):
    feed_server.set("/internal", Route(b"<h1>Internal admin</h1>"))
    fetcher = Fetcher(timeout=3.0)
    try:
        with pytest.raises(FetchError) as exc:
            await fetcher.get(f"http://{host}:{_port(feed_server)}/internal", max_bytes=10_000)
    finally:
        await fetcher.close()
    assert str(exc.value).startswith(error)
    assert feed_server.seen == []


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1", "[::ffff:127.0.0.1]", "１２７.０.０.１", "127。0。0。1", "𝟏𝟐𝟕．𝟎．𝟎．𝟏"],
)
async def test_the_connection_itself_refuses_a_private_literal(feed_server, monkeypatch, host):
    """Defence in depth: with the checks before the request switched off, the connector still refuses
    the address when it makes the socket (a literal never goes through the resolver)."""
    feed_server.set("/internal", Route(b"<h1>Internal admin</h1>"))
    monkeypatch.setattr(Fetcher, "_check", lambda self, url: None)
    url = f"http://{host}:{_port(feed_server)}/internal"
    fetcher = Fetcher(timeout=3.0)
    try:
        with pytest.raises(FetchError, match=r"^refused: (127\.0\.0\.1|::ffff:7f00:1) is a private or local address$"):
            await fetcher.get(url, max_bytes=10_000)
    finally:
        await fetcher.close()
    assert feed_server.seen == []
    allowed = Fetcher(allow_private=True, timeout=3.0)  # the control: with private addresses on, it connects
    try:
        assert (await allowed.get(url, max_bytes=10_000)).body == b"<h1>Internal admin</h1>"
    finally:
        await allowed.close()
    assert len(feed_server.seen) == 1


# End to end: a feed on a "public" host whose entries link, or redirect, to internal addresses.
# Only 127.0.0.0/8 is reachable in the tests, so the public web is played by a server on 127.0.0.2,
# and that one address is taken for public; 127.0.0.1, the internal server, stays private.
PUBLIC = "127.0.0.2"


async def _serve(host: str) -> AsyncIterator[FeedServer]:
    server = FeedServer()
    app = web.Application()
    app.router.add_route("GET", "/{tail:.*}", server._handle)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, host, 0)
    await site.start()
    server.base = f"http://{host}:{site._server.sockets[0].getsockname()[1]}"  # type: ignore[union-attr]
    try:
        yield server
    finally:
        await runner.cleanup()


@pytest.fixture
async def public_server(monkeypatch) -> AsyncIterator[FeedServer]:
    real = fetch.public_address
    monkeypatch.setattr(fetch, "public_address", lambda address: address == PUBLIC or real(address))
    async for server in _serve(PUBLIC):
        yield server


@pytest.fixture
async def poller(db, articles_dir) -> AsyncIterator[FeedPoller]:
    library = Library(db, articles_dir)
    await library.sync()
    fetcher = Fetcher(timeout=3.0)  # private addresses off, as by default
    poller = FeedPoller(FeedRepository(db), library, fetcher, clock=lambda: 1_000_000.0, max_feed_bytes=200_000)
    try:
        yield poller
    finally:
        await fetcher.close()


async def test_feed_entries_and_redirects_to_internal_hosts_never_become_articles(
    poller, public_server, feed_server, db
):
    internal = feed_server  # on 127.0.0.1
    internal.page("/admin", "Internal Admin Console", HARBOUR)
    port = _port(internal)
    await poller.library.ingest.subscriptions.subscribe(guild_id=1, channel_id=10, keywords=[], user_id=5)
    public_server.page("/ferry", "Night Ferry Added", FERRY)
    first = public_server.rss("/feed.xml", [Item("Night Ferry Added", public_server.url("/ferry"), guid="ferry")])
    await poller.repo.add(first, 900)
    [result] = await poller.poll_due()  # the back catalogue: primes the feed
    assert result.error is None and len(result.added) == 1
    # The feed's next edition: an entry per spelling, and one whose public link redirects inside.
    items = [
        Item(f"Spelt {name}", f"http://{spell('127.0.0.1')}:{port}/admin", guid=f"spelt-{n}")
        for n, (name, spell) in enumerate(SPELLINGS.items())
    ]
    public_server.set("/moved", Route(status=302, location=f"http://１２７。０．０．１:{port}/admin"))
    public_server.set("/moved-ascii", Route(status=301, location=f"http://127.0.0.1:{port}/admin"))
    items += [
        Item("Redirected", public_server.url("/moved"), guid="moved"),
        Item("Redirected plainly", public_server.url("/moved-ascii"), guid="moved-ascii"),
    ]
    public_server.rss("/feed.xml", items)
    await db.execute("UPDATE feeds SET next_poll = 0")
    [result] = await poller.poll_due()
    assert result.added == [] and result.queued == 0
    # Every new entry failed and the feed gave no text: the poll counts against the feed's health.
    assert result.error is not None and result.error.startswith(f"{len(items)} new entries failed")
    assert len(result.skipped) == len(SPELLINGS) + 2
    reasons = dict(result.skipped)
    assert all("look-alike characters" in reasons[i.link] for i in items[: len(SPELLINGS)])
    assert reasons[public_server.url("/moved")].startswith(
        "page: the host '１２７。０．０．１' is the IP address 127.0.0.1 written in look-alike characters"
    )
    assert reasons[public_server.url("/moved-ascii")].startswith("page: refused: 127.0.0.1 is a private or local")
    assert internal.seen == []  # no request reached the internal server
    assert len(public_server.requests_to("/moved")) == 1
    assert poller.library.catalogue.resolve("Internal Admin Console") is None
    async with db.execute("SELECT title FROM articles") as cur:
        titles = {r[0] for r in await cur.fetchall()}
    assert "Internal Admin Console" not in titles and "Night Ferry Added" in titles
    async with db.execute("SELECT COUNT(*) FROM deliveries") as cur:
        assert (await cur.fetchone())[0] == 0  # nothing was posted to the subscribed channel


@pytest.mark.parametrize("host", ["１２７.０.０.１", "10。0。0。1", "¹⁹²．¹⁶⁸．¹．¹", "①⑥⑨.②⑤④.①⑥⑨.②⑤④"])
def test_a_configured_feed_with_such_a_host_is_refused(tmp_path, host):
    env = {"BRIEFBOT_ARTICLES_DIR": str(tmp_path), "BRIEFBOT_FEEDS": f"https://ok.example/rss, http://{host}/feed"}
    for private in ("0", "1"):
        with pytest.raises(ConfigError) as exc:
            load_settings({**env, "BRIEFBOT_FEEDS_ALLOW_PRIVATE": private})
        assert str(exc.value).startswith(f"BRIEFBOT_FEEDS: 'http://{host}/feed': the host ")
        assert "written in look-alike characters" in str(exc.value)
    with pytest.raises(ConfigError, match=r"^BRIEFBOT_FEEDS: 'http://10\.0\.0\.1/feed': 10\.0\.0\.1 is a private"):
        load_settings({**env, "BRIEFBOT_FEEDS": "http://10.0.0.1/feed"})
    allowed = load_settings({**env, "BRIEFBOT_FEEDS": "http://10.0.0.1/feed", "BRIEFBOT_FEEDS_ALLOW_PRIVATE": "1"})
    assert allowed.feeds == ("http://10.0.0.1/feed",)


def test_feeds_add_on_the_command_line_refuses_such_a_host(tmp_path, monkeypatch, capsys):
    from bot.cli import main

    (tmp_path / "seeds").mkdir()
    monkeypatch.chdir(tmp_path)
    for key in [k for k in os.environ if k.startswith(("BRIEFBOT_", "DISCORD_"))]:
        monkeypatch.delenv(key)
    assert main(["feeds", "add", "http://１２７.０.０.１:8080/feed"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == (
        "briefbot: error: 'http://１２７.０.０.１:8080/feed': "
        "the host '１２７.０.０.１' is the IP address 127.0.0.1 written in look-alike characters"
    )
    assert main(["feeds", "add", "http://192.168.1.1/feed"]) == 2
    assert "192.168.1.1 is a private or local address (BRIEFBOT_FEEDS_ALLOW_PRIVATE is off)" in capsys.readouterr().err
    assert main(["feeds", "list"]) == 0 and capsys.readouterr().out.startswith("No feeds.")
