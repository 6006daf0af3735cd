"""Interaction routes, raw: the one initial callback, what each interaction type may answer, followups
and the interaction's own webhook messages (end to end with discord.py: test_users.py, test_controls.py)."""

from __future__ import annotations

import aiohttp
import pytest

from bot.localdiscord import FakeDiscord, FakeInteraction
from bot.localdiscord.interactions import InteractionType, interaction_payload
from tests.bot.localdiscord.helpers import Rest


@pytest.fixture
async def rest(fake_discord: FakeDiscord):
    async with aiohttp.ClientSession() as session:
        yield Rest(fake_discord, session)


def pending(fake: FakeDiscord, type: int = InteractionType.APPLICATION_COMMAND) -> FakeInteraction:
    """An interaction as if sent to a bot (no bot runs in these tests: nothing needs the gateway)."""
    channel = fake.channels[fake.channel_id]
    guild = fake.guilds[fake.guild_id]
    payload = interaction_payload(
        type=type,
        application_id=fake.application_id,
        data={"name": "ping", "type": 1},
        channel=channel,
        user=fake.alice,
        guild=guild,
        member=fake.member(fake.guild_id, int(fake.alice["id"])),
    )
    inter = FakeInteraction(payload, fake._signal)
    fake.interactions[inter.id] = inter
    fake._by_token[inter.token] = inter
    inter.sent_at = fake.now()
    return inter


def callback(inter: FakeInteraction) -> str:
    return f"/interactions/{inter.id}/{inter.token}/callback"


def webhook(fake: FakeDiscord, inter: FakeInteraction, tail: str = "") -> str:
    return f"/webhooks/{fake.application_id}/{inter.token}{tail}"


async def test_one_initial_callback_and_its_message(fake_discord: FakeDiscord, rest: Rest):
    inter = pending(fake_discord)
    status, body, _ = await rest.call(
        "POST", callback(inter) + "?with_response=true", {"type": 4, "data": {"content": "pong"}}, auth=False
    )
    assert status == 200 and body["resource"]["message"]["content"] == "pong"
    assert body["interaction"]["response_message_id"] == inter.original["id"]
    assert inter.original["interaction_metadata"]["user"] == fake_discord.alice
    assert [m["content"] for m in fake_discord.channel_messages(fake_discord.channel_id)] == ["pong"]
    status, body, _ = await rest.call("POST", callback(inter), {"type": 4, "data": {"content": "again"}}, auth=False)
    assert (status, body["code"]) == (400, 40060)
    assert len(inter.callbacks) == 1 and inter.rejected[0][0] == 400


async def test_a_callback_the_interaction_type_does_not_allow_is_refused(fake_discord: FakeDiscord, rest: Rest):
    inter = pending(fake_discord)
    status, body, _ = await rest.call("POST", callback(inter), {"type": 8, "data": {"choices": []}}, auth=False)
    assert (status, body["code"]) == (400, 50035) and "type" in body["errors"]
    status, body, _ = await rest.call("POST", callback(inter), {"type": 7, "data": {}}, auth=False)
    assert status == 400 and not inter.callbacks


async def test_an_unknown_interaction_or_token_is_unknown(fake_discord: FakeDiscord, rest: Rest):
    inter = pending(fake_discord)
    status, body, _ = await rest.call("POST", f"/interactions/{inter.id}/wrong/callback", {"type": 4}, auth=False)
    assert (status, body["code"]) == (404, 10062)
    status, body, _ = await rest.call("POST", f"/interactions/1/{inter.token}/callback", {"type": 4}, auth=False)
    assert (status, body["code"]) == (404, 10062)


async def test_followups_need_an_acknowledged_interaction(fake_discord: FakeDiscord, rest: Rest):
    inter = pending(fake_discord)
    status, body, _ = await rest.call("POST", webhook(fake_discord, inter), {"content": "early"}, auth=False)
    assert (status, body["code"]) == (404, 10015)
    await rest.call("POST", callback(inter), {"type": 5}, auth=False)
    assert inter.original["flags"] & (1 << 7)  # loading
    status, msg, _ = await rest.call(
        "POST", webhook(fake_discord, inter, "?wait=true"), {"content": "done"}, auth=False
    )
    assert (
        status == 200 and msg["id"] == inter.original["id"] and msg["content"] == "done" and not msg["flags"] & (1 << 7)
    )
    status, second, _ = await rest.call(
        "POST", webhook(fake_discord, inter, "?wait=true"), {"content": "more"}, auth=False
    )
    assert second["id"] != msg["id"] and second["interaction_metadata"]["original_response_message_id"] == msg["id"]


async def test_original_is_read_edited_and_deleted_through_the_webhook(fake_discord: FakeDiscord, rest: Rest):
    inter = pending(fake_discord)
    await rest.call("POST", callback(inter), {"type": 4, "data": {"content": "v1"}}, auth=False)
    original = webhook(fake_discord, inter, "/messages/@original")
    assert (await rest.call("GET", original, auth=False))[1]["content"] == "v1"
    status, msg, _ = await rest.call("PATCH", original, {"content": "v2"}, auth=False)
    assert status == 200 and msg["content"] == "v2" and inter.edits == [{"content": "v2"}]
    status, body, _ = await rest.call("PATCH", original, {"content": "x" * 2001}, auth=False)
    assert (status, body["code"]) == (400, 50035)
    assert (await rest.call("DELETE", original, auth=False))[0] == 204
    assert inter.deleted_original and fake_discord.channel_messages(fake_discord.channel_id) == []
    status, body, _ = await rest.call("GET", original, auth=False)
    assert (status, body["code"]) == (404, 10008)
