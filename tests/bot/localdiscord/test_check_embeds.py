"""Discord's rules for embeds: malformed URLs and URL schemes, wherever the URL is."""

from __future__ import annotations

import json

import pytest

from bot.localdiscord.check_message import validate_message
from tests.bot.localdiscord.helpers import form_errors

BAD_LINKS = [
    "https://",
    "https://[::1",
    "http://",
    "https:///path-but-no-host",
    "example.com/no-scheme",
    "//example.com/relative",
    "https://exa mple.com/",
    "https://example.com/\nnext-line",
    "https://example.com:99999/",
    "",
]


@pytest.mark.parametrize("url", BAD_LINKS)
@pytest.mark.parametrize(
    ("where", "path"),
    [
        ({"url": "{}"}, "embeds.0.url"),
        ({"author": {"name": "a", "url": "{}"}}, "embeds.0.author.url"),
        ({"author": {"name": "a", "icon_url": "{}"}}, "embeds.0.author.icon_url"),
        ({"footer": {"text": "f", "icon_url": "{}"}}, "embeds.0.footer.icon_url"),
        ({"image": {"url": "{}"}}, "embeds.0.image.url"),
        ({"thumbnail": {"url": "{}"}}, "embeds.0.thumbnail.url"),
        ({"video": {"url": "{}"}}, "embeds.0.video.url"),
    ],
)
def test_malformed_embed_urls_are_refused_wherever_they_are(url: str, where: dict, path: str) -> None:
    embed = json.loads(json.dumps(where).replace("{}", json.dumps(url)[1:-1]))
    assert form_errors(validate_message({"embeds": [{"title": "t", **embed}]})) == {path: "URL_TYPE_INVALID_URL"}


def test_embed_url_schemes() -> None:
    ok = {
        "url": "https://example.com/a?b=c#d",
        "author": {"name": "a", "url": "http://example.com", "icon_url": "attachment://icon.png"},
        "footer": {"text": "f", "icon_url": "https://cdn.example/i.png"},
        "image": {"url": "attachment://picture.png"},
        "thumbnail": {"url": "HTTPS://EXAMPLE.COM/T.PNG"},
        "video": {"url": "https://example.com/v.mp4"},
    }
    assert validate_message({"embeds": [ok]}) is None
    bad = {
        "url": "attachment://not-a-link.png",
        "author": {"name": "a", "url": "javascript://example.com/%0aalert(1)", "icon_url": "ftp://example.com/i"},
        "image": {"url": "data://example.com/x"},
    }
    assert form_errors(validate_message({"embeds": [bad]})) == {
        "embeds.0.url": "URL_TYPE_INVALID_SCHEME",
        "embeds.0.author.url": "URL_TYPE_INVALID_SCHEME",
        "embeds.0.author.icon_url": "URL_TYPE_INVALID_SCHEME",
        "embeds.0.image.url": "URL_TYPE_INVALID_SCHEME",
    }
    too_long = "https://example.com/" + "a" * 2029
    assert form_errors(validate_message({"embeds": [{"url": too_long}]})) == {"embeds.0.url": "BASE_TYPE_MAX_LENGTH"}
    assert validate_message({"embeds": [{"url": too_long[:-1]}]}) is None
