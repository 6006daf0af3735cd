"""Every slash command and every option, given hostile arguments, answers politely.

The table below is every (command, option) pair with every hostile value: empty, blank, 6,000
characters, markdown, mentions, full-text-search syntax, SQL, control and bidi characters, paths,
and the ids of an article that does not exist and of one that was retired; plus autocompletes, out
of range numbers and channels, and commands typed in a direct message. Each answer must be:

* polite: no traceback, no exception class name, no raw SQLite or FTS5 error, and not the generic
  "something went wrong" apology (that is for the bot's own faults, not for what a user typed);
* private (ephemeral) when it refuses;
* unable to ping: ``allowed_mentions`` parses nothing, and mentions are escaped in the text;
* inside Discord's limits.

One bot serves the whole module (a fresh member per row, so the per-user cooldown never answers
instead).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from bot.config import Settings
from bot.discord_app.briefbot import BriefBot
from bot.localdiscord import ChannelType, FakeDiscord, make_text_channel, make_user
from tests.bot.discord_app.test_briefbot import MESSAGE_COMMANDS, SLASH_COMMANDS
from tests.cogs.conftest import EPHEMERAL
from tests.cogs.test_feeds import sub as subcommand
from tests.cogs.test_limits_and_load import check_embed
from tests.conftest import SEED_000, SEED_001

pytestmark = pytest.mark.asyncio(loop_scope="module")

MISSING_ID = "ffffffffffffffff"
RETIRED_ID = "retired"  # replaced by the real id of the retired article at run time

HOSTILE: dict[str, str] = {
    "empty": "",
    "blank": "   ",
    "6000 letters": "a" * 6000,
    "6000 words": ("word " * 1200)[:6000],
    "markdown": "**bold** __under__ ~~strike~~ `code` ||spoiler|| [link](https://evil.example) # head > quote",
    "mentions": "@everyone @here <@123456789012345678> <@&123456789012345678> <#123456789012345678>",
    "fts quote": '"',
    "fts unbalanced": '"no connection',
    "fts operators": "sanctions OR china AND NOT korea",
    "fts near": "NEAR(china korea, 3)",
    "fts column": "text:china speaker:* ^first -minus",
    "fts star": "*",
    "fts parens": "((()",
    "sql": "x'; DROP TABLE articles; --",
    "control": "\x00\x01\x07\x1b[31m\x7f",
    "bidi and zero width": "\u202eevil\u202c\u200b\u200d\ufeff",
    "emoji": "\U0001f642\U0001f468\u200d\U0001f469\u200d\U0001f467",
    "newlines": "china\nkorea\r\nsanctions",
    "path": "../../etc/passwd",
    "missing id": MISSING_ID,
    "retired id": RETIRED_ID,
}

# (command, string option, other options, what an unresolvable value gets)
STRING_OPTIONS: list[tuple[str, str, dict[str, Any]]] = [
    ("brief", "article", {}),
    ("brief", "url", {}),
    ("brief", "topic", {}),
    ("compare", "first", {"second": "strategic calculus"}),
    ("compare", "second", {"first": "china pivot"}),
    ("summary", "article", {}),
    ("quotes", "keyword", {}),
    ("quotes", "speaker", {}),
    ("quotes", "article", {}),
    ("quotes", "keyword", {"article": "strategic calculus"}),
    ("author", "article", {}),
    ("author", "name", {}),
    ("subscribe", "keywords", {}),
]
AUTOCOMPLETES = [
    ("brief", "article"),
    ("compare", "first"),
    ("compare", "second"),
    ("summary", "article"),
    ("quotes", "article"),
    ("quotes", "speaker"),
    ("author", "article"),
]

ROWS: list[Any] = [
    pytest.param(command, {**extra, option: value}, id=f"/{command} {option}={label}" + (" +article" if extra else ""))
    for command, option, extra in STRING_OPTIONS
    for label, value in HOSTILE.items()
]
ROWS += [
    pytest.param(command, options, id=f"/{command} {label}")
    for command, options, label in [
        ("brief", {"length": "enormous"}, "length=not a choice"),
        ("summary", {"article": "strategic calculus", "length": ""}, "length=empty"),
        ("brief", {}, "no options"),
        ("quotes", {}, "no options"),
        ("author", {}, "no options"),
        ("articles", {}, "no options"),
        ("history", {}, "no options"),
        ("forget", {}, "no options"),
        ("subscriptions", {}, "no options"),
        ("help", {}, "no options"),
        ("unsubscribe", {}, "no options"),
        ("subscribe", {"backfill": -1}, "backfill=-1"),
        ("subscribe", {"backfill": 11}, "backfill=11"),
        ("subscribe", {"backfill": 2**62}, "backfill=huge"),
        ("subscribe", {"channel": 123456789012345678}, "channel=unknown id"),
        ("unsubscribe", {"channel": 123456789012345678}, "channel=unknown id"),
        ("subscribe", {"channel": "voice"}, "channel=voice"),
        ("unsubscribe", {"channel": "voice"}, "channel=voice"),
        ("subscribe", {"channel": "category"}, "channel=category"),
        ("subscribe", {"digest": "hourly"}, "digest=not a choice"),
        ("subscribe", {"digest": ""}, "digest=empty"),
    ]
]
# Addresses a link option must refuse, privately, without fetching anything (the module's bot keeps
# private addresses off): other schemes, private and local hosts in any spelling, broken URLs.
HOSTILE_URLS: dict[str, str] = {
    "javascript": "javascript:alert(document.cookie)",
    "file": "file:///etc/passwd",
    "data": "data:text/html,<script>alert(1)</script>",
    "no host": "https://",
    "bad port": "https://news.example:99999/story",
    "broken ipv6": "https://[::1",
    "loopback": "http://127.0.0.1:8080/admin",
    "metadata": "http://169.254.169.254/latest/meta-data/",
    "ipv6 loopback": "http://[::1]/",
    "legacy ipv4": "http://2130706433/",
    "look-alike digits": "http://１２７.０.０.１/",
    "mapped ipv6": "http://[::ffff:10.0.0.1]/",
    "newline": "https://news.example/a\nb",
    "mentions in link": "http://10.0.0.1/@everyone/<@123456789012345678>",
}
ROWS += [pytest.param("brief", {"url": value}, id=f"/brief url={label}") for label, value in HOSTILE_URLS.items()]
ROWS += [
    pytest.param(
        "brief", {"url": "https://news.example/story", "article": "strategic calculus"}, id="/brief url+article"
    )
]
IN_DM = sorted(SLASH_COMMANDS)  # every command, typed in a direct message

LEAKS = re.compile(
    r"Traceback|\b[A-Z]\w*(?:Error|Exception)\b|sqlite|fts5|syntax error|no such (?:column|table)|malformed MATCH"
    r"|unterminated string|something went wrong",
    re.I,
)
RAW_PINGS = re.compile(r"@everyone|@here|<@[!&]?\d{15,20}>")


class World:
    def __init__(self, fake: FakeDiscord, bot: BriefBot, retired: str, mod_role: int, voice: int, category: int):
        self.fake, self.bot, self.retired, self.mod_role = fake, bot, retired, mod_role
        self.voice, self.category = voice, category

    def member(self, moderator: bool = False) -> dict:
        user = make_user(username="tester")
        self.fake.add_member(self.fake.guild_id, user, roles=[self.mod_role] if moderator else [])
        return user


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def world(tmp_path_factory) -> AsyncIterator[World]:
    folder = tmp_path_factory.mktemp("articles")
    for seed in (SEED_000, SEED_001):
        shutil.copy(seed, folder / seed.name)
    (folder / "old.txt").write_text("An Old Story\n\nThis article is retired before the tests run.\n")
    db = tmp_path_factory.mktemp("data") / "bot.sqlite3"
    async with FakeDiscord() as fake:
        gid = fake.guild_id
        voice = make_text_channel(name="voice", type=ChannelType.GUILD_VOICE)
        voice.update(bitrate=64000, user_limit=0, rtc_region=None)
        fake.add_channel(gid, voice)
        category = fake.add_channel(gid, make_text_channel(name="category", type=ChannelType.GUILD_CATEGORY))
        mod_role = int(next(r for r in fake.guilds[gid]["roles"] if r["name"] == "Moderator")["id"])
        bot = BriefBot(Settings(articles_dir=folder, db_path=db, poll_seconds=3600), guild_ready_timeout=0.05)
        async with fake.run(bot):
            [old] = [r for r in bot.library.articles if r.source_path == "old.txt"]
            (folder / "old.txt").unlink()
            assert (await bot.library.sync()).retired == [old.id]
            yield World(fake, bot, old.id, mod_role, int(voice["id"]), int(category["id"]))


def _resolve(world: World, options: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in options.items():
        if value == RETIRED_ID:
            value = world.retired
        elif key == "channel" and value in ("voice", "category"):
            value = getattr(world, value)
        out[key] = value
    return out


def _bodies(world: World, inter) -> list[dict]:
    """Every message body the bot sent for this interaction: the callback's data and followups."""
    out = []
    for request in world.fake.requests:
        if request.method not in ("POST", "PATCH") or not isinstance(request.json, dict):
            continue
        if f"/interactions/{inter.id}/" in request.path and request.json.get("data"):
            out.append(request.json["data"])
        elif f"/webhooks/{world.fake.application_id}/{inter.token}" in request.path:
            out.append(request.json)
    return out


def assert_polite(world: World, inter, answer: dict) -> None:
    bodies = _bodies(world, inter)
    assert bodies, "no answer was sent"
    for body in bodies:
        if "content" in body or "embeds" in body:
            assert body.get("allowed_mentions") == {"parse": []}, body.get("allowed_mentions")
    content = answer.get("content") or ""
    assert len(content) <= 2000
    text = content + " ".join(str(e) for e in answer.get("embeds", []))
    assert not LEAKS.search(text), text[:500]
    assert not RAW_PINGS.search(text), text[:500]
    for embed in answer.get("embeds", []):
        check_embed(embed)
    if not answer.get("embeds") and not content.startswith(("No quotations", "This deletes", "I keep no records")):
        assert answer["flags"] & EPHEMERAL, f"a refusal must be private: {content!r}"


async def answer_of(world: World, inter) -> dict:
    reply = await inter.response(timeout=5)
    assert reply.type in (4, 5), reply.type
    return await inter.answer(timeout=5)


@pytest.mark.parametrize(("command", "options"), ROWS)
async def test_hostile_argument(world, command, options):
    moderator = command in ("subscribe", "unsubscribe")  # past the permission check, to the arguments
    options = _resolve(world, options)
    inter = await world.fake.send_command(command, options=options, user=world.member(moderator))
    answer = await answer_of(world, inter)
    assert_polite(world, inter, answer)
    # Ids of missing and retired articles are refused, never shown.
    if options.get("article") in (MISSING_ID, world.retired) and command in ("brief", "summary", "author", "quotes"):
        assert answer["flags"] & EPHEMERAL and "couldn't find" in answer["content"]


FEED_ROWS: list[Any] = [
    pytest.param(sub, label, id=f"/feeds {sub} url={label}") for sub in ("add", "remove") for label in HOSTILE
]


@pytest.mark.parametrize(("sub", "label"), FEED_ROWS)
async def test_hostile_feed_addresses_from_the_owner(world, sub, label):
    """/feeds is the owner's: even the owner's hostile addresses get a polite, private refusal."""
    inter = await world.fake.send_command("feeds", options=subcommand(sub, url=HOSTILE[label]), user=world.fake.owner)
    answer = await answer_of(world, inter)
    assert_polite(world, inter, answer)
    assert answer["flags"] & EPHEMERAL
    assert await world.bot.feeds.all() == []  # nothing hostile was added


@pytest.mark.parametrize(
    ("options", "who"),
    [
        pytest.param(subcommand("add", url="https://news.example/feed.xml", interval=1), "owner", id="interval=1"),
        pytest.param(
            subcommand("add", url="https://news.example/feed.xml", interval=2**62), "owner", id="interval=huge"
        ),
        pytest.param(subcommand("list"), "owner", id="list"),
        pytest.param(subcommand("add", url="https://news.example/feed.xml"), "member", id="add by a member"),
        pytest.param(subcommand("list"), "member", id="list by a member"),
    ],
)
async def test_feed_commands_out_of_range_or_not_the_owner(world, options, who):
    user = world.fake.owner if who == "owner" else world.member()
    inter = await world.fake.send_command("feeds", options=options, user=user)
    answer = await answer_of(world, inter)
    assert_polite(world, inter, answer)
    assert answer["flags"] & EPHEMERAL
    assert await world.bot.feeds.all() == []


SERVER_ONLY = {"subscribe", "unsubscribe", "subscriptions"}  # guild_only: registered without the DM context


@pytest.mark.parametrize("command", IN_DM)
async def test_every_command_in_a_direct_message(world, command):
    """Every command Discord offers in a DM answers politely there; the server-only ones Discord
    does not offer at all (registered without the DM context), so the fake refuses to send them."""
    options: Any = {"article": "strategic calculus"} if command == "summary" else {}
    if command == "compare":
        options = {"first": "china pivot", "second": "strategic calculus"}
    if command == "feeds":
        options = subcommand("list")
    if command in SERVER_ONLY:
        with pytest.raises(ValueError, match="not available in DMs"):
            await world.fake.send_command(command, options=options, user=world.member(), dm=True)
        [registered] = [c for c in world.fake.registered_commands() if c["name"] == command]
        assert registered["contexts"] == [0]
        return
    inter = await world.fake.send_command(command, options=options, user=world.member(), dm=True)
    answer = await answer_of(world, inter)
    assert_polite(world, inter, answer)


MENU_ROWS: list[Any] = [
    pytest.param(name, content, id=f"{name} on {label}")
    for name in sorted(MESSAGE_COMMANDS)
    for label, content in {
        **HOSTILE,
        **{f"link {label}": f"look: {url} !" for label, url in HOSTILE_URLS.items()},
        "masked private link": "[the story](http://169.254.169.254/latest) @everyone",
    }.items()
]


@pytest.mark.parametrize(("name", "content"), MENU_ROWS)
async def test_message_commands_on_hostile_messages(world, name, content):
    """A message command's only argument is the message: any message, whatever it holds, gets a
    polite private answer (no link; a link that may not be fetched), and nothing is fetched."""
    member = world.member()
    message = await world.fake.send_message(world.fake.channel_id, content, author=member)
    inter = await world.fake.send_message_command(name, message, user=member)
    answer = await answer_of(world, inter)
    assert_polite(world, inter, answer)
    assert answer["flags"] & EPHEMERAL


@pytest.mark.parametrize(
    ("command", "option", "label"),
    [pytest.param(c, o, label, id=f"/{c} {o}={label}") for c, o in AUTOCOMPLETES for label in HOSTILE],
)
async def test_hostile_autocomplete(world, command, option, label):
    typed = _resolve(world, {option: HOSTILE[label]})[option]
    inter = await world.fake.send_autocomplete(command, {option: typed}, user=world.member())
    reply = await inter.response(timeout=5)
    assert reply.type == 8 and not inter.rejected
    choices = reply.data["choices"]
    assert len(choices) <= 25
    for choice in choices:
        assert 1 <= len(choice["name"]) <= 100 and 1 <= len(str(choice["value"])) <= 100
        if option == "article":
            assert choice["value"] != world.retired  # a retired article is never offered


async def test_the_table_covers_every_command_and_option(world):
    """A command or option added later must be added to the table above."""
    covered = {(c, o) for c, o, _ in STRING_OPTIONS} | {(c, "length") for c in ("brief", "summary")}
    covered |= {
        ("subscribe", "backfill"),
        ("subscribe", "channel"),
        ("subscribe", "digest"),
        ("unsubscribe", "channel"),
    }
    covered |= {("feeds", "add"), ("feeds", "list"), ("feeds", "remove")}  # the feed tests above
    declared = {(c["name"], o["name"]) for c in world.fake.registered_commands() for o in c.get("options", [])}
    assert declared <= covered, declared - covered
    names = {c["name"] for c in world.fake.registered_commands()}
    assert names <= {c for c, _, _ in STRING_OPTIONS} | set(IN_DM) | MESSAGE_COMMANDS
    autocompleted = {(c["name"], o["name"]) for c in world.fake.registered_commands() for o in c.get("options", [])}
    autocompleted = {pair for pair in autocompleted if _is_autocomplete(world, *pair)}
    assert autocompleted == set(AUTOCOMPLETES)


def _is_autocomplete(world: World, command: str, option: str) -> bool:
    [cmd] = [c for c in world.fake.registered_commands() if c["name"] == command]
    return any(o["name"] == option and o.get("autocomplete") for o in cmd.get("options", []))
