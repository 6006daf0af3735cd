"""A local HTTP server for the feed tests: RSS 2.0 and Atom feeds, article pages, and misbehaviour
(304 on matching validators, error statuses, slow answers, redirects, endless bodies).

Routes are set by the test and can be changed between polls; every request is recorded with its
headers so a test can check what the poller sent.
"""

from __future__ import annotations

import asyncio
import html
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest_asyncio
from aiohttp import web


@dataclass
class Route:
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    etag: str | None = None
    last_modified: str | None = None
    delay: float = 0.0  # seconds before answering
    location: str | None = None  # for redirects
    stream: int = 0  # when set: this many bytes, chunked, with no Content-Length
    drip: float = 0.0  # when set: the body sent 1 KB at a time, this many seconds apart (a slow-drip page)


@dataclass
class Seen:
    path: str
    headers: dict[str, str]


@dataclass
class Item:
    title: str
    link: str
    guid: str | None = None
    published: str = "Mon, 03 Nov 2025 09:00:00 GMT"
    author: str | None = None
    summary: str = ""


@dataclass
class FeedServer:
    base: str = ""
    routes: dict[str, Route] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base + path

    def requests_to(self, path: str) -> list[Seen]:
        return [s for s in self.seen if s.path == path]

    def set(self, path: str, route: Route) -> str:
        self.routes[path] = route
        return self.url(path)

    def rss(self, path: str, items: list[Item], *, title: str = "Harbour Gazette", **route: object) -> str:
        entries = "".join(
            "<item>"
            f"<title>{html.escape(i.title)}</title><link>{html.escape(i.link)}</link>"
            + (f"<guid isPermaLink='false'>{html.escape(i.guid)}</guid>" if i.guid else "")
            + f"<pubDate>{i.published}</pubDate>"
            + (f"<author>{html.escape(i.author)}</author>" if i.author else "")
            + (f"<description>{html.escape(i.summary)}</description>" if i.summary else "")
            + "</item>"
            for i in items
        )
        body = (
            f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>{self.base}/</link><description>News</description>{entries}</channel></rss>"
        )
        return self.set(path, Route(body.encode(), "application/rss+xml", **route))  # type: ignore[arg-type]

    def atom(self, path: str, items: list[Item], *, title: str = "Opera Notes") -> str:
        entries = "".join(
            f"<entry><title>{html.escape(i.title)}</title><link href='{html.escape(i.link)}'/>"
            f"<id>{html.escape(i.guid or i.link)}</id><updated>2025-11-03T09:00:00Z</updated>"
            + (f"<author><name>{html.escape(i.author)}</name></author>" if i.author else "")
            + (f"<content type='html'>{html.escape(i.summary)}</content>" if i.summary else "")
            + "</entry>"
            for i in items
        )
        body = (
            '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>{title}</title><id>urn:test:feed</id><updated>2025-11-03T09:00:00Z</updated>{entries}</feed>"
        )
        return self.set(path, Route(body.encode(), "application/atom+xml"))

    def page(self, path: str, title: str, paragraphs: list[str], *, author: str | None = None) -> str:
        """A small article page of the kind a news site serves (metadata in meta tags, text in <article>)."""
        meta = f'<meta name="author" content="{html.escape(author)}">' if author else ""
        body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
        doc = (
            f"<!doctype html><html><head><title>{html.escape(title)} | Harbour Gazette</title>{meta}"
            f'<meta property="og:title" content="{html.escape(title)}">'
            '<meta property="og:site_name" content="Harbour Gazette">'
            '<meta property="article:published_time" content="2025-11-03T09:00:00Z">'
            f"</head><body><nav><a href='/'>Home</a> <a href='/sport'>Sport</a></nav><main><article>"
            f"<h1>{html.escape(title)}</h1>{body}</article></main><footer>© Harbour Gazette</footer></body></html>"
        )
        return self.set(path, Route(doc.encode()))

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        self.seen.append(Seen(request.path, dict(request.headers)))
        route = self.routes.get(request.path)
        if route is None:
            return web.Response(status=404, text="not found")
        if route.delay:
            await asyncio.sleep(route.delay)
        if route.location is not None:
            return web.Response(status=route.status, headers={"Location": route.location})
        if route.status != 200:
            return web.Response(status=route.status, text="failure")
        validators = {}
        if route.etag:
            validators["ETag"] = route.etag
        if route.last_modified:
            validators["Last-Modified"] = route.last_modified
        if "If-None-Match" in request.headers:  # as RFC 9110 says: it takes precedence over If-Modified-Since
            unchanged = route.etag is not None and request.headers["If-None-Match"] == route.etag
        else:
            unchanged = (
                route.last_modified is not None and request.headers.get("If-Modified-Since") == route.last_modified
            )
        if unchanged:
            return web.Response(status=304, headers=validators)
        if route.drip:
            resp = web.StreamResponse(headers={"Content-Type": route.content_type})
            resp.enable_chunked_encoding()
            await resp.prepare(request)
            try:
                for start in range(0, len(route.body), 1024):
                    await resp.write(route.body[start : start + 1024])
                    await asyncio.sleep(route.drip)
            except (ConnectionError, RuntimeError):
                return resp  # the client gave up
            await resp.write_eof()
            return resp
        if route.stream:
            resp = web.StreamResponse(headers={"Content-Type": route.content_type})
            resp.enable_chunked_encoding()
            await resp.prepare(request)
            chunk = b"<item>" + b"x" * 65_530
            sent = 0
            try:
                while sent < route.stream:
                    await resp.write(chunk)
                    sent += len(chunk)
            except (ConnectionError, RuntimeError):
                return resp  # the client gave up, as it should
            await resp.write_eof()
            return resp
        return web.Response(body=route.body, headers={"Content-Type": route.content_type, **validators})


@pytest_asyncio.fixture
async def feed_server() -> AsyncIterator[FeedServer]:
    server = FeedServer()
    app = web.Application()
    app.router.add_route("GET", "/{tail:.*}", server._handle)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    server.base = f"http://127.0.0.1:{port}"
    try:
        yield server
    finally:
        await runner.cleanup()
