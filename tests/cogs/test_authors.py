from __future__ import annotations

from tests.cogs.conftest import EPHEMERAL, run


async def test_author_of_seed(fake_discord, bot):
    _, data = await run(fake_discord, "author", article="warning-is-china-pivoting-back-to-north-korea")
    embed = data["embeds"][0]
    assert embed["title"] == "Joel Wuthnow"
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert "Research Fellow" in fields["About"] and "Joel Wuthnow is" in fields["About"]
    assert fields["Also in the library"] == "No other articles by this author."


async def test_no_author_said_plainly(fake_discord, bot):
    _, data = await run(fake_discord, "author", article="strategic calculus")
    assert data["embeds"][0]["description"] == (
        "This article names no author. It was published by World Politics Review."
    )


async def test_other_articles_by_the_same_author(fake_discord, bot, articles_dir):
    (articles_dir / "more.md").write_text("---\ntitle: Another Wuthnow Piece\nauthor: Joel Wuthnow\n---\nBody text.\n")
    await bot.library.sync()
    _, data = await run(fake_discord, "author", name="wuthnow")
    fields = {f["name"]: f["value"] for f in data["embeds"][0]["fields"]}
    assert "Also in the library" in fields
    assert (
        "Warning: Is China Pivoting" in fields["Also in the library"]
        or "Another Wuthnow" in fields["Also in the library"]
    )


async def test_unknown_author_name(fake_discord, bot):
    _, data = await run(fake_discord, "author", name="Nobody Atall")
    assert data["flags"] & EPHEMERAL and "No article in the library is by" in data["content"]
