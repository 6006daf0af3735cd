from __future__ import annotations

import pytest

from tests.cogs.conftest import EPHEMERAL, button, new_member, run


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    """These commands end to end on both storage backends (the bot fixture opens the one asked for)."""
    return request.param


SEED0 = "warning-is-china-pivoting-back-to-north-korea"


async def add_quoted_article(bot, articles_dir, n: int = 12) -> None:
    paras = [f"“Point {i} about the harbour matters to the whole city,” said Mayor Ann Lee." for i in range(n)]
    (articles_dir / "quoted.txt").write_text("Harbour Quotes\n\n" + "\n\n".join(paras) + "\n")
    await bot.library.sync()


async def test_quotes_of_an_article(fake_discord, bot):
    _, data = await run(fake_discord, "quotes", article=SEED0)
    embed = data["embeds"][0]
    assert "no connection" in embed["description"] and "Daniel Russel" in embed["description"]
    assert embed["footer"]["text"].endswith("1 quotation")


async def test_keyword_across_the_library_ignores_case_and_accents(fake_discord, bot, articles_dir):
    (articles_dir / "cafe.txt").write_text("Café Talk\n\n“The café will reopen in spring,” said Zoë Martin.\n")
    await bot.library.sync()
    _, data = await run(fake_discord, "quotes", keyword="CAFE")
    assert "reopen in spring" in data["embeds"][0]["description"]
    _, data = await run(fake_discord, "quotes", keyword="zoe")
    assert "Zoë Martin" in data["embeds"][0]["description"]


async def test_keyword_within_article(fake_discord, bot):
    _, data = await run(fake_discord, "quotes", keyword="connection", article=SEED0)
    assert "“no **connection**” — Daniel Russel" in data["embeds"][0]["description"]
    _, data = await run(fake_discord, "quotes", keyword="harbour", article=SEED0)
    assert data["content"].startswith("No quotations matching “harbour” in")


async def test_neither_keyword_nor_article(fake_discord, bot):
    _, data = await run(fake_discord, "quotes")
    assert data["flags"] & EPHEMERAL and "Give a keyword" in data["content"]


async def test_pages_turn_for_the_asker_only(fake_discord, bot, articles_dir):
    await add_quoted_article(bot, articles_dir)
    inter, data = await run(fake_discord, "quotes", keyword="harbour")
    assert data["embeds"][0]["footer"]["text"].startswith("Page 1 of 3")
    assert button(data, "Previous")["disabled"]
    click = await fake_discord.send_component(inter.message, button(data, "Next")["custom_id"])
    page2 = (await click.response(timeout=3)).data
    assert page2["embeds"][0]["footer"]["text"].startswith("Page 2 of 3")
    stranger = new_member(fake_discord, "stranger")
    click = await fake_discord.send_component(inter.message, button(data, "Next")["custom_id"], user=stranger)
    refused = (await click.response(timeout=3)).data
    assert refused["flags"] & EPHEMERAL


HOSTILE = [
    '"',
    "*",
    "NEAR(",
    "OR",
    "-",
    ":",
    "^",
    "(x AND y)",
    '"unbalanced',
    "x" * 1000,
    "😀🚀",
    "مرحبا",
    "!!!...",
    "   ",
    "@everyone",
    "**bold** `code`",
    "'; DROP TABLE quotes; --",
    "speaker:Russel",
]


@pytest.mark.parametrize("keyword", HOSTILE)
async def test_any_keyword_gets_results_or_a_polite_answer(fake_discord, bot, keyword):
    _, data = await run(fake_discord, "quotes", keyword=keyword, user=new_member(fake_discord))
    text = data.get("content") or data["embeds"][0]["description"]
    assert "something went wrong" not in text
    assert "@everyone" not in text.replace("@\u200beveryone", "")
    assert (await bot.library.reading.search_quotes("connection")).total == 1  # the index is intact


async def test_speaker_option_and_autocomplete(fake_discord, bot):
    inter = await fake_discord.send_autocomplete("quotes", {"speaker": "rus"}, focused="speaker")
    choices = (await inter.response(timeout=3)).data["choices"]
    assert choices[0]["value"] == "Daniel Russel" and choices[0]["name"] == "Daniel Russel (1)"
    _, data = await run(fake_discord, "quotes", speaker="Russel")
    assert "Daniel Russel" in data["embeds"][0]["description"]


async def test_passages_offered_when_no_quotation_matches(fake_discord, bot):
    _, data = await run(fake_discord, "quotes", keyword="refugee")
    embed = data["embeds"][0]
    assert embed["title"].startswith("Passages matching")
    assert "No quotation matches" in embed["description"] and "**refugee**" in embed["description"]
    assert "(not quotations)" in embed["footer"]["text"]


async def test_stemmed_search_through_the_bot(fake_discord, bot):
    _, data = await run(fake_discord, "quotes", keyword="connections")
    assert "“no **connection**”" in data["embeds"][0]["description"]


async def test_an_organisations_words_show_as_a_statement_from_it_in_quotes_and_brief(fake_discord, bot, articles_dir):
    """Through the real stack: the DNC's words are "a statement from the DNC", never shown as if a
    person said them; a person's stay the person's."""
    (articles_dir / "statement.txt").write_text(
        "Convention Schedule Dispute\n\n"
        "The convention schedule changed again on Monday after a week of talks.\n\n"
        "“We will not accept a schedule that shuts out our members,” the DNC said in a statement.\n\n"
        "“The schedule will be published in full on Friday morning,” said Ana Lopez, the organiser.\n"
    )
    await bot.library.sync()
    _, data = await run(fake_discord, "quotes", keyword="schedule")
    listing = data["embeds"][0]["description"]
    assert "— a statement from the DNC" in listing
    assert "— Ana Lopez" in listing and "statement from Ana" not in listing
    _, data = await run(fake_discord, "brief", article="convention schedule dispute")
    fields = {f["name"]: f["value"] for f in data["embeds"][0].get("fields", [])}
    assert "— a statement from the DNC" in fields["Key quotes"]
    assert data["allowed_mentions"]["parse"] == []
