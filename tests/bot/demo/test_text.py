"""A message's JSON as a person reads it in Discord: markdown rendered away, embeds in reading
order, buttons and menus listed."""

from __future__ import annotations

from bot.demo.text import plain, render_components, render_embed, render_message


def test_markdown_markers_go_and_escapes_are_undone():
    assert plain("**Key** *quotes* __and__ ~~not~~ `code`") == "Key quotes and not code"
    assert plain(r"5 \* 3 is not \*\*bold\*\*, and a\_b stays") == "5 * 3 is not **bold**, and a_b stays"
    assert plain("see [the page](https://example.com/a)") == "see the page <https://example.com/a>"
    assert plain("## Heading\n> quoted") == "Heading\n> quoted"


def test_an_embed_reads_top_to_bottom():
    embed = {
        "author": {"name": "By Jane Doe"},
        "title": "A Title",
        "description": "*Standfirst.*\n• First sentence of the summary.",
        "fields": [{"name": "Key quotes", "value": "“We will,” — **Ana Ruiz**, director"}],
        "footer": {"text": "120 words · 1 min read"},
    }
    lines = render_embed(embed, width=80)
    assert lines == [
        "  By Jane Doe",
        "  A Title",
        "",
        "  Standfirst.",
        "  • First sentence of the summary.",
        "",
        "  Key quotes",
        "    “We will,” — Ana Ruiz, director",
        "",
        "  120 words · 1 min read",
    ]


def test_long_lines_wrap_with_bullets_hanging():
    lines = render_embed({"description": "• " + "word " * 40}, width=40)
    assert len(lines) > 3 and all(len(line) <= 40 for line in lines)
    assert lines[0].startswith("  • word") and all(line.startswith("    word") for line in lines[1:])


def test_buttons_and_menus_are_listed():
    rows = [
        {
            "type": 1,
            "components": [
                {"type": 2, "style": 2, "label": "Previous", "custom_id": "a", "disabled": True},
                {"type": 2, "style": 2, "label": "Next", "custom_id": "b"},
                {"type": 2, "style": 5, "label": "Read it", "url": "https://example.com/"},
            ],
        },
        {
            "type": 1,
            "components": [
                {"type": 3, "custom_id": "c", "placeholder": "Another article", "options": [{"label": "One"}]}
            ],
        },
    ]
    assert render_components(rows) == [
        "  buttons: [Previous] (disabled)  [Next]  [Read it] <https://example.com/>",
        "  [menu: Another article]",
        "    - One",
    ]


def test_a_private_answer_says_so():
    text = render_message({"content": "Subscribed: **#general** gets every new article.", "flags": 64})
    assert text.splitlines() == ["  (only you can see this)", "  Subscribed: #general gets every new article."]


def test_an_empty_message_is_not_blank():
    assert render_message({}) == "  (an empty message)"


def test_timestamps_are_shown_as_discord_shows_them_in_utc():
    from bot.demo.text import plain, timestamp

    assert plain("the next <t:1795824000:f>") == "the next 28 November 2026 00:00 UTC"
    assert plain("<t:1795824000>") == "28 November 2026 00:00 UTC"  # f is Discord's default
    assert plain("<t:1795824000:F> <t:1795824000:d> <t:1795824000:t>") == (
        "Saturday, 28 November 2026 00:00 UTC 28/11/2026 UTC 00:00 UTC"
    )
    assert timestamp(1795824000, "R", now=1795824000 - 7200) == "in 2 hours"
    assert timestamp(1795824000, "R", now=1795824000 + 86400 * 3) == "3 days ago"
    assert plain("<t:9999999999999:f>") == "<t:9999999999999:f>"  # no such date: left as typed
    assert plain("<t:12:x>") == "<t:12:x>"  # not a timestamp Discord knows
