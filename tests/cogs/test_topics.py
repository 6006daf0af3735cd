"""/brief topic: and /compare end to end: the real discord.py stack against the local fake of Discord,
on the shipped seeds (copied into the bot's articles folder by the fixtures)."""

from __future__ import annotations

import asyncio

import pytest

from bot.discord_app.sync import command_fingerprint
from bot.storage.state import StateRepository
from tests.cogs.conftest import EPHEMERAL, run


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    """These commands end to end on both storage backends (the topic search reads FTS5 on SQLite and
    the tsvectors on PostgreSQL)."""
    return request.param


PIVOT = "Warning: Is China Pivoting Back to North Korea?"  # 2016
CALCULUS = "North Korea’s Defiance May Reshape China’s Strategic Calculus"  # 2013


def blocks(embed: dict) -> list[str]:
    return embed["description"].split("\n\n")


async def test_a_topic_across_the_library_cites_both_seeds(fake_discord, bot):
    _, data = await run(fake_discord, "brief", topic="China North Korea sanctions")
    assert not data.get("flags", 0) & EPHEMERAL
    assert data["allowed_mentions"] == {"parse": []}
    embed = data["embeds"][0]
    assert embed["title"] == "On “China North Korea sanctions”"
    cited = blocks(embed)
    assert len(cited) == 2
    # Newest first, as the library lists them; cited by title, with the slug to brief it (no URL).
    for block, row in zip(cited, bot.library.articles, strict=True):
        heading, sentence = block.split("\n", 1)
        assert heading == f"**{row.title}** · `/brief article:{row.slug}`"
        assert sentence.startswith("> ") and "**" in sentence  # the topic's words in bold
        _, analysis = await bot.library.reading.load(row)
        assert sentence[2:].replace("**", "").replace("\\", "") in analysis.sentences
    assert embed["footer"]["text"].startswith("2 of 2 articles on this topic, newest first")


async def test_a_topic_is_recorded_for_history_under_its_articles(fake_discord, bot):
    await run(fake_discord, "brief", topic="THAAD")
    _, data = await run(fake_discord, "history")
    description = data["embeds"][0]["description"]
    assert description.count("\n") == 0 and "`/brief topic` · " + PIVOT in description


async def test_a_topic_no_article_speaks_to_gets_a_polite_private_answer(fake_discord, bot):
    _, data = await run(fake_discord, "brief", topic="zzqx opera")
    assert data["flags"] & EPHEMERAL
    assert data["content"] == "No article in the library speaks to “zzqx opera”. Try fewer words, or other ones."
    _, data = await run(fake_discord, "history")
    assert "not asked for any briefs" in data["embeds"][0]["description"]


@pytest.mark.parametrize(
    "options",
    [
        {"topic": "sanctions", "article": "china pivot"},
        {"topic": "sanctions", "url": "https://news.example/story"},
        {"article": "china pivot", "url": "https://news.example/story"},
    ],
)
async def test_only_one_of_article_url_and_topic(fake_discord, bot, options):
    _, data = await run(fake_discord, "brief", **options)
    assert data["flags"] & EPHEMERAL
    assert data["content"] == "Give one of an article from the library, a link or a topic, not several."


async def test_a_topic_with_a_length_is_told_it_takes_none(fake_discord, bot):
    _, data = await run(fake_discord, "brief", topic="sanctions", length="long")
    assert data["flags"] & EPHEMERAL
    assert data["content"].startswith("A topic brief gives one sentence an article, so it takes no length")


async def test_search_syntax_in_a_topic_is_searched_for(fake_discord, bot):
    _, data = await run(fake_discord, "brief", topic='"no connection" OR NEAR(')
    assert data["flags"] & EPHEMERAL and data["content"].startswith("No article in the library speaks to")
    _, data = await run(fake_discord, "brief", topic='"no connection"')
    [block] = blocks(data["embeds"][0])
    assert "Daniel Russel" in block and "**no** **connection**" in block


async def test_compare_the_seeds_newer_first(fake_discord, bot):
    _, data = await run(fake_discord, "compare", first=bot.library.articles[1].id, second=bot.library.articles[0].id)
    assert not data.get("flags", 0) & EPHEMERAL and data["allowed_mentions"] == {"parse": []}
    embed = data["embeds"][0]
    newer, older = embed["fields"]
    assert (newer["name"], older["name"]) == (bot.library.articles[0].title, bot.library.articles[1].title)
    assert (newer["name"], older["name"]) == (PIVOT, CALCULUS)  # the seeds carry no date: ingestion, then id
    for field, row in zip((newer, older), bot.library.articles, strict=True):
        *points, link = field["value"].split("\n")
        assert 1 <= len(points) <= 3 and link == f"`/brief article:{row.slug}`"
        _, analysis = await bot.library.reading.load(row)
        assert all(p.removeprefix("• ") in analysis.sentences for p in points)
    # The 2013 piece's shifting Chinese debate.
    assert "debate" in older["value"].lower()
    _, data = await run(fake_discord, "history")
    assert data["embeds"][0]["description"].count("`/compare`") == 2


@pytest.mark.xfail(
    strict=True,
    reason="the method chosen on the proxy benchmark (bench/compare.py: summary rank x novelty, MMR) "
    "picks the 2016 piece's opening sentences, which the 2013 piece does not say either; the THAAD and "
    "election sentences rank 11th and 7th of 13; the methods that drop the summary's ranking reach the "
    "THAAD one and lose 5.7 to 7.5 ROUGE-1 F points on the benchmark; none of 26 reaches the election one "
    "(docs/quality.md, Comparing two articles)",
)
async def test_compare_shows_the_2016_piece_on_thaad_and_the_election_year(fake_discord, bot):
    _, data = await run(fake_discord, "compare", first="china pivot", second="strategic calculus")
    newer = data["embeds"][0]["fields"][0]["value"]
    assert "THAAD" in newer and "election year" in newer


@pytest.mark.parametrize(
    ("first", "second", "answer"),
    [
        ("china pivot", "warning-is-china-pivoting-back-to-north-korea", "Pick two different articles to compare."),
        ("china pivot", "no such article anywhere", "I couldn't find an article matching “no such article anywhere”"),
    ],
)
async def test_compare_refuses_the_same_article_twice_or_an_unknown_one(fake_discord, bot, first, second, answer):
    _, data = await run(fake_discord, "compare", first=first, second=second)
    assert data["flags"] & EPHEMERAL and data["content"].startswith(answer)


@pytest.mark.parametrize("option", ["first", "second"])
async def test_compare_autocompletes_both_articles(fake_discord, bot, option):
    inter = await fake_discord.send_autocomplete("compare", {"first": "", "second": ""} | {option: "calculus"}, option)
    reply = await inter.response(timeout=3)
    assert reply.type == 8 and reply.data["choices"][0]["name"] == CALCULUS


async def test_help_and_the_synced_commands_know_topic_and_compare(fake_discord, bot):
    _, data = await run(fake_discord, "help")
    fields = {f["name"]: f["value"] for f in data["embeds"][0]["fields"]}
    assert "Example: `/brief topic:China North Korea sanctions`" in fields["/brief"]
    assert "Example: `/compare first:china pivot second:strategic calculus`" in fields["/compare"]
    registered = {c["name"]: c for c in fake_discord.registered_commands()}
    assert "topic" in {o["name"] for o in registered["brief"]["options"]}
    assert {o["name"]: o.get("autocomplete") for o in registered["compare"]["options"]} == {
        "first": True,
        "second": True,
    }
    # What was uploaded is what the sync logic fingerprinted: a tree without them would upload again.
    stored = await StateRepository(bot.db).get("commands:global")
    assert stored == command_fingerprint(bot.tree, None)


async def test_a_slow_topic_is_deferred_and_still_answered(fake_discord, bot, monkeypatch):
    """At 10,000 articles a topic of common words takes about 1.5 s (bench.topics): past the
    acknowledgement deadline the command is deferred, then the deferred answer is edited."""
    topics = bot.library.topics
    brief = topics.brief

    async def slow(query, *args, **kwargs):
        await asyncio.sleep(2.0)
        return await brief(query, *args, **kwargs)

    monkeypatch.setattr(topics, "brief", slow)
    inter = await fake_discord.send_command("brief", options={"topic": "sanctions"})
    first = await inter.response(timeout=3)
    assert first.type == 5 and first.latency < 3  # deferred in time
    answer = await inter.answer(timeout=5)
    assert answer["embeds"][0]["title"] == "On “sanctions”"
