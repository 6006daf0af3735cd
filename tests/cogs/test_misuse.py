"""Misuse: /history and /forget touch only the invoker's own records; spam is throttled per member.

Records are checked in the database itself, not only through what the commands show.
"""

from __future__ import annotations

import asyncio

import pytest

from bot.localdiscord import make_user
from tests.cogs.conftest import EPHEMERAL, button, new_member, run

STRATEGIC = "north-koreas-defiance-may-reshape-chinas-strategic-calculus"
WARNING = "warning-is-china-pivoting-back-to-north-korea"


async def rows_of(bot, user_id: int) -> list[tuple]:
    async with bot.db.execute(
        "SELECT id, user_id, guild_id, channel_id, article_id, command, created_at FROM requests "
        "WHERE user_id = ? ORDER BY id",
        (user_id,),
    ) as cur:
        return [tuple(r) for r in await cur.fetchall()]


async def test_history_and_forget_touch_only_your_own_records(fake_discord, bot):
    alice, bob = fake_discord.alice, new_member(fake_discord, "bob")
    a_id, b_id = int(alice["id"]), int(bob["id"])
    # Alice reads one article (in the server and in a direct message), Bob the other.
    await run(fake_discord, "brief", article=WARNING, user=alice)
    await run(fake_discord, "summary", article=WARNING, user=alice)
    in_dm = await fake_discord.send_command("author", options={"article": WARNING}, user=alice, dm=True)
    assert (await in_dm.response(timeout=3)).data["embeds"]
    for command, options in (("brief", {"article": STRATEGIC}), ("quotes", {"article": STRATEGIC}), ("author", {})):
        await run(fake_discord, command, user=bob, **options)
    alice_rows, bob_rows = await rows_of(bot, a_id), await rows_of(bot, b_id)
    assert len(alice_rows) == 3 and len(bob_rows) == 3
    assert {r[4] for r in alice_rows} == {bot.library.catalogue.resolve(WARNING).id}

    # /history shows Alice hers, privately, and nothing of Bob's.
    _, data = await run(fake_discord, "history", user=alice)
    assert data["flags"] & EPHEMERAL
    description = data["embeds"][0]["description"]
    assert description.count("Warning: Is China Pivoting") == 3 and "Strategic Calculus" not in description
    assert data["embeds"][0]["footer"]["text"].startswith("Page 1 of 1 · 3 records")

    # Bob cannot press Alice's confirm button; Alice's own press deletes hers and only hers.
    inter, data = await run(fake_discord, "forget", user=alice)
    click = await fake_discord.send_component(inter.message, button(data, "Delete my records")["custom_id"], user=bob)
    refused = (await click.response(timeout=3)).data
    assert refused["flags"] & EPHEMERAL and refused["content"].startswith("Only the person who ran this command")
    assert await rows_of(bot, a_id) == alice_rows and await rows_of(bot, b_id) == bob_rows
    click = await fake_discord.send_component(inter.message, button(data, "Delete my records")["custom_id"], user=alice)
    assert (await click.response(timeout=3)).data["content"] == "Done: deleted 3 records of you."
    assert await rows_of(bot, a_id) == []  # every record, the direct message's too
    assert await rows_of(bot, b_id) == bob_rows  # Bob's rows, byte for byte

    _, data = await run(fake_discord, "history", user=bob)
    assert data["embeds"][0]["footer"]["text"].startswith("Page 1 of 1 · 3 records")
    _, data = await run(fake_discord, "forget", user=alice)
    assert "nothing to delete" in data["content"]


async def test_history_pages_answer_only_their_owner(fake_discord, bot):
    alice, bob = fake_discord.alice, new_member(fake_discord, "bob")
    article = bot.library.catalogue.resolve(WARNING).id
    for _ in range(15):
        await bot.requests.record(
            user_id=int(alice["id"]), guild_id=None, channel_id=None, article_id=article, command="brief"
        )
    await bot.requests.record(
        user_id=int(bob["id"]), guild_id=None, channel_id=None, article_id=article, command="summary"
    )
    inter, data = await run(fake_discord, "history", user=alice)
    assert data["embeds"][0]["footer"]["text"].startswith("Page 1 of 2 · 15 records")
    click = await fake_discord.send_component(inter.message, button(data, "Next")["custom_id"], user=bob)
    refused = (await click.response(timeout=3)).data
    assert refused["flags"] & EPHEMERAL and "Only the person who ran this command" in refused["content"]
    click = await fake_discord.send_component(inter.message, button(data, "Next")["custom_id"], user=alice)
    page2 = (await click.response(timeout=3)).data["embeds"][0]
    assert page2["footer"]["text"].startswith("Page 2 of 2 · 15 records")
    assert "`/summary`" not in page2["description"]  # Bob's record is never on Alice's pages


# --- spam -----------------------------------------------------------------------------------------

WORK = 5  # uses per 15 s of the commands that do work
LIGHT = 15  # of every other command
SPAM = [
    ("brief", {"article": WARNING}, WORK),
    ("summary", {"article": WARNING}, WORK),
    ("quotes", {"keyword": "connection"}, WORK),
    ("author", {}, WORK),
    ("articles", {}, LIGHT),
    ("history", {}, LIGHT),
    ("forget", {}, LIGHT),
    ("subscriptions", {}, LIGHT),
    ("subscribe", {}, LIGHT),
    ("unsubscribe", {}, LIGHT),
]


@pytest.mark.parametrize(("command", "options", "limit"), SPAM, ids=[f"/{c}" for c, _, _ in SPAM])
async def test_spam_is_throttled_for_the_spammer_only(fake_discord, bot, command, options, limit):
    moderators = command in ("subscribe", "unsubscribe", "subscriptions")
    mod_role = next(r for r in fake_discord.guilds[fake_discord.guild_id]["roles"] if r["name"] == "Moderator")
    spammer, bystander = make_user(username="spammer"), make_user(username="bystander")
    for user in (spammer, bystander):
        fake_discord.add_member(fake_discord.guild_id, user, roles=[int(mod_role["id"])] if moderators else [])
    flood = await asyncio.gather(
        *(fake_discord.send_command(command, options=options, user=spammer) for _ in range(limit + 3))
    )
    answers = [(await i.response(timeout=5)) for i in flood]
    throttled = [a for a in answers if a.type == 4 and (a.data.get("content") or "").startswith("Easy there")]
    assert len(throttled) == 3, [a.data.get("content") for a in answers]
    for answer in throttled:
        assert answer.data["flags"] & EPHEMERAL and answer.data["allowed_mentions"] == {"parse": []}
        assert "you can use this command again in" in answer.data["content"]
    # The bystander, at the same moment, is answered as usual.
    inter = await fake_discord.send_command(command, options=options, user=bystander)
    reply = await inter.response(timeout=5)
    assert reply.latency < 3.0
    assert not (reply.type == 4 and (reply.data.get("content") or "").startswith("Easy there"))
