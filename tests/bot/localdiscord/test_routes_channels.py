"""Channel routes: posting messages (nonces make a repeated post idempotent, as on Discord)."""

from __future__ import annotations

import asyncio

import discord
import pytest
from discord.http import Route

from bot.localdiscord import FakeDiscord
from tests.bot.localdiscord.helpers import DemoBot


@pytest.mark.asyncio
async def test_channel_send_with_nonce_is_idempotent(fake_discord: FakeDiscord) -> None:
    async with fake_discord.run(DemoBot()) as bot:
        channel = bot.get_channel(fake_discord.channel_id)
        assert isinstance(channel, discord.TextChannel)
        first = await channel.send("hello", nonce="brief-42")  # discord.py adds enforce_nonce=True
        second = await channel.send("hello", nonce="brief-42")
        third = await channel.send("hello")  # a fresh random nonce
    assert first.id == second.id != third.id
    posts = fake_discord.requests_to("POST", "/channels/{channel_id}/messages")
    assert len(posts) == 3 and posts[0].json["enforce_nonce"] is True
    assert len(fake_discord.channel_messages(fake_discord.channel_id)) == 2


@pytest.mark.asyncio
async def test_a_nonce_is_an_integer_or_a_short_string_and_dedups_per_author(fake_discord: FakeDiscord) -> None:
    """Discord: nonce "integer or string" (a string up to 25 characters), enforce_nonce a boolean; "if
    another message was created by the same author with the same nonce, that message will be returned
    and no new message will be created" (within a few minutes: the fake's nonce_window)."""
    fake_discord.nonce_window = 0.3
    async with fake_discord.run(DemoBot()) as bot:
        route = lambda: Route("POST", "/channels/{channel_id}/messages", channel_id=fake_discord.channel_id)  # noqa: E731
        for bad in (True, 1.5, {"n": 1}, ["n"], "n" * 26):
            with pytest.raises(discord.HTTPException) as refused:
                await bot.http.request(route(), json={"content": "x", "nonce": bad, "enforce_nonce": True})
            assert (refused.value.status, refused.value.code) == (400, 50035), bad
        with pytest.raises(discord.HTTPException) as refused:
            await bot.http.request(route(), json={"content": "x", "nonce": "n", "enforce_nonce": "yes"})
        assert refused.value.code == 50035
        first = await bot.http.request(route(), json={"content": "x", "nonce": 42, "enforce_nonce": True})
        again = await bot.http.request(route(), json={"content": "x", "nonce": 42, "enforce_nonce": True})
        unenforced = await bot.http.request(route(), json={"content": "x", "nonce": 42})
        assert first["id"] == again["id"] != unenforced["id"]  # without enforce_nonce a new message
        await asyncio.sleep(0.4)  # the window has passed: the nonce is new again
        later = await bot.http.request(route(), json={"content": "x", "nonce": 42, "enforce_nonce": True})
        assert later["id"] not in (first["id"], unenforced["id"])
    assert fake_discord.nonce_replays == 1
    assert len(fake_discord.channel_messages(fake_discord.channel_id)) == 3


@pytest.mark.asyncio
async def test_threads_reach_the_bot_and_take_send_messages_in_threads(fake_discord: FakeDiscord) -> None:
    """Active threads arrive in GUILD_CREATE; posting in one takes SEND_MESSAGES_IN_THREADS (the bot
    may lack SEND_MESSAGES there); without it, 403; a private thread the bot is not in, 403 too."""
    from bot.localdiscord import Perm, make_overwrite

    guild = fake_discord.guilds[fake_discord.guild_id]
    bot_role = next(int(r["id"]) for r in guild["roles"] if r.get("managed"))
    bot_id = fake_discord.application_id
    readonly = fake_discord.readonly_channel_id  # @everyone may not send; the bot's role neither
    open_thread = fake_discord.add_thread(readonly, "open")
    mine = fake_discord.add_thread(fake_discord.channel_id, "private, with the bot", type=12, members=[bot_id])
    theirs = fake_discord.add_thread(fake_discord.channel_id, "private, without the bot", type=12)
    gone = fake_discord.add_thread(fake_discord.channel_id, "archived", archived=True)
    async with fake_discord.run(DemoBot()) as bot:
        cached = bot.get_guild(fake_discord.guild_id)
        assert cached is not None
        assert {t.name for t in cached.threads} == {"open", "private, with the bot", "private, without the bot"}
        thread = cached.get_thread(int(open_thread["id"]))
        assert isinstance(thread, discord.Thread) and thread.parent_id == readonly
        await thread.send("in the thread")  # SEND_MESSAGES_IN_THREADS, no SEND_MESSAGES
        with pytest.raises(discord.Forbidden):
            await bot.get_partial_messageable(readonly).send("in the channel")
        await bot.get_partial_messageable(int(mine["id"])).send("to a private thread it is in")
        with pytest.raises(discord.Forbidden) as hidden:
            await bot.get_partial_messageable(int(theirs["id"])).send("to a private thread it is not in")
        assert hidden.value.code == 50001
        guild["channels"][1]["permission_overwrites"].append(
            make_overwrite(bot_role, deny=Perm.SEND_MESSAGES_IN_THREADS)
        )
        with pytest.raises(discord.Forbidden) as refused:
            await thread.send("again")
        assert refused.value.code == 50013
        assert gone["thread_metadata"]["archived"]
    assert [m["content"] for m in fake_discord.channel_messages(int(open_thread["id"]))] == ["in the thread"]
    assert [m["content"] for m in fake_discord.channel_messages(int(mine["id"]))] == ["to a private thread it is in"]
    assert fake_discord.channel_messages(readonly) == []


@pytest.mark.asyncio
async def test_an_archived_thread_is_reopened_by_a_message_unless_it_is_locked(fake_discord: FakeDiscord) -> None:
    """Discord: "sending a message will automatically unarchive the thread, unless the thread has
    been locked by a moderator"; a locked thread refuses the bot (403 160005) unless it may manage threads."""
    archived = fake_discord.add_thread(fake_discord.channel_id, "archived", archived=True)
    locked = fake_discord.add_thread(fake_discord.channel_id, "locked", archived=True, locked=True)
    async with fake_discord.run(DemoBot()) as bot:
        await bot.get_partial_messageable(int(archived["id"])).send("back to life")
        assert not archived["thread_metadata"]["archived"]
        await fake_discord.wait_for(lambda: bot.get_guild(fake_discord.guild_id).get_thread(int(archived["id"])))
        with pytest.raises(discord.Forbidden) as refused:
            await bot.get_partial_messageable(int(locked["id"])).send("let me in")
        assert (refused.value.status, refused.value.code, refused.value.text) == (403, 160005, "Thread is locked")
        assert locked["thread_metadata"]["archived"]
        await fake_discord.update_thread(int(archived["id"]), archived=True)
        await fake_discord.wait_for(
            lambda: bot.get_guild(fake_discord.guild_id).get_thread(int(archived["id"])) is None
        )
    assert [m["content"] for m in fake_discord.channel_messages(int(archived["id"]))] == ["back to life"]
    assert fake_discord.channel_messages(int(locked["id"])) == []
