"""Slash commands typed as in Discord's message box, read against the registered commands' JSON;
what Discord's client would refuse is one clear line."""

from __future__ import annotations

import pytest

from bot.demo.commands import CommandError, convert, raw_options, split

LENGTH = {
    "type": 3,
    "name": "length",
    "choices": [{"name": "short (2 sentences)", "value": "short"}, {"name": "long (5 sentences)", "value": "long"}],
}
COMMANDS = [
    {"type": 1, "name": "brief", "options": [{"type": 3, "name": "article", "autocomplete": True}, LENGTH]},
    {"type": 1, "name": "summary", "options": [{"type": 3, "name": "article", "required": True}, LENGTH]},
    {
        "type": 1,
        "name": "subscribe",
        "options": [
            {"type": 7, "name": "channel"},
            {"type": 3, "name": "keywords"},
            {"type": 4, "name": "backfill", "min_value": 0, "max_value": 10},
        ],
    },
    {
        "type": 1,
        "name": "feeds",
        "options": [
            {"type": 1, "name": "add", "options": [{"type": 3, "name": "url", "required": True}]},
            {"type": 1, "name": "list", "options": []},
        ],
    },
]


def typed_values(text: str) -> tuple[str, list[str], dict]:
    typed, _, declared = split(text, COMMANDS)
    by_name = {o["name"]: o for o in declared}
    values = {
        k: convert(by_name[k], v, typed.label, channel=lambda n: 42 if n == "general" else None, user=lambda n: None)
        for k, v in typed.options
    }
    return typed.name, typed.path, values


def test_options_run_to_the_next_option_spaces_and_all():
    assert typed_values("/brief article:china pivot length:short") == (
        "brief",
        [],
        {"article": "china pivot", "length": "short"},
    )
    assert typed_values("/brief") == ("brief", [], {})
    # a colon inside a value that is not an option's name stays in the value
    assert typed_values("/brief article:Warning: Is China") == ("brief", [], {"article": "Warning: Is China"})


def test_values_take_the_option_types():
    assert typed_values("/subscribe channel:#general keywords:korea, china backfill:3") == (
        "subscribe",
        [],
        {"channel": 42, "keywords": "korea, china", "backfill": 3},
    )
    assert typed_values("/brief length:Long")[2] == {"length": "long"}  # a choice by value or name, any case
    assert typed_values("/brief length:sh")[2] == {"length": "short"}  # or the start of its name


def test_subcommands_nest_their_options():
    name, path, values = typed_values("/feeds add url:https://example.com/feed.xml")
    assert (name, path) == ("feeds", ["add"])
    typed, _, declared = split("/feeds add url:https://example.com/feed.xml", COMMANDS)
    assert raw_options(typed, values, declared) == [
        {"name": "add", "type": 1, "options": [{"name": "url", "type": 3, "value": "https://example.com/feed.xml"}]}
    ]
    plain, _, plain_declared = split("/brief article:x", COMMANDS)
    assert raw_options(plain, {"article": "x"}, plain_declared) == {"article": "x"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("brief article:x", "'brief article:x' is not a slash command: start it with / (e.g. /brief article:china)"),
        ("/breif article:x", "no command /breif; the commands are /brief, /feeds, /subscribe, /summary"),
        ("/brief title:x", "/brief has no option 'title'; its options: article, length"),
        ("/brief china", "'china': give /brief's options as name:value; its options: article, length"),
        ("/summary length:short", "/summary needs article:"),
        ("/brief length:huge", "/brief length: 'huge' is not one of short, long"),
        ("/subscribe backfill:many", "/subscribe backfill: 'many' is not a whole number"),
        ("/subscribe backfill:11", "/subscribe backfill: 11 is out of range (0 to 10)"),
        ("/subscribe channel:#nowhere", "/subscribe channel: no channel #nowhere"),
        ("/feeds", "/feeds needs one of: add, list"),
        ("/brief article:a article:b", "/brief: option 'article' is given twice"),
    ],
)
def test_what_discord_would_refuse_is_one_line(text, message):
    with pytest.raises(CommandError) as exc:
        typed_values(text)
    assert str(exc.value) == message
    assert "\n" not in str(exc.value)
