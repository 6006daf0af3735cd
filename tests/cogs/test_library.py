"""cogs/library.py: /articles, the library newest first, a page at a time."""

from __future__ import annotations

from tests.cogs.conftest import button, run


async def test_articles_paginated(fake_discord, bot, articles_dir):
    for i in range(15):
        (articles_dir / f"a{i:02}.txt").write_text(f"Article Number {i}\n\nBody of article {i} here.\n")
    await bot.library.sync()
    inter, data = await run(fake_discord, "articles")
    embed = data["embeds"][0]
    assert embed["footer"]["text"] == "Page 1 of 2 · 17 articles"
    click = await fake_discord.send_component(inter.message, button(data, "Next")["custom_id"])
    page2 = (await click.response(timeout=3)).data["embeds"][0]
    assert page2["footer"]["text"] == "Page 2 of 2 · 17 articles"


async def test_articles_single_page_has_no_buttons(fake_discord, bot):
    _, data = await run(fake_discord, "articles")
    assert not data.get("components")
    assert "Joel Wuthnow" in data["embeds"][0]["description"]


async def test_articles_shows_every_slug_whole_so_that_it_can_be_typed_back(fake_discord, bot, articles_dir):
    title = "A Very Long Title About Harbour Dredging Plans And The Ferry Timetable Of Next Spring"
    (articles_dir / "long1.txt").write_text(f"{title}\n\nThe first body of this article is here.\n")
    (articles_dir / "long2.txt").write_text(f"{title}\n\nA second body, another article with the same title.\n")
    await bot.library.sync()
    slugs = [r.slug for r in bot.library.articles if r.title == title]
    assert len(slugs) == 2 and max(len(s) for s in slugs) > 60
    _, data = await run(fake_discord, "articles")
    for slug in slugs:
        assert f"`{slug}`" in data["embeds"][0]["description"]
        assert bot.library.catalogue.resolve(slug).slug == slug
