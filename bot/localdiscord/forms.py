"""What the fake's validators share: Discord's 50035 "Invalid Form Body" error body, its length
problems, and its rule for URLs in embeds and link buttons."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from .payloads import Json

Problem = str | tuple[str, str]  # a message (code BASE_TYPE_INVALID), or (Discord's error code, message)


def form_error(errors: Mapping[str, Problem]) -> Json:
    """A Discord 50035 "Invalid Form Body" error body. ``errors`` maps dotted paths to a message, or
    to ``(code, message)`` for Discord's specific codes (e.g. ``URL_TYPE_INVALID_URL``)."""
    tree: Json = {}
    for path, problem in errors.items():
        code, message = problem if isinstance(problem, tuple) else ("BASE_TYPE_INVALID", problem)
        node = tree
        for part in path.split("."):
            node = node.setdefault(part, {})
        node["_errors"] = [{"code": code, "message": message}]
    return {"message": "Invalid Form Body", "code": 50035, "errors": tree}


def between(low: int, high: int) -> tuple[str, str]:
    return "BASE_TYPE_BAD_LENGTH", f"Must be between {low} and {high} in length."


def at_most(high: int) -> tuple[str, str]:
    return "BASE_TYPE_MAX_LENGTH", f"Must be {high} or fewer in length."


EMBED_URL_LIMIT = 2048
BUTTON_URL_LIMIT = 512
_SCHEMES_MESSAGE = "Scheme {scheme!r} is not supported. Scheme must be one of {allowed}."


def url_problem(url: Any, schemes: Sequence[str] = ("http", "https"), limit: int = EMBED_URL_LIMIT) -> Problem | None:
    """Why Discord would refuse ``url`` in an embed or a link button, or ``None`` if it is accepted.

    Discord parses the URL and refuses ("Not a well formed URL.", URL_TYPE_INVALID_URL) one that
    does not parse, has no host, has a bad port or contains whitespace or control characters,
    and one whose scheme is not in ``schemes`` (URL_TYPE_INVALID_SCHEME): http(s) for links, and
    also ``attachment`` for images, thumbnails and icons (``attachment://file.png``).
    """
    if not isinstance(url, str):
        return "BASE_TYPE_INVALID", "Could not interpret value as string."
    if len(url) > limit:
        return at_most(limit)
    malformed = ("URL_TYPE_INVALID_URL", "Not a well formed URL.")
    if not url or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return malformed
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        return malformed
    if not parts.scheme or not parts.netloc:
        return malformed
    if parts.scheme.lower() not in schemes:
        return "URL_TYPE_INVALID_SCHEME", _SCHEMES_MESSAGE.format(scheme=parts.scheme, allowed=tuple(schemes))
    if not parts.hostname:
        return malformed
    return None


def int_in(value: Any, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high
