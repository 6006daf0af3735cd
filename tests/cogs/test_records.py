"""cogs/records.py: /history and /forget, a member's own records, both answered privately."""

from __future__ import annotations

from tests.cogs.conftest import EPHEMERAL, button, new_member, run


async def test_history_is_private_and_own(fake_discord, bot):
    await run(fake_discord, "brief", article="strategic calculus")
    await run(fake_discord, "summary", article="warning-is-china-pivoting-back-to-north-korea")
    other = new_member(fake_discord, "other")
    await run(fake_discord, "brief", article="strategic calculus", user=other)
    _, data = await run(fake_discord, "history")
    assert data["flags"] & EPHEMERAL
    description = data["embeds"][0]["description"]
    assert description.count("\n") == 1  # alice's two records only
    assert "`/summary`" in description and "`/brief`" in description


async def test_forget_with_confirmation(fake_discord, bot):
    await run(fake_discord, "brief", article="strategic calculus")
    other = new_member(fake_discord, "other")
    await run(fake_discord, "brief", article="strategic calculus", user=other)
    inter, data = await run(fake_discord, "forget")
    assert data["flags"] & EPHEMERAL and "Sure?" in data["content"]
    # Cancel keeps everything.
    click = await fake_discord.send_component(inter.message, button(data, "Cancel")["custom_id"])
    assert (await click.response(timeout=3)).data["content"] == "Nothing was deleted."
    alice = int(fake_discord.alice["id"])
    assert await bot.requests.count(alice) == 1
    inter, data = await run(fake_discord, "forget")
    click = await fake_discord.send_component(inter.message, button(data, "Delete my records")["custom_id"])
    assert (await click.response(timeout=3)).data["content"] == "Done: deleted 1 record of you."
    assert await bot.requests.count(alice) == 0
    assert await bot.requests.count(int(other["id"])) == 1


async def test_forget_with_nothing_to_forget(fake_discord, bot):
    _, data = await run(fake_discord, "forget")
    assert data["flags"] & EPHEMERAL and "nothing to delete" in data["content"]


async def test_history_pages_through_many_records_and_only_for_its_owner(fake_discord, bot):
    alice = int(fake_discord.alice["id"])
    article = bot.library.articles[0]
    for _ in range(12):
        await bot.requests.record(
            user_id=alice,
            guild_id=fake_discord.guild_id,
            channel_id=fake_discord.channel_id,
            article_id=article.id,
            command="brief",
        )
    inter, data = await run(fake_discord, "history")
    assert data["flags"] & EPHEMERAL
    assert data["embeds"][0]["footer"]["text"].startswith("Page 1 of 2 · 12 records")
    assert len(data["embeds"][0]["description"].splitlines()) == 10
    assert button(data, "Previous").get("disabled") and not button(data, "Next").get("disabled")
    stranger = new_member(fake_discord, "stranger")
    click = await fake_discord.send_component(inter.message, button(data, "Next")["custom_id"], user=stranger)
    refused = (await click.response(timeout=3)).data
    assert refused["flags"] & EPHEMERAL and "Only the person who ran this command" in refused["content"]
    click = await fake_discord.send_component(inter.message, button(data, "Next")["custom_id"])
    page2 = (await click.response(timeout=3)).data
    assert page2["embeds"][0]["footer"]["text"].startswith("Page 2 of 2 · 12 records")
    assert len(page2["embeds"][0]["description"].splitlines()) == 2
    assert article.title.split()[0] in page2["embeds"][0]["description"]
