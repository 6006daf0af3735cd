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


def _credited_page(editors: list[str]) -> str:
    para = "<p>" + "The harbour board approved a new plan on Monday after a long debate in the town hall. " * 5 + "</p>"
    return (
        "<html><head><title>Harbour Plan Approved</title></head><body><article><h1>Harbour Plan Approved</h1>"
        "<p>By Jane Doe and John Roe</p><p>Übersetzung: Ann Lee</p>"
        f"{para}{para}{para}<p>Edited by {', '.join(editors)}</p></article></body></html>"
    )


async def test_people_credited_in_another_role_come_after_the_writers(fake_discord, bot, articles_dir):
    (articles_dir / "harbour.html").write_text(_credited_page(["Bo Roe"]), encoding="utf-8")
    await bot.library.sync()
    _, data = await run(fake_discord, "author", article="harbour plan approved")
    embed = data["embeds"][0]
    assert embed["title"] == "Jane Doe and John Roe · translated by Ann Lee · edited by Bo Roe"
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert fields["About Ann Lee"] == "**Translator**" and fields["About Bo Roe"] == "**Editor**"
    _, data = await run(fake_discord, "brief", article="harbour plan approved")
    author_line = data["embeds"][0]["author"]["name"]
    assert author_line.startswith("By Jane Doe and John Roe · translated by Ann Lee · edited by Bo Roe")


async def test_many_credited_people_stay_within_discord_limits(fake_discord, bot, articles_dir):
    first = ["Maximiliana", "Bartholomew", "Evangeline", "Christopher", "Anastasia", "Konstantin", "Gwendolyn"]
    last = ["Featherstone-Whitmore", "Montgomery-Ashworth", "Wetherington-Blake", "Pemberton-Holloway"]
    editors = [f"{f} {surname}" for f in first[:5] for surname in last[:2]]
    (articles_dir / "harbour.html").write_text(_credited_page(editors), encoding="utf-8")
    await bot.library.sync()
    # the fake refuses an embed over Discord's limits (256 characters for a title and an author line)
    _, data = await run(fake_discord, "author", article="harbour plan approved")
    assert len(data["embeds"][0]["title"]) <= 256 and data["embeds"][0]["title"].endswith("…")
    _, data = await run(fake_discord, "brief", article="harbour plan approved")
    assert len(data["embeds"][0]["author"]["name"]) <= 256
