"""Fetching feeds and article pages over HTTP, within limits.

Only http and https; at most MAX_REDIRECTS redirects, each hop checked again; the body streamed and
abandoned past ``max_bytes`` (counted after decompression); the whole exchange, redirects included,
within ``timeout`` seconds. Unless ``allow_private`` is set, no request reaches a private, loopback,
link-local, reserved or multicast address, checked three times over: the host as the HTTP client
reads it (yarl, which turns ``１２７。０．０．１`` into the literal 127.0.0.1; see bot.sources.urls) before each
request and each redirect hop; host names after DNS resolution by the resolver the connection itself
uses (so a name that resolves to a public address for a check and a private one for the connection
cannot slip through); and every address, literal or resolved, as the socket is made for it (the
connector's socket factory), so a literal that never goes through the resolver is still refused.
"""

from __future__ import annotations

import asyncio
import socket
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult

from bot import __version__
from bot.sources import urls
from bot.sources.urls import public_address

USER_AGENT = f"briefbot/{__version__} (feed reader of a Discord bot that briefs people on articles)"
MAX_REDIRECTS = 5
DEFAULT_TIMEOUT = 20.0  # seconds, the whole exchange
CHUNK = 64 * 1024


class FetchError(Exception):
    """A request that could not be made or gave no usable answer; the message says why. The
    subclasses below say which kind of failure it was, for callers that answer each differently."""


class FetchRefused(FetchError):
    """The address is private or local (or resolves only to such), and private addresses are off."""


class FetchTimeout(FetchError):
    """No complete answer within the fetcher's time limit."""


class FetchStatus(FetchError):
    """The server answered with a status other than 200 or 304 (after redirects)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class FetchTooLarge(FetchError):
    """The body is larger than the caller's limit."""


@dataclass(frozen=True, slots=True)
class Response:
    url: str  # after redirects
    status: int  # 200, or 304 when the validators matched
    body: bytes
    content_type: str
    etag: str | None
    last_modified: str | None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def check_url(url: str) -> str:
    """The URL if it is an absolute http or https address with a host, else a FetchError."""
    try:
        return urls.check_url(url)
    except ValueError as exc:
        raise FetchError(str(exc)) from None


class RefusedAddress(OSError):
    """A host that resolves only to addresses the fetcher may not reach, or such an address itself."""


def _public_socket(addr_info: tuple[Any, ...]) -> socket.socket:
    """The connector's socket factory: called for every address a connection is attempted to, whether
    it came from the resolver or from an address literal that skipped it; a private one is refused."""
    family, type_, proto, _, sockaddr = addr_info
    try:
        public = public_address(str(sockaddr[0]))
    except ValueError:  # not an address at all: nothing to connect to that can be judged
        public = False
    if not public:
        raise RefusedAddress(f"{sockaddr[0]} is a private or local address")
    return socket.socket(family=family, type=type_, proto=proto)


class _PublicResolver(AbstractResolver):
    """Resolves as usual, then keeps only public addresses: the connection uses what is returned."""

    def __init__(self) -> None:
        self._inner = aiohttp.ThreadedResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        found = await self._inner.resolve(host, port, family)
        allowed = [r for r in found if public_address(r["host"])]
        if not allowed:
            shown = ", ".join(sorted({r["host"] for r in found}))
            raise RefusedAddress(f"{host} resolves to a private or local address ({shown})")
        return allowed

    async def close(self) -> None:
        await self._inner.close()


class Fetcher:
    """One HTTP client for the feed poller; close it when done."""

    def __init__(self, *, allow_private: bool = False, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.allow_private = allow_private
        self.timeout = timeout
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(
                resolver=None if self.allow_private else _PublicResolver(),
                socket_factory=None if self.allow_private else _public_socket,
                use_dns_cache=False,
                limit=8,
            )
            self._session = aiohttp.ClientSession(
                connector=connector,
                headers={"User-Agent": USER_AGENT},
                trust_env=False,  # no proxy from the environment: the address checks must see the real host
                cookie_jar=aiohttp.DummyCookieJar(),
            )
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def get(
        self,
        url: str,
        *,
        max_bytes: int,
        accept: str = "*/*",
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> Response:
        """GET within the limits; a FetchError saying why for anything but 200 or 304."""
        limit = self.timeout
        try:
            async with asyncio.timeout(limit):
                return await self._get(url, max_bytes, accept, etag, last_modified)
        except TimeoutError:
            raise FetchTimeout(f"no complete answer within {limit:g} s") from None

    async def _get(
        self, url: str, max_bytes: int, accept: str, etag: str | None, last_modified: str | None
    ) -> Response:
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        session = self._client()
        for _hop in range(MAX_REDIRECTS + 1):
            self._check(url)
            try:
                async with session.get(url, headers=headers, allow_redirects=False) as resp:
                    if resp.status in (301, 302, 303, 307, 308):
                        location = resp.headers.get("Location")
                        if not location:
                            raise FetchError(f"HTTP {resp.status} redirect without a Location")
                        url = urljoin(url, location)
                        continue
                    if resp.status == 304:
                        return Response(str(resp.url), 304, b"", "", etag, last_modified)
                    if resp.status != 200:
                        reason = f"HTTP {resp.status}" + (f" {resp.reason}" if resp.reason else "")
                        raise FetchStatus(resp.status, reason)
                    declared = resp.content_length
                    if declared is not None and declared > max_bytes:
                        raise FetchTooLarge(f"too large ({declared:,} bytes; the limit is {max_bytes:,})")
                    body = bytearray()
                    async for chunk in resp.content.iter_chunked(CHUNK):
                        body += chunk
                        if len(body) > max_bytes:
                            raise FetchTooLarge(f"too large (over {max_bytes:,} bytes)")
                    return Response(
                        url=str(resp.url),
                        status=200,
                        body=bytes(body),
                        content_type=resp.headers.get("Content-Type", ""),
                        etag=resp.headers.get("ETag"),
                        last_modified=resp.headers.get("Last-Modified"),
                    )
            except aiohttp.ClientConnectorError as exc:
                if isinstance(exc.os_error, RefusedAddress):
                    raise FetchRefused(f"refused: {exc.os_error}") from None
                raise FetchError(f"could not connect: {exc.os_error.strerror or exc.os_error}") from None
            except aiohttp.ClientError as exc:
                raise FetchError(f"{type(exc).__name__}: {exc}"[:300]) from None
        raise FetchError(f"more than {MAX_REDIRECTS} redirects")

    def _check(self, url: str) -> None:
        """Before each request and redirect hop: the host as aiohttp will connect to it (yarl's
        reading of the URL, never urlsplit's) must not be a private address literal."""
        check_url(url)  # refuses what yarl cannot read, so the address below is readable
        if self.allow_private:
            return
        address = urls.url_address(url)
        if address is None:
            return  # a name: checked after resolution by the connector's resolver
        if not public_address(str(address)):
            raise FetchRefused(f"refused: {address} is a private or local address")
