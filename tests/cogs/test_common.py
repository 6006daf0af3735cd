"""cogs/common.py: the pieces every cog shares (the article autocomplete, acknowledging in time,
recording who asked for what, the cooldowns, reading back the answer just sent), end to end
through the real bot and the local fake of Discord."""

from __future__ import annotations

import asyncio
import logging
from types import SimpleNamespace

import discord
import pytest

from bot.discord_app.embeds import choice_name
from cogs.common import sent_message
from tests.cogs.conftest import EPHEMERAL, button, new_member, run

ARTICLE = "warning-is-china-pivoting-back-to-north-korea"
ORIGINAL = "/webhooks/{application_id}/{interaction_token}/messages/{message_id}"
LONG_TITLE = "A   very long title about the harbour\tand the ferry " * 6  # 300+ characters, runs of spaces


def article_commands(fake) -> list[str]:
    """The commands whose `article` option is autocompleted (each with article_autocomplete)."""
    return sorted(
        c["name"]
        for c in fake.registered_commands()
        for o in c.get("options", [])
        if o["name"] == "article" and o.get("autocomplete")
    )


async def choices(fake, command: str, typed: str) -> list[dict]:
    inter = await fake.send_autocomplete(command, {"article": typed}, focused="article", user=new_member(fake))
    return (await inter.response(timeout=3)).data["choices"]


async def test_every_article_option_autocompletes_the_same_titles(fake_discord, bot):
    commands = article_commands(fake_discord)
    assert {"brief", "summary", "quotes", "author"} <= set(commands)
    newest_first = [{"name": choice_name(r.title), "value": r.id} for r in bot.library.articles]
    for command in commands:
        assert await choices(fake_discord, command, "") == newest_first, command
        [first, *_] = await choices(fake_discord, command, "defaince")  # a typo is tolerated
        assert first["name"].startswith("North Korea’s Defiance"), command


async def test_autocomplete_gives_at_most_25_choices_of_at_most_100_characters(fake_discord, bot, articles_dir):
    for i in range(30):
        (articles_dir / f"harbour{i:02}.txt").write_text(f"{LONG_TITLE}{i}\n\nThe body of harbour article {i}.\n")
    await bot.library.sync()
    for command in article_commands(fake_discord):
        got = await choices(fake_discord, command, "very long title harbour")
        assert len(got) == 25, command
        assert all(1 <= len(c["name"]) <= 100 for c in got)
        assert all("  " not in c["name"] and "\t" not in c["name"] for c in got)  # whitespace runs folded
        assert all(c["name"].startswith("A very long title about the harbour and the ferry") for c in got)
        assert len({c["value"] for c in got}) == 25  # 25 different articles, each by its id
        assert {c["value"] for c in got} <= {r.id for r in bot.library.articles}


async def test_autocomplete_of_a_title_too_long_for_discord_still_picks_that_article(fake_discord, bot, articles_dir):
    (articles_dir / "long.txt").write_text(f"{LONG_TITLE}\n\nA short body about the harbour board.\n")
    await bot.library.sync()
    [first, *_] = await choices(fake_discord, "brief", "very long title")
    assert len(first["name"]) <= 100 and first["name"].endswith("…")
    _, data = await run(fake_discord, "brief", article=first["value"])
    assert data["embeds"][0]["title"].startswith("A very long title about the harbour")


async def test_record_request_keeps_a_row_that_history_shows(fake_discord, bot):
    alice = int(fake_discord.alice["id"])
    _, data = await run(fake_discord, "history")
    assert "You have not asked for any briefs yet." in data["embeds"][0]["description"]
    await run(fake_discord, "quotes", article=ARTICLE)
    [record] = await bot.requests.history(alice, 10)
    assert (record.article_id, record.command) == (bot.library.catalogue.resolve(ARTICLE).id, "quotes")
    assert (record.guild_id, record.channel_id) == (fake_discord.guild_id, fake_discord.channel_id)
    _, data = await run(fake_discord, "history")
    [line] = data["embeds"][0]["description"].splitlines()
    assert "`/quotes`" in line and "Warning" in line
    assert data["embeds"][0]["footer"]["text"].startswith("Page 1 of 1 · 1 record ·")


async def test_a_request_in_direct_messages_is_recorded_without_a_server(fake_discord, bot):
    inter = await fake_discord.send_command("summary", options={"article": ARTICLE}, dm=True)
    await inter.response(timeout=3)
    await inter.answer(timeout=3)
    [record] = await bot.requests.history(int(fake_discord.alice["id"]), 10)
    assert record.command == "summary" and record.guild_id is None and record.channel_id is not None


async def test_work_commands_share_one_allowance_per_member(fake_discord, bot):
    """work_cooldown: 5 uses in 15 s per member, counted across every command that does work."""
    for command in ("brief", "summary", "quotes", "author", "brief"):
        _, data = await run(fake_discord, command, article=ARTICLE)
        assert "embeds" in data, command
    _, refused = await run(fake_discord, "summary", article=ARTICLE)
    assert refused["flags"] & EPHEMERAL and "Easy there" in refused["content"]
    assert await bot.requests.count(int(fake_discord.alice["id"])) == 5  # the refused one is not recorded
    _, other = await run(fake_discord, "quotes", article=ARTICLE, user=new_member(fake_discord))
    assert "embeds" in other  # another member has their own allowance
    _, light = await run(fake_discord, "articles")
    assert "embeds" in light  # the light commands are counted apart


async def test_light_commands_allow_15_uses_each(fake_discord, bot):
    """light_cooldown: 15 uses in 15 s per member, for each command on its own."""
    for _ in range(15):
        _, data = await run(fake_discord, "articles")
        assert "embeds" in data
    _, refused = await run(fake_discord, "articles")
    assert refused["flags"] & EPHEMERAL and "Easy there" in refused["content"]
    _, history = await run(fake_discord, "history")
    assert "embeds" in history  # /history has an allowance of its own


async def test_slow_work_is_acknowledged_in_time_and_privately_when_the_answer_is_private(
    fake_discord, bot, monkeypatch
):
    """acknowledged_in_time: work slower than the deadline is deferred (ephemeral when the answer
    will be), then the deferred message carries the answer."""
    monkeypatch.setattr(bot.acks, "deadline", 0.05)
    count = bot.requests.count

    async def slow_count(user_id):
        await asyncio.sleep(0.5)
        return await count(user_id)

    monkeypatch.setattr(bot.requests, "count", slow_count)
    inter = await fake_discord.send_command("history")
    first = await inter.response(timeout=3)
    assert first.type == 5 and first.data["flags"] & EPHEMERAL  # deferred, privately
    answer = await inter.answer(timeout=3)
    assert answer["embeds"][0]["title"] == "Your briefs"
    assert not inter.rejected


async def test_quick_work_is_answered_without_a_deferral(fake_discord, bot):
    inter = await fake_discord.send_command("history")
    first = await inter.response(timeout=3)
    assert first.type == 4 and first.data["flags"] & EPHEMERAL
    await asyncio.sleep(0.2)
    assert inter.edits == [] and inter.followups == []


async def test_a_paginated_answer_stands_when_it_cannot_be_read_back(fake_discord, bot, articles_dir, caplog):
    """sent_message: reading back the answer just sent fails (Discord answers 404, as for a token
    gone); the answer and its buttons stand, and a warning is logged."""
    caplog.set_level(logging.WARNING, logger="cogs.common")
    for i in range(12):
        (articles_dir / f"a{i:02}.txt").write_text(f"Article Number {i}\n\nBody of article {i} here.\n")
    await bot.library.sync()
    fake_discord.inject_fault("GET", ORIGINAL, 404, times=None)
    inter, data = await run(fake_discord, "articles")
    assert data["embeds"][0]["footer"]["text"] == "Page 1 of 2 · 14 articles"
    await fake_discord.wait_for(lambda: any("original response" in r.getMessage() for r in caplog.records), 3)
    [warning] = [r for r in caplog.records if r.name == "cogs.common"]
    assert warning.levelno == logging.WARNING and str(inter.id) in warning.getMessage()
    fake_discord.clear_faults()
    click = await fake_discord.send_component(inter.message, button(data, "Next")["custom_id"])
    assert (await click.response(timeout=3)).data["embeds"][0]["footer"]["text"] == "Page 2 of 2 · 14 articles"


class Interaction:
    """Just what sent_message touches."""

    id = 1234

    def __init__(self, outcome):
        self.outcome = outcome

    async def original_response(self):
        if isinstance(self.outcome, BaseException):
            raise self.outcome
        return self.outcome


async def test_sent_message_returns_the_answer_or_none(caplog):
    message = object()
    assert await sent_message(Interaction(message)) is message
    failure = discord.HTTPException(SimpleNamespace(status=404, reason="Not Found"), "Unknown Webhook")
    with caplog.at_level(logging.WARNING, logger="cogs.common"):
        assert await sent_message(Interaction(failure)) is None
    assert "1234" in caplog.text and "controls stay enabled" in caplog.text


async def test_sent_message_lets_other_errors_through():
    with pytest.raises(RuntimeError):
        await sent_message(Interaction(RuntimeError("not Discord's")))
