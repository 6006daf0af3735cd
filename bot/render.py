"""Domain objects to Discord embeds: the one place that knows and enforces Discord's limits.

Every piece of article text is escaped (markdown and mentions) and cut to its limit here, and
the embed as a whole is kept under the 6,000-character total, so no article, however long or
odd, can make a response fail.
"""

from __future__ import annotations

import discord
from discord.utils import escape_markdown, escape_mentions

from bot.models import Brief, Quote

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


def clean(text: str) -> str:
    """Article text made inert: markdown shown as typed, mentions unable to resolve."""
    return escape_mentions(escape_markdown(text))


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


def _http_url(url: str | None) -> str | None:
    if url and url.startswith(("http://", "https://")) and len(url) <= URL_LIMIT and " " not in url:
        return url
    return None


def quote_line(q: Quote, limit: int = FIELD_VALUE_LIMIT) -> str:
    who = q.speaker or "unattributed"
    if q.speaker_description:
        who = f"{who}, {q.speaker_description}"
    attribution = "— " + clean(cut(who, 200))
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

    byline_bits = []
    if a.authors:
        byline_bits.append("By " + " and ".join(x.name for x in a.authors))
    if a.publication:
        byline_bits.append(a.publication)
    author_line = budget.take(clean(" · ".join(byline_bits)), AUTHOR_LIMIT) if byline_bits else None

    parts: list[str] = []
    if a.dek:
        parts.append(f"*{cut(clean(a.dek), 500)}*")
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
    if author is not None and (author.role or author.bio):
        fields.append((f"About {clean(author.name)}", clean(author.bio or author.role or "")))
    if brief.related:
        fields.append(("Related", "\n".join(clean(r) for r in brief.related)))

    name_cost = sum(min(len(n), FIELD_NAME_LIMIT) for n, _ in fields[:FIELD_COUNT_LIMIT])
    budget.left -= name_cost
    field_values = [budget.take(v, FIELD_VALUE_LIMIT) for _, v in fields[:FIELD_COUNT_LIMIT]]

    embed = discord.Embed(title=title, url=_http_url(a.url), description=description, colour=COLOUR)
    if author_line:
        embed.set_author(name=author_line)
    for (name, _), value in zip(fields, field_values, strict=False):
        if value:
            embed.add_field(name=cut(name, FIELD_NAME_LIMIT), value=value, inline=False)
    embed.set_footer(text=footer)
    return embed
