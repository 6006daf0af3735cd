"""cogs/admin.py: the owner's `@briefbot sync` uploads the slash commands now, changed or not;
anyone else's is ignored."""

from __future__ import annotations

import asyncio

from tests.cogs.conftest import new_member

COMMANDS = "/applications/{application_id}/commands"
SYNCED = "Slash commands synced."


def uploads(fake) -> int:
    return len([r for r in fake.requests_to("PUT", COMMANDS) if r.status == 200])


def replies(fake) -> list[dict]:
    bot_id = fake.bot_user["id"]
    return [m for m in fake.channel_messages(fake.channel_id) if m["author"]["id"] == bot_id]


async def test_the_owners_sync_uploads_the_unchanged_commands_and_says_so(fake_discord, bot):
    before = uploads(fake_discord)  # the start-up sync, if the tree was new to this database
    registered = {c["name"] for c in fake_discord.registered_commands()}
    msg = await fake_discord.send_message(
        fake_discord.channel_id, f"<@{fake_discord.bot_user['id']}> sync", author=fake_discord.owner
    )
    await fake_discord.wait_for(lambda: replies(fake_discord), timeout=3)
    [answer] = replies(fake_discord)
    assert answer["content"] == SYNCED
    assert int(answer["message_reference"]["message_id"]) == int(msg["id"])  # a reply to the owner's message
    [post] = [r for r in fake_discord.requests_to("POST", "/channels/{channel_id}/messages") if r.json]
    assert post.json["allowed_mentions"]["replied_user"] is False  # the owner is not pinged by the reply
    assert uploads(fake_discord) == before + 1  # forced: uploaded though nothing changed
    assert {c["name"] for c in fake_discord.registered_commands()} == registered


async def test_anyone_elses_sync_is_ignored(fake_discord, bot):
    before = uploads(fake_discord)
    mention = f"<@{fake_discord.bot_user['id']}>"
    for author in (fake_discord.alice, new_member(fake_discord, "stranger")):
        await fake_discord.send_message(fake_discord.channel_id, f"{mention} sync", author=author)
    await asyncio.sleep(0.5)  # give the bot time to (not) answer
    assert replies(fake_discord) == []
    assert uploads(fake_discord) == before
    # The same words from the owner then work: the silence above was the owner check, not a deaf bot.
    await fake_discord.send_message(fake_discord.channel_id, f"{mention} sync", author=fake_discord.owner)
    await fake_discord.wait_for(lambda: replies(fake_discord), timeout=3)
    assert [m["content"] for m in replies(fake_discord)] == [SYNCED]
    assert uploads(fake_discord) == before + 1


async def test_sync_needs_the_mention(fake_discord, bot):
    before = uploads(fake_discord)
    await fake_discord.send_message(fake_discord.channel_id, "sync", author=fake_discord.owner)
    await fake_discord.send_message(fake_discord.channel_id, "!sync", author=fake_discord.owner)
    await asyncio.sleep(0.5)
    assert replies(fake_discord) == []
    assert uploads(fake_discord) == before
    # Then the owner's mention is answered: the silence above was the missing mention, not a deaf bot.
    mention = f"<@{fake_discord.bot_user['id']}>"
    await fake_discord.send_message(fake_discord.channel_id, f"{mention} sync", author=fake_discord.owner)
    await fake_discord.wait_for(lambda: replies(fake_discord), timeout=3)
    assert [m["content"] for m in replies(fake_discord)] == [SYNCED]
    assert uploads(fake_discord) == before + 1
