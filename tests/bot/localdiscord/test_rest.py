"""REST plumbing: routing, authorization, rate limits, request bodies and how answers are sent."""

from __future__ import annotations

import json

import aiohttp
import pytest

from bot.localdiscord import FakeDiscord
from tests.bot.localdiscord.helpers import Rest


@pytest.fixture
async def rest(fake_discord: FakeDiscord):
    async with aiohttp.ClientSession() as session:
        yield Rest(fake_discord, session)


async def test_an_unknown_route_is_404_and_a_wrong_method_405(fake_discord: FakeDiscord, rest: Rest):
    status, body, _ = await rest.call("GET", "/nowhere")
    assert (status, body) == (404, {"message": "404: Not Found", "code": 0})
    status, body, _ = await rest.call("DELETE", "/users/@me")
    assert (status, body) == (405, {"message": "405: Method Not Allowed", "code": 0})
    assert fake_discord.unknown_routes == [("GET", "/nowhere"), ("DELETE", "/users/@me")]


async def test_bot_routes_need_a_valid_token(fake_discord: FakeDiscord, rest: Rest):
    rest.token = "wrong"
    status, body, _ = await rest.call("GET", "/users/@me")
    assert (status, body) == (401, {"message": "401: Unauthorized", "code": 0})
    status, _, _ = await rest.call("GET", "/users/@me", auth=False)
    assert status == 401
    rest.token = fake_discord.token
    await fake_discord.revoke_token(close_gateway=False)
    assert (await rest.call("GET", "/users/@me"))[0] == 401


async def test_answers_are_json_as_discord_sends_it(rest: Rest):
    status, body, headers = await rest.call("GET", "/users/@me")
    assert status == 200 and body["bot"] is True
    assert headers["Content-Type"] == "application/json"  # exactly: discord.py decodes only then
    assert headers["Via"] == "1.1 google"


async def test_every_request_is_recorded(fake_discord: FakeDiscord, rest: Rest):
    await rest.call("GET", f"/channels/{fake_discord.channel_id}")
    (req,) = fake_discord.requests_to("GET", "/channels/{channel_id}")
    assert req.path == f"/channels/{fake_discord.channel_id}" and req.params == {
        "channel_id": str(fake_discord.channel_id)
    }
    assert req.status == 200 and req.token == fake_discord.token


async def test_the_global_rate_limit(fake_discord: FakeDiscord, rest: Rest):
    fake_discord.set_global_rate_limit(1, per=60)
    assert (await rest.call("GET", "/users/@me"))[0] == 200
    status, body, headers = await rest.call("GET", "/users/@me")
    assert status == 429 and body["global"] is True and headers["X-RateLimit-Global"] == "true"
    fake_discord.set_global_rate_limit(None)
    assert (await rest.call("GET", "/users/@me"))[0] == 200


async def test_a_route_rate_limit(fake_discord: FakeDiscord, rest: Rest):
    limit = fake_discord.set_route_rate_limit("GET", "/channels/{channel_id}", 1, per=60)
    status, _, headers = await rest.call("GET", f"/channels/{fake_discord.channel_id}")
    assert status == 200 and headers["X-RateLimit-Bucket"] == limit.bucket
    status, body, _ = await rest.call("GET", f"/channels/{fake_discord.channel_id}")
    assert status == 429 and body["global"] is False


async def test_a_multipart_post_carries_payload_json_and_files(fake_discord: FakeDiscord, rest: Rest):
    form = aiohttp.FormData()
    form.add_field(
        "payload_json", json.dumps({"content": "see attached", "attachments": [{"id": 0, "description": "notes"}]})
    )
    form.add_field("files[0]", b"hello", filename="notes.txt", content_type="text/plain")
    status, msg, _ = await rest.call("POST", f"/channels/{fake_discord.channel_id}/messages", data=form)
    assert status == 200 and msg["content"] == "see attached"
    (attachment,) = msg["attachments"]
    assert (attachment["filename"], attachment["size"], attachment["description"]) == ("notes.txt", 5, "notes")
    (req,) = fake_discord.requests_to("POST", "/channels/{channel_id}/messages")
    assert req.files[0].data == b"hello"


async def test_a_delay_fault_only_slows_the_request(fake_discord: FakeDiscord, rest: Rest):
    fault = fake_discord.inject_fault("GET", "/users/@me", None, delay=0.05)
    assert (await rest.call("GET", "/users/@me"))[0] == 200
    assert fault.hits == 1
