"""Domain objects to Discord embeds: the one place that knows and enforces Discord's limits.

Every piece of article text is escaped (markdown and mentions) and cut to its limit here, and
the embed as a whole is kept under the 6,000-character total, so no article, however long or
odd, can make a response fail.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import discord
from discord.utils import escape_mentions

# The summary lengths /brief and /summary offer, shown as choices here; the cogs take them from here.
from bot.analysis.engine import SUMMARY_LENGTHS as SUMMARY_LENGTHS
from bot.core.models import (
    Article,
    ArticleRow,
    Author,
    Brief,
    Comparison,
    Feed,
    Quote,
    RequestRecord,
    Subscription,
    TopicBrief,
)
from bot.core.query import COUNT_CAP, HIGHLIGHT_CLOSE, HIGHLIGHT_OPEN, RANK_WINDOW
from bot.core.wording import about_author, author_names, byline, feed_lines, plural, speaker_line

MESSAGE_LIMIT = 2000
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_COUNT_LIMIT = 25
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048
AUTHOR_LIMIT = 256
EMBED_TOTAL_LIMIT = 6000
CHOICE_LIMIT = 25
CHOICE_NAME_LIMIT = 100
URL_LIMIT = 2048

# The summary is what people come for: it gets its space before the fields share the rest.
DESCRIPTION_BUDGET = 3500

COLOUR = discord.Colour.from_rgb(47, 128, 237)
NO_MENTIONS = discord.AllowedMentions.none()


# Discord's markdown, escaped as discord.utils.escape_markdown does (links left alone, so they stay
# clickable) but in time linear in the text: its masked-link pattern backtracks cubically, so a
# sentence of "[a](" repeated 10,000 times kept the event loop busy for 20 seconds. Every "["
# is escaped, which also disarms every masked link, not only the first of a line.
_MARKDOWN = re.compile(
    r"(?P<url><[^:<> ]+:/[^ <>]+>|(?:https?|steam)://[^\s<]+[^<.,:;\"'\]\s])"
    r"|(?P<markdown>[_\\~|*`\[]|^>(?:>>)?\s|^#{1,3}|^[ \t]*-)",
    re.MULTILINE,
)
# Nothing longer is ever shown (an embed holds 6,000 characters), so nothing longer is escaped.
CLEAN_INPUT_LIMIT = 12_000


def escape_markdown(text: str) -> str:
    return _MARKDOWN.sub(lambda m: m.group("url") or "\\" + m.group("markdown"), text)


def clean(text: str) -> str:
    """Article text made inert: markdown shown as typed, mentions unable to resolve."""
    return escape_mentions(escape_markdown(text[:CLEAN_INPUT_LIMIT]))


def cut(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut at a word boundary with an ellipsis when shortened."""
    if len(text) <= limit:
        return text
    if limit <= 1:
        return text[:limit]
    head = text[: limit - 1]
    space = head.rfind(" ")
    if space > limit * 0.6:
        head = head[:space]
    # Never leave a dangling escape backslash at the cut.
    while head.endswith("\\"):
        head = head[:-1]
    return head.rstrip() + "…"


def choice_name(title: str) -> str:
    return cut(" ".join(title.split()), CHOICE_NAME_LIMIT) or "untitled"


def link_url(url: str | None, limit: int = URL_LIMIT) -> str | None:
    """``url`` if Discord accepts it as a link (an embed's url, a link button's), else ``None``.

    Discord refuses a whole message, with every embed in it, when one URL is not a well-formed
    http or https address with a host ("https://", "https://[::1", a bad port, whitespace or
    control characters). An article's URL comes from a file or a feed, so it is checked here,
    where it is rendered: a bad link is dropped and the answer is still sent.
    """
    if not url or len(url) > limit or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return None
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a port out of range
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


def _attribution(q: Quote) -> str:
    """ "— Speaker, description", escaped and cut."""
    return "— " + clean(cut(speaker_line(q), 200))


def quote_line(q: Quote, limit: int = FIELD_VALUE_LIMIT) -> str:
    attribution = _attribution(q)
    body = cut(clean(q.text), max(20, limit - len(attribution) - 4))
    return f"“{body}” {attribution}"


class _Budget:
    """Tracks the 6,000-character total across an embed's parts."""

    def __init__(self, total: int = EMBED_TOTAL_LIMIT) -> None:
        self.left = total

    def take(self, text: str, limit: int) -> str:
        text = cut(text, min(limit, self.left))
        self.left -= len(text)
        return text


def _byline(a: Article) -> str | None:
    return byline(a.authors, a.publication)


def brief_embed(brief: Brief, length_label: str | None = None) -> discord.Embed:
    a = brief.article
    budget = _Budget()
    title = budget.take(clean(a.title), TITLE_LIMIT)
    footer_parts = [f"{brief.words:,} words · {brief.reading_minutes} min read"]
    if brief.total_sentences:
        footer_parts.append(f"summary: {len(brief.summary)} of {brief.total_sentences} sentences")
    if length_label:
        footer_parts.append(length_label)
    footer = budget.take(" · ".join(footer_parts), FOOTER_LIMIT)

    byline = _byline(a)
    author_line = budget.take(clean(byline), AUTHOR_LIMIT) if byline else None

    parts: list[str] = []
    if a.standfirst:
        parts.append(f"*{cut(clean(a.standfirst), 500)}*")
    parts.extend(f"• {clean(s)}" for s in brief.summary)
    description = budget.take("\n".join(parts), DESCRIPTION_BUDGET)

    fields: list[tuple[str, str]] = []
    if a.preview_only:
        fields.append(
            (
                "Preview only",
                "The source cut this article short with a paywall; the brief covers the part that is free.",
            )
        )
    key = brief.key_quotes
    if key:
        per_quote = (FIELD_VALUE_LIMIT - 2 * len(key)) // len(key)
        fields.append(("Key quotes", "\n".join(quote_line(q, per_quote) for q in key)))
    if brief.keywords:
        fields.append(("Keywords", ", ".join(clean(k) for k in brief.keywords)))
    author = a.author
    about = about_author(author, named=False) if author is not None else None
    if author is not None and about:
        fields.append((f"About {clean(author.name)}", clean(about)))
    if brief.related:
        fields.append(("Related", "\n".join(clean(r) for r in brief.related)))

    name_cost = sum(min(len(n), FIELD_NAME_LIMIT) for n, _ in fields[:FIELD_COUNT_LIMIT])
    budget.left -= name_cost
    field_values = [budget.take(v, FIELD_VALUE_LIMIT) for _, v in fields[:FIELD_COUNT_LIMIT]]

    embed = discord.Embed(title=title, url=link_url(a.url), description=description, colour=COLOUR)
    if author_line:
        embed.set_author(name=author_line)
    for (name, _), value in zip(fields, field_values, strict=False):
        if value:
            embed.add_field(name=cut(name, FIELD_NAME_LIMIT), value=value, inline=False)
    embed.set_footer(text=footer)
    return embed


def summary_embed(brief: Brief, length_label: str | None = None) -> discord.Embed:
    """Only the summary, with the title, byline and reading time."""
    a = brief.article
    budget = _Budget()
    embed = discord.Embed(title=budget.take(clean(a.title), TITLE_LIMIT), url=link_url(a.url), colour=COLOUR)
    byline = _byline(a)
    if byline:
        embed.set_author(name=budget.take(clean(byline), AUTHOR_LIMIT))
    footer = f"{len(brief.summary)} of {brief.total_sentences} sentences · {brief.reading_minutes} min read"
    if length_label:
        footer += f" · {length_label}"
    embed.set_footer(text=budget.take(footer, FOOTER_LIMIT))
    lines = [f"• {clean(s)}" for s in brief.summary]
    if a.preview_only:
        lines.append("*Preview only: the source cut this article short with a paywall.*")
    embed.description = budget.take("\n".join(lines), DESCRIPTION_LIMIT)
    return embed


QUOTES_PER_PAGE = 5
ROWS_PER_PAGE = 10


def pages_for(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))


def quote_pages(total: int) -> int:
    """Pages of quotations to turn through for ``total`` matches: the best RANK_WINDOW of them (the
    footer still gives the total)."""
    return pages_for(min(total, RANK_WINDOW), QUOTES_PER_PAGE)


def count_label(total: int, noun: str) -> str:
    """ "3 quotations", or "1,000+ quotations" when a search stopped counting at its cap."""
    if total > COUNT_CAP:
        return f"{COUNT_CAP:,}+ {noun}s"
    return f"{total:,} {noun}{'s' if total != 1 else ''}"


def highlight(marked: str, limit: int) -> str:
    """Text with search matches between HIGHLIGHT_OPEN/CLOSE markers, escaped and cut to ``limit``,
    matches in bold. Cut first, then close a match the cut left open, so the bold always pairs."""
    text = cut(clean(marked), limit - 8)
    if text.count(HIGHLIGHT_OPEN) > text.count(HIGHLIGHT_CLOSE):
        text = text.removesuffix("…") + HIGHLIGHT_CLOSE + ("…" if text.endswith("…") else "")
    return text.replace(HIGHLIGHT_OPEN, "**").replace(HIGHLIGHT_CLOSE, "**")


def quotes_embed(
    heading: str, entries: list[tuple[str, Quote, str]], page: int, pages: int, total: int, note: str | None = None
) -> discord.Embed:
    """A page of quotations, each as (article title, quote, its text with matches marked)."""
    budget = _Budget()
    embed = discord.Embed(title=budget.take(clean(heading), TITLE_LIMIT), colour=COLOUR)
    footer = f"Page {page + 1} of {pages} · {count_label(total, 'quotation')}"
    embed.set_footer(text=budget.take(footer + (f" · {note}" if note else ""), FOOTER_LIMIT))
    per_entry = (DESCRIPTION_LIMIT - 100) // max(1, len(entries))
    blocks = []
    for title, q, marked in entries:
        attribution = _attribution(q)
        body = highlight(marked, max(40, per_entry - len(attribution) - 160))
        blocks.append(f"“{body}” {attribution}\n*in {cut(clean(title), 150)}*")
    embed.description = budget.take("\n\n".join(blocks) or "Nothing here.", DESCRIPTION_LIMIT)
    return embed


def passages_embed(heading: str, entries: list[tuple[str, str]], page: int, pages: int, total: int) -> discord.Embed:
    """A page of article passages (sentences, not quotations), labelled as such."""
    budget = _Budget()
    embed = discord.Embed(title=budget.take(clean(heading), TITLE_LIMIT), colour=COLOUR)
    embed.set_footer(text=f"Page {page + 1} of {pages} · {count_label(total, 'passage')} (not quotations)")
    per_entry = (DESCRIPTION_LIMIT - 300) // max(1, len(entries))
    blocks = [f"> {highlight(marked, per_entry - 160)}\n*in {cut(clean(title), 150)}*" for title, marked in entries]
    intro = "No quotation matches, but these passages of articles do:\n\n"
    embed.description = budget.take(intro + "\n\n".join(blocks), DESCRIPTION_LIMIT)
    return embed


def author_embed(
    article_title: str,
    authors: list[Author] | tuple[Author, ...],
    publication: str | None,
    others: list[str],
) -> discord.Embed:
    """Who wrote an article: name, role, bio, publication, and their other articles here."""
    budget = _Budget()
    if not authors:
        embed = discord.Embed(title=budget.take(clean(article_title), TITLE_LIMIT), colour=COLOUR)
        text = "This article names no author."
        if publication:
            text += f" It was published by {clean(publication)}."
        embed.description = text
        return embed
    names = author_names(authors)
    embed = discord.Embed(title=budget.take(clean(names), TITLE_LIMIT), colour=COLOUR)
    embed.set_author(name=budget.take("Author of " + clean(article_title), AUTHOR_LIMIT))
    for author in authors[:5]:
        parts = []
        if author.credit:  # "Translator", "Additional reporting"
            parts.append(f"**{author.credit[:1].upper()}{author.credit[1:]}**")
        elif author.role:
            parts.append(f"**{cut(clean(author.role), 300)}**")
        if author.bio:
            parts.append(clean(author.bio))
        if parts:
            label = f"About {author.name}" if len(authors) > 1 else "About"
            embed.add_field(
                name=cut(clean(label), FIELD_NAME_LIMIT), value=budget.take("\n".join(parts), 1000), inline=False
            )
    if publication:
        embed.add_field(name="Publication", value=budget.take(clean(publication), 200), inline=True)
    if others:
        listing = "\n".join(f"• {cut(clean(t), 120)}" for t in others[:10])
        if len(others) > 10:
            listing += f"\n…and {len(others) - 10} more"
        embed.add_field(name="Also in the library", value=budget.take(listing, FIELD_VALUE_LIMIT), inline=False)
    else:
        embed.add_field(name="Also in the library", value="No other articles by this author.", inline=False)
    return embed


def articles_embed(rows: list[ArticleRow], page: int, pages: int, total: int) -> discord.Embed:
    budget = _Budget()
    embed = discord.Embed(title="The library, newest first", colour=COLOUR)
    embed.set_footer(text=f"Page {page + 1} of {pages} · {total:,} article{'s' if total != 1 else ''}")
    lines = []
    for r in rows:
        meta = [r.author or "no author named", f"{r.words:,} words"]
        lines.append(f"**{cut(clean(r.title), 200)}**\n{cut(clean(' · '.join(meta)), 150)} · `{r.slug}`")
    embed.description = budget.take("\n".join(lines) or "The library is empty.", DESCRIPTION_LIMIT)
    return embed


def cite(row: ArticleRow, limit: int = 200, *, named: bool = True) -> str:
    """An article cited: its title (or, not ``named``, "Read it") linked to its URL, or, without
    one, with its slug as /brief's argument. A title's brackets and a URL's parentheses are escaped
    so the link cannot break."""
    title = cut(clean(row.title), limit).replace("]", "\\]") if named else "Read it"
    url = link_url(row.url, 500)  # a citation among others: a long address must not crowd them out
    if url:
        return f"**[{title}]({url.replace('(', '%28').replace(')', '%29')})**"
    return f"**{title}** · `/brief article:{row.slug}`" if named else f"`/brief article:{row.slug}`"


def topic_embed(brief: TopicBrief) -> discord.Embed:
    """`/brief topic:`: each article on the topic, newest first, cited, with its sentence that speaks
    most to the topic (the topic's words in bold)."""
    budget = _Budget()
    embed = discord.Embed(title=budget.take(f"On “{clean(brief.topic)}”", TITLE_LIMIT), colour=COLOUR)
    footer = f"{len(brief.entries)} of {plural(brief.matched, 'article')} on this topic, newest first"
    embed.set_footer(text=budget.take(footer + " · each in its own words", FOOTER_LIMIT))
    per_entry = DESCRIPTION_BUDGET // max(1, len(brief.entries))
    blocks = []
    for entry in brief.entries:
        heading = cite(entry.article, min(200, per_entry // 3))
        blocks.append(f"{heading}\n> {highlight(entry.marked, max(60, per_entry - len(heading) - 8))}")
    embed.description = budget.take("\n\n".join(blocks), DESCRIPTION_LIMIT)
    return embed


def compare_embed(comparison: Comparison) -> discord.Embed:
    """`/compare`: what each article says that the other does not, newer first, in its own sentences."""
    budget = _Budget()
    embed = discord.Embed(title="What each says that the other does not", colour=COLOUR)
    budget.left -= len(embed.title or "")
    embed.set_footer(text=budget.take("Newer first · their own sentences, in article order", FOOTER_LIMIT))
    for side in (comparison.first, comparison.second):
        name = budget.take(clean(side.article.title), FIELD_NAME_LIMIT)
        link = cite(side.article, named=False)
        per_point = (FIELD_VALUE_LIMIT - len(link) - 10) // max(1, len(side.points))
        points = [f"• {cut(clean(p), per_point - 3)}" for p in side.points] or ["Nothing the other does not say."]
        embed.add_field(name=name, value=budget.take("\n".join([*points, link]), FIELD_VALUE_LIMIT), inline=False)
    return embed


# How /history names the commands recorded under another name than their own.
COMMAND_LABELS = {"topic": "brief topic"}


def history_embed(records: list[RequestRecord], page: int, pages: int, total: int) -> discord.Embed:
    embed = discord.Embed(title="Your briefs", colour=COLOUR)
    embed.set_footer(
        text=f"Page {page + 1} of {pages} · {total:,} record{'s' if total != 1 else ''} · /forget deletes them"
    )
    lines = []
    for rec in records:
        when = discord.utils.format_dt(datetime.fromisoformat(rec.created_at), "R")
        title = cut(clean(rec.title), 150) if rec.title else f"an article no longer in the library (`{rec.article_id}`)"
        lines.append(f"{when} · `/{COMMAND_LABELS.get(rec.command, rec.command)}` · {title}")
    embed.description = cut("\n".join(lines) or "You have not asked for any briefs yet.", DESCRIPTION_LIMIT)
    return embed


def subscriptions_embed(subs: list[Subscription]) -> discord.Embed:
    embed = discord.Embed(title="Subscriptions in this server", colour=COLOUR)
    if not subs:
        embed.description = "No channel is subscribed. `/subscribe` posts new articles to a channel."
        return embed
    lines = []
    for s in subs:
        what = (
            "articles mentioning " + ", ".join(f"“{clean(k)}”" for k in s.keywords) if s.keywords else "every article"
        )
        line = f"<#{s.channel_id}>: {what}, {_mode_line(s)}"
        if s.paused:
            line += f"\n⏸ paused: {clean(s.paused_reason or 'unknown reason')}. Fix it, then `/subscribe` again."
        lines.append(line)
    embed.description = cut("\n".join(lines), DESCRIPTION_LIMIT)
    embed.set_footer(text=f"{len(subs)} subscribed channel{'s' if len(subs) != 1 else ''}")
    return embed


def _mode_line(s: Subscription) -> str:
    """How a channel gets its articles: each as it comes, or a digest and when the next is due."""
    if s.next_digest is None:
        return "each as it comes"
    due = datetime.fromisoformat(s.next_digest)
    return f"{s.digest} digest, next {discord.utils.format_dt(due, 'f')} ({discord.utils.format_dt(due, 'R')})"


# A digest lists each article with its title, link and first summary sentence, as fields, split
# into as many messages (one embed each) as Discord's field count and 6,000-character total need.
DIGEST_SENTENCE_LIMIT = 200
DIGEST_URL_LIMIT = 300
DIGEST_NAME_LIMIT = 150
_DIGEST_FRAME = 400  # room kept in each embed for its title, description and footer
# A digest part holds a fixed number of articles, by position, so that a part retried after a crash
# holds the same articles whatever changed since (a summary upgraded, an article removed): a part
# of the longest fields (name 150, value 200 + link 300 + markup) stays within 6,000 characters.
DIGEST_PER_PART = 8
DIGEST_GONE = ("An article no longer in the library", "It was removed before this digest was posted.")


def digest_title(mode: str, start: str, end: str) -> str:
    first, last = datetime.fromisoformat(start), datetime.fromisoformat(end) - timedelta(seconds=1)
    if first.date() == last.date():
        when = f"{first:%A} {first.day} {first:%B %Y}"
    else:
        year = f" {first:%Y}" if first.year != last.year else ""
        when = f"{first.day} {first:%B}{year} – {last.day} {last:%B %Y}"
    return f"{mode.capitalize()} digest: {when}"


def _digest_field(brief: Brief | None) -> tuple[str, str]:
    if brief is None:
        return DIGEST_GONE
    a = brief.article
    sentence = cut(clean(brief.summary[0]), DIGEST_SENTENCE_LIMIT) if brief.summary else ""
    url = link_url(a.url, DIGEST_URL_LIMIT)
    where = f"[Read the article]({url})" if url else f"`/brief article:{cut(a.slug, 200)}`"
    return cut(clean(a.title), DIGEST_NAME_LIMIT) or "untitled", f"{sentence}\n{where}" if sentence else where


def digest_messages(mode: str, start: str, end: str, briefs: list[Brief | None]) -> list[list[discord.Embed]]:
    """A period's digest as messages (each a list of embeds, here one), every one within Discord's
    limits: DIGEST_PER_PART articles a message, by their place in the digest, so that each part
    keeps its articles (and its nonce) when a post is retried. ``None`` is an article removed
    since the period closed: it keeps its place, said to be gone."""
    title = digest_title(mode, start, end)
    fields = [_digest_field(b) for b in briefs]
    groups = [fields[i : i + DIGEST_PER_PART] for i in range(0, len(fields), DIGEST_PER_PART)] or [[]]
    span = " to ".join(discord.utils.format_dt(datetime.fromisoformat(t), "f") for t in (start, end))
    messages = []
    for i, group in enumerate(groups):
        embed = discord.Embed(title=title if i == 0 else f"{title} (continued)", colour=COLOUR)
        if i == 0:
            embed.description = f"New articles from {span}."
        for name, value in group:
            embed.add_field(name=name, value=value, inline=False)
        embed.set_footer(text=f"Part {i + 1} of {len(groups)} · {plural(len(briefs), 'article')}")
        messages.append([embed])
    return messages


def feeds_embed(feeds: list[Feed]) -> discord.Embed:
    """`/feeds list`: each feed with its interval, item count and state (why it is disabled)."""
    embed = discord.Embed(title="Feeds", colour=COLOUR)
    if not feeds:
        embed.description = "No feeds. `/feeds add` or BRIEFBOT_FEEDS adds one."
        return embed
    lines = ["\n".join(feed_lines(f, clean)) for f in feeds]
    embed.description = cut("\n\n".join(lines), DESCRIPTION_LIMIT)
    embed.set_footer(text=plural(len(feeds), "feed"))
    return embed


def help_embed(
    slash_commands: list[discord.app_commands.Command], menus: list[discord.app_commands.ContextMenu] = ()
) -> discord.Embed:
    """`/help`: every slash command with what it does, an example or two (the ``example`` in each
    command's ``extras``), and who may use it where (servers only, a permission Discord asks for);
    then each message menu command, with where to find it."""
    embed = discord.Embed(
        title="What I can do",
        description=(
            "I brief you on the articles in this library, in their own words: every sentence I show "
            "is the article's. Start typing an article's title and I suggest matches."
        ),
        colour=COLOUR,
    )
    budget = _Budget(EMBED_TOTAL_LIMIT - len(embed.title or "") - len(embed.description or ""))
    for command in slash_commands[:FIELD_COUNT_LIMIT]:
        lines = [command.description]
        example = command.extras.get("example")
        for text in (example,) if isinstance(example, str) else example or ():
            lines.append(f"Example: `{text}`")
        limits = _who_may(command)
        if limits:
            lines.append(f"*{limits}*")
        name = budget.take("/" + command.qualified_name, FIELD_NAME_LIMIT)
        embed.add_field(name=name, value=budget.take("\n".join(lines), FIELD_VALUE_LIMIT), inline=False)
    for menu in menus[: FIELD_COUNT_LIMIT - len(embed.fields)]:
        where = menu.extras.get("example") or f"a message > Apps > {menu.name}"
        text = f"{menu.extras.get('description', '')}\nRight-click (or long-press) {where}".strip()
        embed.add_field(
            name=budget.take(menu.name, FIELD_NAME_LIMIT),
            value=budget.take(text, FIELD_VALUE_LIMIT),
            inline=False,
        )
    embed.set_footer(text=budget.take("Only you see this. Buttons answer only whoever ran the command.", FOOTER_LIMIT))
    return embed


def _who_may(command: discord.app_commands.Command) -> str:
    parent = command.parent
    guild_only = command.guild_only or bool(parent and parent.guild_only)
    permissions = command.default_permissions or (parent.default_permissions if parent else None)
    parts = []
    if command.extras.get("who"):
        parts.append(command.extras["who"])
    if guild_only:
        parts.append("in servers only")
    if permissions is not None and permissions.value:
        names = [name.replace("_", " ").title() for name, granted in permissions if granted]
        parts.append("needs " + " and ".join(names))
    return " · ".join(parts)


def shared_by(mention: str) -> str:
    """The line over a brief a member posted to the channel from their private one (sent with
    NO_MENTIONS: the name shows, no one is pinged)."""
    return f"Brief shared by {mention}"
