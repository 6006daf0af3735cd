from __future__ import annotations

from tests.cogs.conftest import EPHEMERAL, components, new_member, run


async def test_brief_without_article_offers_a_switcher(fake_discord, bot):
    inter, data = await run(fake_discord, "brief")
    select = next(c for c in components(data) if c["type"] == 3)
    assert 1 <= len(select["options"]) <= 25
    assert all(len(o["label"]) <= 100 for o in select["options"])
    other = next(o for o in select["options"] if not o.get("default"))
    click = await fake_discord.send_component(inter.message, select["custom_id"], values=[other["value"]])
    update = await click.response(timeout=3)
    assert update.type == 7
    assert update.data["embeds"][0]["title"] == bot.library.catalogue.resolve(other["value"]).title


async def test_switcher_is_for_the_person_who_asked(fake_discord, bot):
    inter, data = await run(fake_discord, "brief")
    select = next(c for c in components(data) if c["type"] == 3)
    stranger = new_member(fake_discord, "stranger")
    click = await fake_discord.send_component(
        inter.message, select["custom_id"], values=[select["options"][-1]["value"]], user=stranger
    )
    reply = await click.response(timeout=3)
    assert reply.type == 4 and reply.data["flags"] & EPHEMERAL
    assert "Only the person who ran this command" in reply.data["content"]


async def test_summary_only(fake_discord, bot):
    _, data = await run(fake_discord, "summary", article="warning-is-china-pivoting-back-to-north-korea", length="long")
    embed = data["embeds"][0]
    assert embed["description"].count("•") == 5
    assert not embed.get("fields")
    assert embed["author"]["name"] == "By Joel Wuthnow"
    assert await bot.requests.count(int(fake_discord.alice["id"])) == 1


async def test_requests_are_recorded_with_context(fake_discord, bot):
    await run(fake_discord, "brief", article="strategic calculus")
    [record] = await bot.requests.history(int(fake_discord.alice["id"]), 10)
    assert record.command == "brief" and record.title.startswith("North Korea’s Defiance")
    assert record.guild_id == fake_discord.guild_id and record.channel_id == fake_discord.channel_id


async def test_cooldown_is_polite(fake_discord, bot):
    replies = [(await run(fake_discord, "summary", article="strategic calculus"))[1] for _ in range(6)]
    assert "embeds" in replies[0]
    last = replies[-1]
    assert last["flags"] & EPHEMERAL and "Easy there" in last["content"]
    # Another member is not throttled by alice's spam.
    _, other = await run(fake_discord, "summary", article="strategic calculus", user=new_member(fake_discord))
    assert "embeds" in other


async def test_switcher_over_a_large_library_is_one_discord_accepts(fake_discord, bot, articles_dir):
    """The fake refuses select menus Discord refuses (1-25 options, labels and values of 1-100
    characters, distinct values, no more defaults than max_values): 30 articles with long titles."""
    for i in range(30):
        (articles_dir / f"long{i:02d}.txt").write_text(f"{'A very long title ' * 10}{i}\n\nBody number {i} here.\n")
    await bot.library.sync()
    inter, data = await run(fake_discord, "brief")
    assert not inter.rejected
    select = next(c for c in components(data) if c["type"] == 3)
    assert len(select["options"]) == 25 and len({o["value"] for o in select["options"]}) == 25
    assert all(1 <= len(o["label"]) <= 100 for o in select["options"])
    assert sum(1 for o in select["options"] if o.get("default")) == 1
    last = select["options"][-1]["value"]
    click = await fake_discord.send_component(inter.message, select["custom_id"], values=[last])
    assert (await click.response(timeout=3)).type == 7 and not click.rejected
