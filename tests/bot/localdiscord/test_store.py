"""The message store: messages built from a bot's payload (mentions, flags, replies), edited and deleted."""

from __future__ import annotations

import aiohttp
import pytest

from bot.localdiscord import FakeDiscord
from tests.bot.localdiscord.helpers import Rest


@pytest.fixture
async def rest(fake_discord: FakeDiscord):
    async with aiohttp.ClientSession() as session:
        yield Rest(fake_discord, session)


def messages(fake: FakeDiscord) -> str:
    return f"/channels/{fake.channel_id}/messages"


async def test_mentions_follow_allowed_mentions(fake_discord: FakeDiscord, rest: Rest):
    alice = fake_discord.alice["id"]
    _, msg, _ = await rest.call("POST", messages(fake_discord), {"content": f"hi <@{alice}> @everyone"})
    assert [u["id"] for u in msg["mentions"]] == [alice] and msg["mention_everyone"] is True
    _, quiet, _ = await rest.call(
        "POST", messages(fake_discord), {"content": f"hi <@{alice}> @everyone", "allowed_mentions": {"parse": []}}
    )
    assert quiet["mentions"] == [] and quiet["mention_everyone"] is False


async def test_only_the_flags_a_bot_may_set_are_kept(fake_discord: FakeDiscord, rest: Rest):
    _, msg, _ = await rest.call("POST", messages(fake_discord), {"content": "x", "flags": 4 | 1 | 2})
    assert msg["flags"] == 4  # SUPPRESS_EMBEDS kept; CROSSPOSTED and IS_CROSSPOST are Discord's to set


async def test_a_reply_is_a_reply_message(fake_discord: FakeDiscord, rest: Rest):
    _, first, _ = await rest.call("POST", messages(fake_discord), {"content": "first"})
    _, reply, _ = await rest.call(
        "POST", messages(fake_discord), {"content": "re", "message_reference": {"message_id": first["id"]}}
    )
    assert reply["type"] == 19 and reply["message_reference"]["message_id"] == first["id"]


async def test_an_edit_is_stamped_and_a_delete_removes_the_message(fake_discord: FakeDiscord, rest: Rest):
    _, msg, _ = await rest.call("POST", messages(fake_discord), {"content": "draft", "embeds": [{"title": "t"}]})
    assert msg["embeds"] == [{"type": "rich", "title": "t"}] and msg["edited_timestamp"] is None
    status, edited, _ = await rest.call("PATCH", f"{messages(fake_discord)}/{msg['id']}", {"content": "final"})
    assert status == 200 and edited["content"] == "final" and edited["edited_timestamp"] is not None
    assert edited["embeds"] == [{"type": "rich", "title": "t"}]  # untouched fields stay
    assert (await rest.call("DELETE", f"{messages(fake_discord)}/{msg['id']}"))[0] == 204
    assert fake_discord.channel_messages(fake_discord.channel_id) == []
    assert fake_discord.get_message(int(msg["id"]))["content"] == "final"  # the index keeps every message


async def test_a_users_message_is_stored_and_not_the_bots_to_edit(fake_discord: FakeDiscord, rest: Rest):
    msg = await fake_discord.send_message(fake_discord.channel_id, "from alice")
    assert fake_discord.channel_messages(fake_discord.channel_id) == [msg]
    status, body, _ = await rest.call("PATCH", f"{messages(fake_discord)}/{msg['id']}", {"content": "changed"})
    assert (status, body["code"]) == (403, 50005)
    status, body, _ = await rest.call("DELETE", f"{messages(fake_discord)}/{msg['id']}")
    assert (status, body["code"]) == (403, 50013)  # the bot may not manage messages in the default world
