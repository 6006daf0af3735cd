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
