"""Fault injection and rate limiting for the fake REST API."""

from __future__ import annotations

import hashlib
import math
import re
import time
from collections import deque
from dataclasses import dataclass, field

from .payloads import Json

# What Discord answers on a webhook route (followups, @original) once an interaction token is no
# longer valid (tokens live 15 minutes): 401 50027, or 404 10015 for a webhook it no longer knows.
INVALID_WEBHOOK_TOKEN: Json = {"message": "Invalid Webhook Token", "code": 50027}
UNKNOWN_WEBHOOK: Json = {"message": "Unknown Webhook", "code": 10015}

_MESSAGES = {
    400: ("400: Bad Request", 0),
    401: ("401: Unauthorized", 0),
    403: ("Missing Permissions", 50013),
    405: ("405: Method Not Allowed", 0),
    500: ("500: Internal Server Error", 0),
    502: ("502: Bad Gateway", 0),
    503: ("503: Service Unavailable", 0),
    504: ("504: Gateway Timeout", 0),
}
_NOT_FOUND = [
    ("/messages/{message_id}", "Unknown Message", 10008),
    ("/interactions/", "Unknown interaction", 10062),
    ("/webhooks/", "Unknown Webhook", 10015),
    ("/channels/", "Unknown Channel", 10003),
    ("/guilds/", "Unknown Guild", 10004),
    ("/users/", "Unknown User", 10013),
]


def error_body(status: int, template: str | None = None) -> Json:
    """The body Discord would send for ``status`` on a route like ``template``."""
    if status == 404:
        for needle, message, code in _NOT_FOUND:
            if template and needle in template:
                return {"message": message, "code": code}
        return {"message": "404: Not Found", "code": 0}
    if status == 401 and template and template.startswith("/webhooks/"):
        return dict(INVALID_WEBHOOK_TOKEN)
    message, code = _MESSAGES.get(status, (f"{status}: Error", 0))
    return {"message": message, "code": code}


def bucket_hash(method: str, template: str) -> str:
    return hashlib.sha1(f"{method} {template}".encode()).hexdigest()[:32]


def rate_limited(
    retry_after: float, *, is_global: bool, limit: int = 1, bucket: str | None = None, scope: str | None = None
) -> tuple[dict[str, str], Json]:
    """Headers and body of a Discord 429 response."""
    retry_after = max(retry_after, 0.001)
    headers = {
        "Retry-After": str(math.ceil(retry_after)),
        "X-RateLimit-Limit": str(limit),
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": f"{time.time() + retry_after:.3f}",
        "X-RateLimit-Reset-After": f"{retry_after:.3f}",
        "X-RateLimit-Scope": scope or ("global" if is_global else "user"),
    }
    if is_global:
        headers["X-RateLimit-Global"] = "true"
    if bucket:
        headers["X-RateLimit-Bucket"] = bucket
    body = {
        "message": "You are being rate limited.",
        "retry_after": round(retry_after, 3),
        "global": is_global,
        "code": 0,
    }
    return headers, body


@dataclass
class Fault:
    """One injected fault. ``status=None`` only adds ``delay`` (artificial latency) and passes through.
    With ``processed=True`` the request is carried out first and only its answer is replaced by the
    failure, as when Discord did the work but the answer timed out on the way (a 502/504 from its
    gateway): the client cannot tell this from a request that failed, and may send it again.

    ``path`` is matched against the request path without the ``/api/v10`` prefix: an exact path
    (``"/channels/123/messages"``), a route template (``"/channels/{channel_id}/messages"``, any id)
    or a compiled regex (``re.compile(r"/channels/\\d+/messages")``, full match).
    """

    method: str | None
    path: str | re.Pattern[str]
    status: int | None
    times: int | None = 1
    retry_after: float = 1.0
    is_global: bool = False
    body: Json | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    delay_after: float = 0.0  # pass-through faults: handle the request, then wait before answering
    processed: bool = False  # handle the request as usual, then answer ``status`` instead (a gateway timeout)
    hits: int = 0

    @property
    def exhausted(self) -> bool:
        return self.times is not None and self.hits >= self.times

    def matches(self, method: str, path: str, template: str | None) -> bool:
        if self.exhausted or (self.method is not None and self.method.upper() != method):
            return False
        if isinstance(self.path, re.Pattern):
            return self.path.fullmatch(path) is not None
        if "{" in self.path:
            return self.path == template
        return self.path == path

    def response(self, template: str | None) -> tuple[int, Json, dict[str, str]]:
        """``(status, body, headers)`` of the injected failure."""
        assert self.status is not None
        if self.status == 429:
            headers, body = rate_limited(self.retry_after, is_global=self.is_global)
        else:
            headers, body = {}, error_body(self.status, template)
        return self.status, self.body if self.body is not None else body, {**headers, **self.headers}


class SlidingWindow:
    """At most ``limit`` hits per ``per`` seconds."""

    def __init__(self, limit: int, per: float) -> None:
        self.limit, self.per = limit, per
        self._hits: deque[float] = deque()

    def _trim(self, now: float) -> None:
        while self._hits and self._hits[0] <= now - self.per:
            self._hits.popleft()

    def hit(self, now: float) -> float | None:
        """Record a hit; return ``retry_after`` seconds instead if the window is full."""
        self._trim(now)
        if len(self._hits) >= self.limit:
            return self._hits[0] + self.per - now
        self._hits.append(now)
        return None

    def headers(self, now: float, bucket: str) -> dict[str, str]:
        self._trim(now)
        reset_after = (self._hits[0] + self.per - now) if self._hits else self.per
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(max(self.limit - len(self._hits), 0)),
            "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
            "X-RateLimit-Reset-After": f"{reset_after:.3f}",
            "X-RateLimit-Bucket": bucket,
        }


@dataclass
class RouteLimit:
    """A per-route bucket (per concrete path, i.e. per major parameter), sent with X-RateLimit-* headers."""

    method: str
    template: str
    limit: int
    per: float
    windows: dict[str, SlidingWindow] = field(default_factory=dict)

    @property
    def bucket(self) -> str:
        return bucket_hash(self.method, self.template)

    def window(self, path: str) -> SlidingWindow:
        if path not in self.windows:
            self.windows[path] = SlidingWindow(self.limit, self.per)
        return self.windows[path]
