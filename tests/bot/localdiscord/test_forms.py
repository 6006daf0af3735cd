"""What the validators share: the "Invalid Form Body" error tree, length problems, Discord's URL rule."""

from __future__ import annotations

import pytest

from bot.localdiscord.forms import at_most, between, form_error, int_in, url_problem


def test_form_error_builds_discords_error_tree():
    body = form_error({"embeds.0.url": ("URL_TYPE_INVALID_URL", "Not a well formed URL."), "content": "Bad"})
    assert body["code"] == 50035 and body["message"] == "Invalid Form Body"
    assert body["errors"] == {
        "embeds": {"0": {"url": {"_errors": [{"code": "URL_TYPE_INVALID_URL", "message": "Not a well formed URL."}]}}},
        "content": {"_errors": [{"code": "BASE_TYPE_INVALID", "message": "Bad"}]},
    }


def test_length_problems():
    assert between(1, 100) == ("BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
    assert at_most(2000) == ("BASE_TYPE_MAX_LENGTH", "Must be 2000 or fewer in length.")


def test_int_in_takes_no_booleans():
    assert int_in(1, 0, 25) and int_in(25, 0, 25)
    assert not int_in(26, 0, 25) and not int_in(True, 0, 25) and not int_in(1.0, 0, 25) and not int_in("1", 0, 25)


@pytest.mark.parametrize(
    "url", ["https://example.com", "http://example.com:8080/a?b#c", "HTTPS://EXAMPLE.COM/", "https://[::1]/"]
)
def test_well_formed_http_urls_are_accepted(url):
    assert url_problem(url) is None


@pytest.mark.parametrize(
    ("url", "code"),
    [
        (None, "BASE_TYPE_INVALID"),
        ("", "URL_TYPE_INVALID_URL"),
        ("https://exa mple.com", "URL_TYPE_INVALID_URL"),
        ("https://example.com:99999", "URL_TYPE_INVALID_URL"),
        ("https://", "URL_TYPE_INVALID_URL"),
        ("example.com", "URL_TYPE_INVALID_URL"),
        ("ftp://example.com", "URL_TYPE_INVALID_SCHEME"),
        ("https://example.com/" + "a" * 2048, "BASE_TYPE_MAX_LENGTH"),
    ],
)
def test_urls_discord_refuses(url, code):
    problem = url_problem(url)
    assert problem is not None and problem[0] == code


def test_the_schemes_and_limit_depend_on_where_the_url_is():
    assert url_problem("attachment://a.png", ("http", "https", "attachment")) is None
    assert url_problem("attachment://a.png")[0] == "URL_TYPE_INVALID_SCHEME"
    assert url_problem("https://example.com/" + "a" * 100, limit=50)[0] == "BASE_TYPE_MAX_LENGTH"
