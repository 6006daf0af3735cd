"""Every command stays inside Discord's limits on hostile articles, and a burst is answered in time."""

from __future__ import annotations

import asyncio

from bot.discord_app.embeds import EMBED_TOTAL_LIMIT
from tests.cogs.conftest import new_member, run

MENTIONS = "@everyone @here <@&123456789012345678> <@123456789012345678> **bold** __under__ `code` ||spoiler|| "


def check_embed(e: dict) -> None:
    total = len(e.get("title", "")) + len(e.get("description", "")) + len(e.get("footer", {}).get("text", ""))
    total += len(e.get("author", {}).get("name", ""))
    total += sum(len(f["name"]) + len(f["value"]) for f in e.get("fields", []))
    assert total <= EMBED_TOTAL_LIMIT
    assert len(e.get("title", "")) <= 256 and len(e.get("description", "")) <= 4096
    assert len(e.get("fields", [])) <= 25
    for f in e.get("fields", []):
        assert len(f["name"]) <= 256 and len(f["value"]) <= 1024
    whole = str(e)
    for raw in ("@everyone", "@here"):
        assert raw not in whole.replace(f"@\u200b{raw[1:]}", "")


async def test_every_command_within_limits_on_hostile_articles(fake_discord, bot, articles_dir):
    paragraph = (
        "The committee met again on Tuesday to discuss the budget for the coming year in some detail. "
        "“We cannot keep spending like this,” said Councillor Jane Smith, a member of the finance panel."
    )
    big = "\n\n".join([paragraph] * 1500)  # ~50,000 words
    (articles_dir / "big.txt").write_text("Budget Marathon\n\n" + big + "\n")
    (articles_dir / "title.txt").write_text(
        ("Long title " * 28)[:300] + "\n\nA short body sentence that says something.\n"
    )
    (articles_dir / "sentence.txt").write_text(
        "One Sentence\n\n" + ("word " * 1000).strip() + ".\n\nSecond paragraph.\n"
    )
    (articles_dir / "mentions.txt").write_text(
        f"{MENTIONS}Title\n\n"
        + "\n\n".join(f"{MENTIONS}“{MENTIONS} quoted,” said {MENTIONS}." for _ in range(30))
        + "\n\nAlex Rivers is a writer at @everyone Weekly and "
        + MENTIONS
        + "\n"
    )
    report = await bot.library.sync()
    assert not report.skipped
    for row in bot.library.articles:
        user = new_member(fake_discord)  # a fresh member each time, so the cooldown never bites
        for command, options in (
            ("brief", {"article": row.id, "length": "long"}),
            ("summary", {"article": row.id, "length": "long"}),
            ("quotes", {"article": row.id}),
            ("author", {"article": row.id}),
        ):
            _, data = await run(fake_discord, command, user=user, **options)
            assert len(data.get("content") or "") <= 2000
            for embed in data.get("embeds", []):
                check_embed(embed)
    _, data = await run(fake_discord, "articles", user=new_member(fake_discord))
    check_embed(data["embeds"][0])
    _, data = await run(fake_discord, "quotes", keyword="everyone", user=new_member(fake_discord))
    check_embed(data["embeds"][0])


async def test_two_hundred_briefs_at_once_are_answered_in_time(fake_discord, bot):
    users = [new_member(fake_discord, f"user{i}") for i in range(200)]
    interactions = await asyncio.gather(*(fake_discord.send_command("brief", options={}, user=u) for u in users))
    replies = await asyncio.gather(*(i.response(timeout=5) for i in interactions))
    latencies = sorted(r.latency for r in replies)
    assert latencies[-1] < 3.0, f"slowest acknowledgement {latencies[-1]:.2f}s"
    # Answered at once, or (under the burst) acknowledged first and answered by editing that.
    for inter, reply in zip(interactions, replies, strict=True):
        assert reply.type in (4, 5)
        data = await inter.answer(timeout=10)
        assert data["embeds"], reply.type
    assert not any(i.rejected for i in interactions)


async def test_component_errors_get_the_same_apology(fake_discord, bot, monkeypatch):
    inter, data = await run(fake_discord, "brief")
    select = next(c for row in data["components"] for c in row["components"] if c["type"] == 3)

    async def broken(row, sentences):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(bot.library.reading, "brief", broken)
    click = await fake_discord.send_component(
        inter.message, select["custom_id"], values=[select["options"][0]["value"]]
    )
    reply = (await click.response(timeout=3)).data
    assert "something went wrong" in reply["content"] and "error id" in reply["content"]
