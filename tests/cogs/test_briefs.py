"""/brief end to end: the real discord.py stack against the local fake of Discord."""

from __future__ import annotations

import pytest

from bot.discord_app.embeds import EMBED_TOTAL_LIMIT
from tests.cogs.conftest import EPHEMERAL


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    """These commands end to end on both storage backends (the bot fixture opens the one asked for)."""
    return request.param


async def brief(fake, **options):
    inter = await fake.send_command("brief", options=options)
    return await inter.response(timeout=3)


def embed_length(e: dict) -> int:
    total = len(e.get("title", "")) + len(e.get("description", "")) + len(e.get("footer", {}).get("text", ""))
    total += len(e.get("author", {}).get("name", ""))
    return total + sum(len(f["name"]) + len(f["value"]) for f in e.get("fields", []))


async def test_brief_newest_without_argument(fake_discord, bot):
    reply = await brief(fake_discord)
    assert reply.type == 4
    embed = reply.data["embeds"][0]
    assert embed["title"] == bot.library.articles[0].title
    assert reply.data["allowed_mentions"] == {"parse": []}
    assert reply.latency < 3


async def test_brief_of_seed_000(fake_discord, bot):
    reply = await brief(fake_discord, article="warning-is-china-pivoting-back-to-north-korea")
    embed = reply.data["embeds"][0]
    assert embed["title"] == "Warning: Is China Pivoting Back to North Korea?"
    assert embed["author"]["name"] == "By Joel Wuthnow"
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert "no connection" in fields["Key quotes"] and "Daniel Russel" in fields["Key quotes"]
    assert fields["About Joel Wuthnow"].startswith("Joel Wuthnow is a Research Fellow")
    assert embed["description"].count("•") == 3
    assert "Flickr" not in str(embed)
    assert embed_length(embed) <= EMBED_TOTAL_LIMIT


async def test_brief_length_and_preview_notice(fake_discord, bot):
    row = bot.library.catalogue.resolve("north-koreas-defiance-may-reshape-chinas-strategic-calculus")
    reply = await brief(fake_discord, article=row.id, length="short")
    embed = reply.data["embeds"][0]
    assert embed["description"].count("•") == 2
    assert any(f["name"] == "Preview only" for f in embed["fields"])
    assert embed["author"]["name"] == "World Politics Review"
    assert "Subscribe" not in str(embed)


async def test_unknown_article_is_a_polite_private_answer(fake_discord, bot):
    reply = await brief(fake_discord, article="Chna pivotting bak")
    assert reply.data["flags"] & EPHEMERAL
    assert "couldn't find an article" in reply.data["content"]
    assert "Did you mean" in reply.data["content"] and "Pivoting" in reply.data["content"]


async def test_typed_fragment_resolves(fake_discord, bot):
    reply = await brief(fake_discord, article="strategic calculus")
    assert reply.data["embeds"][0]["title"].startswith("North Korea’s Defiance")


async def test_autocomplete(fake_discord, bot):
    inter = await fake_discord.send_autocomplete("brief", {"article": ""}, focused="article")
    choices = (await inter.response(timeout=3)).data["choices"]
    assert [c["value"] for c in choices] == [r.id for r in bot.library.articles]
    inter = await fake_discord.send_autocomplete("brief", {"article": "defaince"}, focused="article")
    choices = (await inter.response(timeout=3)).data["choices"]
    assert choices[0]["name"].startswith("North Korea’s Defiance")
    assert all(len(c["name"]) <= 100 for c in choices)
    inter = await fake_discord.send_autocomplete("brief", {"article": "north koera defiance"}, focused="article")
    choices = (await inter.response(timeout=3)).data["choices"]
    assert [c["name"] for c in choices] == ["North Korea’s Defiance May Reshape China’s Strategic Calculus"]


async def test_autocomplete_caps_at_25_and_100_chars(fake_discord, bot, articles_dir):
    for i in range(30):
        (articles_dir / f"long{i}.txt").write_text(f"{'Very long title ' * 20}{i}\n\nBody number {i} of the test.\n")
    await bot.library.sync()
    inter = await fake_discord.send_autocomplete("brief", {"article": "very long"}, focused="article")
    choices = (await inter.response(timeout=3)).data["choices"]
    assert len(choices) == 25
    assert all(len(c["name"]) <= 100 for c in choices)


async def test_brief_works_in_dms(fake_discord, bot):
    inter = await fake_discord.send_command("brief", options={}, dm=True)
    reply = await inter.response(timeout=3)
    assert reply.data["embeds"][0]["title"]


async def test_unexpected_error_gets_apology_with_id(fake_discord, bot, monkeypatch, caplog):
    async def broken(row, sentences):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(bot.library.reading, "brief", broken)
    reply = await brief(fake_discord)
    assert reply.data["flags"] & EPHEMERAL
    assert "something went wrong" in reply.data["content"] and "error id" in reply.data["content"]
    assert "disk on fire" not in reply.data["content"]
    assert "disk on fire" in caplog.text


async def test_hostile_article_cannot_ping_or_overflow(fake_discord, bot, articles_dir):
    body = "@everyone <@&123456789012345678> **bold** " + ("word " * 1000) + ".\n\n" + ("Filler sentence here. " * 5000)
    (articles_dir / "hostile.txt").write_text(f"{'@here ' * 60}Title\n\n{body}\n")
    await bot.library.sync()
    row = next(r for r in bot.library.articles if r.source_path == "hostile.txt")
    reply = await brief(fake_discord, article=row.id, length="long")
    embed = reply.data["embeds"][0]
    assert reply.data["allowed_mentions"] == {"parse": []}
    assert "@everyone" not in str(embed) and "@here" not in embed["title"]
    assert embed_length(embed) <= EMBED_TOTAL_LIMIT and len(embed["title"]) <= 256


MALFORMED = (
    "---\ntitle: Harbour Plan Approved\nurl: {url}\n---\n\n"
    "The harbour board approved a new plan on Monday. It will cost a great deal.\n"
)


def switcher_id(message: dict) -> str:
    return message["components"][0]["components"][0]["custom_id"]


@pytest.mark.parametrize("url", ["https://", "https://[::1"])
async def test_article_with_a_malformed_url_is_briefed_without_the_link(fake_discord, bot, articles_dir, url):
    """Discord refuses a whole message over one malformed embed URL (50035), and so does the fake:
    the link is dropped and the answer sent, for /brief, its article switcher and /summary."""
    (articles_dir / "harbour.md").write_text(MALFORMED.format(url=url))
    await bot.library.sync()
    row = bot.library.catalogue.resolve("Harbour Plan Approved")
    assert row is not None and row.url == url
    named = await fake_discord.send_command("brief", options={"article": row.id})
    summary = await fake_discord.send_command("summary", options={"article": row.id})
    for inter in (named, summary):
        reply = await inter.response(timeout=3)
        assert reply.type == 4 and not inter.rejected
        embed = reply.data["embeds"][0]
        assert embed["title"] == "Harbour Plan Approved" and "url" not in embed
    # The switcher under /brief renders it too, and the other articles still get their links.
    newest = await fake_discord.send_command("brief")
    assert (await newest.response(timeout=3)).type == 4 and not newest.rejected
    switch = await fake_discord.send_component(newest.original, switcher_id(newest.original), values=[row.id])
    update = await switch.response(timeout=3)
    assert update.type == 7 and not switch.rejected
    assert update.data["embeds"][0]["title"] == "Harbour Plan Approved" and "url" not in update.data["embeds"][0]
