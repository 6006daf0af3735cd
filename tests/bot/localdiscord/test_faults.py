"""Injected faults and the error bodies and 429s the fake answers with (processed faults, carried out
and then failed, are in test_processed_faults.py)."""

from __future__ import annotations

import re

import pytest

from bot.localdiscord.faults import (
    INVALID_WEBHOOK_TOKEN,
    Fault,
    RouteLimit,
    SlidingWindow,
    bucket_hash,
    error_body,
    rate_limited,
)


def test_error_bodies_are_discords_for_the_route():
    assert error_body(404, "/channels/{channel_id}/messages/{message_id}") == {
        "message": "Unknown Message",
        "code": 10008,
    }
    assert error_body(404, "/channels/{channel_id}") == {"message": "Unknown Channel", "code": 10003}
    assert error_body(404, "/interactions/{interaction_id}/{interaction_token}/callback")["code"] == 10062
    assert error_body(404, None) == {"message": "404: Not Found", "code": 0}
    assert error_body(403) == {"message": "Missing Permissions", "code": 50013}
    assert error_body(401, "/webhooks/{application_id}/{interaction_token}") == INVALID_WEBHOOK_TOKEN
    assert error_body(401, "/users/@me") == {"message": "401: Unauthorized", "code": 0}
    assert error_body(418) == {"message": "418: Error", "code": 0}


def test_a_429_has_discords_headers_and_body():
    headers, body = rate_limited(1.5, is_global=True, limit=50)
    assert headers["Retry-After"] == "2" and headers["X-RateLimit-Global"] == "true"
    assert headers["X-RateLimit-Scope"] == "global" and headers["X-RateLimit-Remaining"] == "0"
    assert body == {"message": "You are being rate limited.", "retry_after": 1.5, "global": True, "code": 0}
    headers, body = rate_limited(0, is_global=False, bucket="abc")
    assert "X-RateLimit-Global" not in headers and headers["X-RateLimit-Bucket"] == "abc"
    assert headers["X-RateLimit-Scope"] == "user" and body["retry_after"] == 0.001


def test_a_fault_matches_an_exact_path_a_template_or_a_regex():
    exact = Fault("POST", "/channels/1/messages", 503)
    assert exact.matches("POST", "/channels/1/messages", "/channels/{channel_id}/messages")
    assert not exact.matches("POST", "/channels/2/messages", "/channels/{channel_id}/messages")
    assert not exact.matches("GET", "/channels/1/messages", "/channels/{channel_id}/messages")
    template = Fault(None, "/channels/{channel_id}/messages", 503)
    assert template.matches("GET", "/channels/2/messages", "/channels/{channel_id}/messages")
    regex = Fault("post", re.compile(r"/channels/\d+/messages"), 503)
    assert regex.matches("POST", "/channels/9/messages", None)
    assert not regex.matches("POST", "/channels/9/messages/1", None)


def test_a_fault_is_used_up_after_its_times():
    fault = Fault("GET", "/users/@me", 500, times=2)
    fault.hits = 2
    assert fault.exhausted and not fault.matches("GET", "/users/@me", "/users/@me")
    assert not Fault("GET", "/users/@me", 500, times=None, hits=10**6).exhausted


def test_a_faults_response():
    assert Fault("GET", "/guilds/{guild_id}", 404).response("/guilds/{guild_id}") == (
        404,
        {"message": "Unknown Guild", "code": 10004},
        {},
    )
    status, body, headers = Fault("GET", "/x", 429, retry_after=0.25, headers={"X-Extra": "1"}).response("/x")
    assert status == 429 and body["retry_after"] == 0.25 and headers["X-Extra"] == "1"
    assert Fault("GET", "/x", 500, body={"custom": True}).response("/x")[1] == {"custom": True}


def test_a_sliding_window_allows_limit_hits_per_period():
    window = SlidingWindow(2, 1.0)
    assert window.hit(10.0) is None and window.hit(10.5) is None
    assert window.hit(10.6) == pytest.approx(0.4)  # the first hit leaves the window at 11.0
    assert window.headers(10.6, "b")["X-RateLimit-Remaining"] == "0"
    assert window.hit(11.0) is None


def test_a_route_limit_keeps_a_window_per_path():
    limit = RouteLimit("POST", "/channels/{channel_id}/messages", 1, 1.0)
    assert limit.window("/channels/1/messages") is limit.window("/channels/1/messages")
    assert limit.window("/channels/1/messages") is not limit.window("/channels/2/messages")
    assert limit.bucket == bucket_hash("POST", "/channels/{channel_id}/messages") and len(limit.bucket) == 32
