from __future__ import annotations

import discord
import pytest

from bot.analysis.engine import analyse, make_brief
from bot.analysis.parsing import parse_article
from bot.core.models import Article, Brief, Quote, RawArticle, Subscription
from bot.discord_app.embeds import (
    AUTHOR_LIMIT,
    DESCRIPTION_LIMIT,
    EMBED_TOTAL_LIMIT,
    FIELD_NAME_LIMIT,
    FIELD_VALUE_LIMIT,
    FOOTER_LIMIT,
    TITLE_LIMIT,
    brief_embed,
    choice_name,
    cite,
    compare_embed,
    cut,
    digest_messages,
    link_url,
    quote_line,
    shared_by,
    subscriptions_embed,
    summary_embed,
    topic_embed,
)
from bot.localdiscord.check_message import validate_message

LOREM = "The committee met again on Tuesday to discuss the budget for the coming year in some detail."


def embed_for(text: str, title: str = "Title", **raw) -> discord.Embed:
    article = parse_article(RawArticle(text=text, title=title, **raw))
    return brief_embed(make_brief(article, analyse(article), 5), "long summary")


def assert_within_limits(embed: discord.Embed) -> None:
    assert len(embed) <= EMBED_TOTAL_LIMIT
    assert len(embed.title or "") <= TITLE_LIMIT
    assert len(embed.description or "") <= DESCRIPTION_LIMIT
    assert len(embed.footer.text or "") <= FOOTER_LIMIT
    assert len(embed.author.name or "") <= AUTHOR_LIMIT
    assert len(embed.fields) <= 25
    for f in embed.fields:
        assert 0 < len(f.name) <= FIELD_NAME_LIMIT
        assert 0 < len(f.value) <= FIELD_VALUE_LIMIT


def test_huge_article():
    text = "\n\n".join(
        f"{LOREM} “Point {i} is one we must make again and again,” said Jane Smith." for i in range(1700)
    )  # ~50,000 words
    embed = embed_for(text, title="T" * 300, author="A" * 400, url="https://example.com/" + "x" * 100)
    assert_within_limits(embed)
    assert embed.url.startswith("https://example.com/")


def test_giant_sentence_and_title():
    embed = embed_for(" ".join(["word"] * 1000) + ".", title="Long " * 60)
    assert_within_limits(embed)
    assert embed.description.endswith("…")


def test_mentions_and_markdown_are_inert():
    text = (
        "@everyone look at this **bold** claim and <@&123456789012345678> too. "
        "Also @here and <@123456789012345678> and `code` and ||spoiler||.\n\n" + LOREM
    )
    embed = embed_for(text, title="@everyone *title*")
    whole = embed.title + embed.description
    assert "@everyone" not in whole and "@here" not in whole
    assert "**bold**" not in whole and "\\*\\*bold\\*\\*" in whole
    assert "<@&123456789012345678>" not in whole


def test_non_http_url_is_not_linked():
    embed = embed_for(LOREM, url="javascript:alert(1)")
    assert embed.url is None


MALFORMED_URLS = [
    "https://",
    "https://[::1",
    "http://[::1]:99999/",
    "https://:443/no-host",
    "https:///path",
    "https://exa mple.com/",
    "https://example.com/\u0000",
    "https://example.com/\tx",
    "ftp://example.com/a",
    "//example.com/a",
    "https://example.com/" + "a" * 2030,
]


@pytest.mark.parametrize("url", MALFORMED_URLS)
def test_malformed_url_is_dropped_and_the_answer_kept(url):
    """Discord refuses a whole message over one malformed link (50035): the link goes, the brief stays."""
    assert link_url(url) is None
    article = parse_article(RawArticle(text=LOREM, title="Title", url=url))
    brief = make_brief(article, analyse(article), 5)
    for embed in (brief_embed(brief), summary_embed(brief)):
        assert embed.url is None and embed.title == "Title"
        assert validate_message({"embeds": [embed.to_dict()]}) is None


@pytest.mark.parametrize(
    "url",
    ["https://example.com/a?b=c#d", "http://例え.jp/記事", "https://[2001:db8::1]:8443/x", "HTTPS://EXAMPLE.COM/"],
)
def test_well_formed_url_is_linked(url):
    embed = embed_for(LOREM, url=url)
    assert embed.url == url == link_url(url)
    assert validate_message({"embeds": [embed.to_dict()]}) is None


def test_preview_notice_and_author_fields():
    article = parse_article(RawArticle(text=f"{LOREM}\n\nKeep reading for free!\n\nPitch.", title="T"))
    embed = brief_embed(make_brief(article, analyse(article)))
    assert any(f.name == "Preview only" for f in embed.fields)


@pytest.mark.parametrize("limit", [1, 2, 10, 100])
def test_cut(limit):
    text = "word " * 100
    out = cut(text, limit)
    assert len(out) <= limit
    assert cut("short", limit if limit >= 5 else 5) == "short"


def test_cut_never_ends_with_a_lone_escape():
    assert not cut("a" * 9 + "\\*" + "b" * 50, 11).rstrip("…").endswith("\\")


def test_choice_name():
    assert len(choice_name("x" * 300)) <= 100
    assert choice_name("  spaced\n out  ") == "spaced out"


def test_quote_line_fits():
    q = Quote(text="word " * 1000, speaker="S" * 500, context="", speaker_description="d" * 500)
    assert len(quote_line(q, 300)) <= 300


def test_count_label_caps():
    from bot.discord_app.embeds import count_label

    assert count_label(1, "quotation") == "1 quotation"
    assert count_label(1000, "quotation") == "1,000 quotations"
    assert count_label(1001, "passage") == "1,000+ passages"


def test_quotations_page_through_the_ranked_window_only():
    from bot.core.query import RANK_WINDOW
    from bot.discord_app.embeds import QUOTES_PER_PAGE, quote_pages

    assert quote_pages(0) == 1 and quote_pages(QUOTES_PER_PAGE + 1) == 2
    assert quote_pages(50_000) == RANK_WINDOW // QUOTES_PER_PAGE


def test_the_discord_layer_and_the_cogs_import_no_storage_analysis_or_sources_where_they_should_not():
    """embeds.py reads bot.core types only; the cogs talk to the Discord layer and the library."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]

    def imported(path: Path) -> set[str]:
        tree = ast.parse(path.read_text())
        return {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}

    assert not any(m.startswith("bot.storage") for m in imported(root / "bot" / "discord_app" / "embeds.py"))
    for cog in (root / "cogs").glob("*.py"):
        below = [m for m in imported(cog) if m.startswith(("bot.storage", "bot.analysis", "bot.sources"))]
        assert below == [], f"{cog.name} imports {below}"


def test_shared_by_names_the_member_without_pinging_them():
    assert shared_by("<@42>") == "Brief shared by <@42>"


def _row(title: str, url: str | None = None, slug: str = "a-slug"):
    from bot.core.models import ArticleRow

    return ArticleRow(
        id="0123456789abcdef",
        slug=slug,
        title=title,
        author=None,
        publication=None,
        url=url,
        published=None,
        words=100,
        preview_only=False,
        source_path=None,
        content_hash="h",
        file_size=None,
        file_mtime_ns=None,
        sort_time="2026-01-01T00:00:00+00:00",
        added_at="2026-01-01T00:00:00+00:00",
        retired_at=None,
    )


def test_a_citation_links_the_url_or_names_the_slug_and_cannot_break():
    assert cite(_row("Plain", "https://news.example/a")) == "**[Plain](https://news.example/a)**"
    assert cite(_row("Plain")) == "**Plain** · `/brief article:a-slug`"
    odd = cite(_row("Ti]tle [x](https://evil.example)", "https://news.example/a_(b)"))
    assert odd == "**[Ti\\]tle \\[x\\](https://evil.example)](https://news.example/a_%28b%29)**"
    assert cite(_row("Plain", "javascript:alert(1)")) == "**Plain** · `/brief article:a-slug`"
    assert cite(_row("Plain", "https://news.example/a"), named=False) == "**[Read it](https://news.example/a)**"


def test_topic_and_compare_embeds_stay_within_every_limit_and_never_ping():
    from bot.core.models import ComparedSide, Comparison, TopicBrief, TopicEntry

    hostile = "@everyone <@123456789012345678> **bold** " + "word " * 3000
    rows = [_row(hostile[:400] + str(i), f"https://news.example/{i}" * 50) for i in range(10)]
    entries = tuple(TopicEntry(r, hostile, "\ue000" + hostile + "\ue001") for r in rows)
    comparison = Comparison(ComparedSide(rows[0], (hostile,) * 3), ComparedSide(rows[1], ()))
    for embed in (topic_embed(TopicBrief(hostile, entries, 99)), compare_embed(comparison)):
        assert_within_limits(embed)
        assert validate_message({"embeds": [embed.to_dict()]}) is None
        text = str(embed.to_dict())
        assert "@everyone" not in text and "<@123456789012345678>" not in text
    assert compare_embed(comparison).fields[1].value.startswith("Nothing the other does not say.")


def test_an_organisations_quotation_is_attributed_as_a_statement_from_it():
    dnc = Quote("We will not stand for it", "the DNC", "", speaker_kind="organisation")
    assert quote_line(dnc).endswith("— a statement from the DNC")
    person = Quote("We will not stand for it", "Ana Lopez", "", speaker_kind="person")
    assert quote_line(person).endswith("— Ana Lopez")


def _digest_brief(i: int, *, title: str, sentence: str, url: str | None) -> Brief:
    article = Article(id=f"a{i}", slug=f"story-{i}", title=title, standfirst=None, paragraphs=(sentence,), url=url)
    return Brief(article=article, summary=(sentence,), quotes=(), keywords=())


def test_a_sixty_article_digest_splits_into_messages_discord_accepts():
    briefs = [
        _digest_brief(
            i,
            title=f"Story {i} @everyone " + "x" * 400,
            sentence="A sentence with *markdown* and @everyone " * 40,
            url=f"https://example.com/{i}/" + "p" * 300,
        )
        for i in range(60)
    ]
    messages = digest_messages("daily", "2026-11-27T00:00:00+00:00", "2026-11-28T00:00:00+00:00", briefs)
    assert len(messages) > 2
    names = []
    for i, embeds in enumerate(messages):
        assert 1 <= len(embeds) <= 10
        payload = {"embeds": [e.to_dict() for e in embeds]}
        assert validate_message(payload) is None, payload  # the fake's rules, Discord's limits
        assert sum(len(e) for e in embeds) <= EMBED_TOTAL_LIMIT
        [embed] = embeds
        assert embed.footer.text == f"Part {i + 1} of {len(messages)} · 60 articles"
        names += [f.name for f in embed.fields]
        assert not any("@everyone" in f.name + f.value for f in embed.fields)  # escaped: inert
    assert [n.split(" ")[1] for n in names] == [str(i) for i in range(60)]  # every article once, in order
    assert messages[0][0].title == "Daily digest: Friday 27 November 2026"
    assert messages[1][0].title.endswith("(continued)")
    # The same briefs always split the same way (a retried part keeps its place and nonce).
    again = digest_messages("daily", "2026-11-27T00:00:00+00:00", "2026-11-28T00:00:00+00:00", briefs)
    assert [[e.to_dict() for e in m] for m in again] == [[e.to_dict() for e in m] for m in messages]


def test_a_digest_links_each_article_or_names_its_slug():
    linked = _digest_brief(1, title="Harbour", sentence="The board met.", url="https://example.com/a")
    unlinked = _digest_brief(2, title="Opera", sentence="The season opened.", url="https://[::1")
    [[embed]] = digest_messages("weekly", "2026-11-23T00:00:00+00:00", "2026-11-30T00:00:00+00:00", [linked, unlinked])
    assert embed.title == "Weekly digest: 23 November – 29 November 2026"
    assert [f.value for f in embed.fields] == [
        "The board met.\n[Read the article](https://example.com/a)",
        "The season opened.\n`/brief article:story-2`",
    ]
    assert embed.description == "New articles from <t:1795392000:f> to <t:1795996800:f>."


def test_the_subscriptions_embed_shows_each_mode_and_the_next_digest():
    each = Subscription(1, 9, (), 5, "2026-11-27T10:00:00+00:00", None, None)
    daily = Subscription(
        2, 9, ("tosca",), 5, "2026-11-27T10:00:00+00:00", None, None, "daily", "2026-11-27T00:00:00+00:00"
    )
    lines = subscriptions_embed([each, daily]).description.split("\n")
    assert lines == [
        "<#1>: every article, each as it comes",
        "<#2>: articles mentioning “tosca”, daily digest, next <t:1795824000:f> (<t:1795824000:R>)",
    ]


def test_a_digests_parts_hold_the_same_articles_when_one_is_removed_or_its_summary_changes():
    """A part retried after a crash must hold the articles it held: parts go by place, never by length."""
    period = ("daily", "2026-11-27T00:00:00+00:00", "2026-11-28T00:00:00+00:00")
    briefs = [
        _digest_brief(i, title=f"Story {i}", sentence="Short.", url=f"https://example.com/{i}") for i in range(20)
    ]
    longer = [
        _digest_brief(i, title=f"Story {i}", sentence="Long. " * 60, url=f"https://example.com/{i}") for i in range(20)
    ]
    removed = [None if i == 3 else b for i, b in enumerate(briefs)]

    def parts(messages):
        return [[f.name for f in embed.fields] for [embed] in messages]

    first = parts(digest_messages(*period, briefs))
    assert [len(p) for p in first] == [8, 8, 4]
    assert parts(digest_messages(*period, longer)) == first
    gone = parts(digest_messages(*period, removed))
    assert gone[1:] == first[1:] and gone[0][3] == "An article no longer in the library"
    for messages in (digest_messages(*period, longer), digest_messages(*period, removed)):
        for embeds in messages:
            assert validate_message({"embeds": [e.to_dict() for e in embeds]}) is None
