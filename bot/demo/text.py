"""A Discord message as a person reads it, in plain text: its content, its embeds (author line,
title, description, fields, footer) with Discord's markdown rendered away, and its buttons and menus
listed. It reads the JSON payloads Discord receives, so it knows nothing of discord.py."""

from __future__ import annotations

import re
import textwrap
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

Json = dict[str, Any]

EPHEMERAL = 1 << 6
INDENT = "  "

# Markdown a reader never sees as typed: bold, italics, underline, strike-through, spoilers and
# inline code markers (when not escaped), then the escapes themselves ("\*" is shown as "*").
_MARKERS = re.compile(r"(?<!\\)(\*\*|__|~~|\|\||\*|`)")
_ESCAPED = re.compile(r"\\([_\\~|*`\[\]()<>#.:-])")
_MASKED_LINK = re.compile(r"(?<!\\)\[([^\]\n]+)\]\((\S+?)\)")
_HEADING = re.compile(r"^#{1,3} ", re.MULTILINE)
_TIMESTAMP = re.compile(r"<t:(-?\d{1,13})(?::([tTdDfFR]))?>")
# Discord's timestamp styles (its "Message Formatting" reference), shown here in UTC.
_STYLES = {
    "t": "%H:%M",
    "T": "%H:%M:%S",
    "d": "%d/%m/%Y",
    "D": "%-d %B %Y",
    "f": "%-d %B %Y %H:%M",
    "F": "%A, %-d %B %Y %H:%M",
}


def timestamp(seconds: int, style: str | None, now: float | None = None) -> str:
    """A ``<t:seconds:style>`` as Discord shows it, in UTC (Discord uses the reader's time zone)."""
    if style == "R":
        delta = seconds - (time.time() if now is None else now)
        units = ((86400 * 365, "year"), (86400 * 30, "month"), (86400, "day"), (3600, "hour"), (60, "minute"))
        size, unit = next(((n, u) for n, u in units if abs(delta) >= n), (1, "second"))
        count = int(abs(delta) // size)
        span = f"{count} {unit}{'' if count == 1 else 's'}"
        return f"in {span}" if delta >= 0 else f"{span} ago"
    try:
        moment = datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):  # beyond what a date can hold: shown as typed
        return f"<t:{seconds}{':' + style if style else ''}>"
    return moment.strftime(_STYLES[style or "f"]) + " UTC"


def plain(markdown: str) -> str:
    """Discord markdown as the reader sees it: markers gone, escapes undone, masked links as
    "text <url>", block quotes kept as "> " (the visible bar)."""
    text = _MASKED_LINK.sub(lambda m: f"{m.group(1)} <{m.group(2).strip('<>')}>", markdown)
    text = _HEADING.sub("", text)
    text = _TIMESTAMP.sub(lambda m: timestamp(int(m.group(1)), m.group(2)), text)
    text = _MARKERS.sub("", text)
    return _ESCAPED.sub(r"\1", text)


def _wrapped(text: str, width: int, indent: str) -> list[str]:
    """Each line of ``text`` wrapped to ``width``, a bullet's or quote's continuation lines
    indented under its text."""
    out: list[str] = []
    for line in text.splitlines():
        if not line.strip():
            out.append("")
            continue
        lead = re.match(r"\s*(?:[•\-]\s|>\s|\d+\.\s)?", line)
        hang = " " * len(lead.group(0)) if lead else ""
        out += textwrap.wrap(
            line,
            width=max(20, width - len(indent)),
            initial_indent="",
            subsequent_indent=hang,
            break_on_hyphens=False,
        ) or [""]
    return [f"{indent}{line}".rstrip() for line in out]


def render_embed(embed: Json, width: int = 88, indent: str = INDENT) -> list[str]:
    lines: list[str] = []

    def block(text: str | None, extra: str = "") -> None:
        if text:
            lines.extend(_wrapped(plain(text), width, indent + extra))

    author = (embed.get("author") or {}).get("name")
    block(author)
    title = embed.get("title")
    if title:
        url = embed.get("url")
        block(title + (f" <{url}>" if url else ""))
    if embed.get("description"):
        if lines:
            lines.append("")
        block(embed["description"])
    for field in embed.get("fields") or []:
        lines.append("")
        block(field.get("name"))
        block(field.get("value"), INDENT)
    footer = (embed.get("footer") or {}).get("text")
    if footer:
        lines.append("")
        block(footer)
    return lines


def render_components(rows: Iterable[Json], indent: str = INDENT) -> list[str]:
    """Buttons as ``[Label]`` (greyed-out ones marked), link buttons with their address, select
    menus with their placeholder and options."""
    lines: list[str] = []
    for row in rows:
        buttons: list[str] = []
        for c in row.get("components") or []:
            if c.get("type") == 2:  # a button
                label = c.get("label") or (c.get("emoji") or {}).get("name") or "?"
                note = " (disabled)" if c.get("disabled") else ""
                link = f" <{c['url']}>" if c.get("url") else ""
                buttons.append(f"[{label}]{link}{note}")
            elif c.get("type") in (3, 5, 6, 7, 8):  # a select menu
                options = [o.get("label", "?") for o in c.get("options") or []]
                head = f"[menu: {c.get('placeholder') or 'choose'}]"
                lines.append(f"{indent}{head}")
                lines += [f"{indent}{INDENT}- {label}" for label in options]
        if buttons:
            lines.append(f"{indent}buttons: {'  '.join(buttons)}")
    return lines


def render_message(message: Json, width: int = 88, indent: str = INDENT) -> str:
    """The whole message: ``content``, then each embed, then its components."""
    lines: list[str] = []
    if message.get("flags", 0) & EPHEMERAL:
        lines.append(f"{indent}(only you can see this)")
    if message.get("content"):
        lines += _wrapped(plain(message["content"]), width, indent)
    for embed in message.get("embeds") or []:
        if lines:
            lines.append("")
        lines += render_embed(embed, width, indent)
    components = render_components(message.get("components") or [], indent)
    if components:
        lines.append("")
        lines += components
    return "\n".join(lines) if lines else f"{indent}(an empty message)"
