"""The payload builders: snowflakes, users, channels, guilds and messages shaped as Discord sends them."""

from __future__ import annotations

import time

from bot.localdiscord.payloads import (
    DISCORD_EPOCH_MS,
    ChannelType,
    guild_create_payload,
    make_dm_channel,
    make_guild,
    make_member,
    make_message,
    make_role,
    make_text_channel,
    make_user,
    new_token,
    partial_guild,
    snowflake,
)


def test_snowflakes_are_unique_and_carry_their_time():
    ids = [snowflake() for _ in range(1000)]
    assert len(set(ids)) == 1000
    at = 1_700_000_000.0
    assert (snowflake(at) >> 22) + DISCORD_EPOCH_MS == int(at * 1000)
    assert abs(((snowflake() >> 22) + DISCORD_EPOCH_MS) / 1000 - time.time()) < 5


def test_a_guild_and_its_parts():
    owner = make_user(username="owner")
    everyone = make_role(1, "@everyone", permissions=1024)
    channel = make_text_channel(name="general")
    guild = make_guild(
        1, "G", owner_id=int(owner["id"]), roles=[everyone], channels=[channel], members=[make_member(owner)]
    )
    assert guild["id"] == "1" and guild["owner_id"] == owner["id"]
    assert guild["roles"][0]["permissions"] == "1024"
    assert channel["type"] == ChannelType.GUILD_TEXT and channel["name"] == "general"
    assert guild_create_payload(guild)["channels"] == [channel]
    assert "channels" not in partial_guild(guild) and "members" not in partial_guild(guild)


def test_a_dm_channel_has_its_recipient():
    user = make_user(username="alice")
    assert make_dm_channel(5, user) == {
        "id": "5",
        "type": ChannelType.DM,
        "last_message_id": None,
        "flags": 0,
        "recipients": [user],
    }


def test_a_message():
    author = make_user(username="bot", bot=True)
    msg = make_message(
        channel_id=3, author=author, content="hi", guild_id=1, nonce="n", message_reference={"message_id": "9"}
    )
    assert (msg["channel_id"], msg["guild_id"], msg["content"], msg["nonce"]) == ("3", "1", "hi", "n")
    assert msg["author"] == author and msg["message_reference"] == {"type": 0, "message_id": "9", "channel_id": "3"}
    assert "webhook_id" not in make_message(channel_id=3, author=author)


def test_tokens_are_fresh():
    assert new_token() != new_token() and new_token("p").startswith("p:")
