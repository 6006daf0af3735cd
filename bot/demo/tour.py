"""`briefbot demo`: the real bot, without a token or a network.

The bot (``BriefBot``, the same cogs, embeds and discord.py as in production) connects to the
local fake of Discord (``bot.localdiscord``, on 127.0.0.1), on a copy of an articles folder (the
shipped seeds unless BRIEFBOT_ARTICLES_DIR says otherwise) and a database in a temporary folder
that is deleted at the end. A member of the fake server types slash commands; each answer is
printed as a person reads it (``bot.demo.text``). With no commands given, a short tour runs:
/brief, /summary, /quotes, /author, /articles, then /subscribe, and a new article arriving in the
folder is posted to the subscribed channel.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

from bot.config import Settings
from bot.core.text import STOP_WORDS
from bot.demo.commands import CommandError, Typed, convert, raw_options, split
from bot.demo.text import render_message
from bot.discord_app.briefbot import BriefBot
from bot.discord_app.lifecycle import end_worker_processes
from bot.localdiscord import FakeDiscord

READY_SECONDS = 120.0  # the slowest start-up waited for (a loaded machine, a large folder)
ANSWER_SECONDS = 60.0  # the slowest answer waited for
POST_SECONDS = 60.0  # the longest wait for the subscribed channel's post of the new article

NEW_ARTICLE_NAME = "zz-demo-night-library.txt"
# A made-up article (the demo's own), added to the demo's copy of the folder while it runs.
NEW_ARTICLE = """\
Town Library Opens Through the Night for Exam Season

By Maria Lopez

The town library will stay open around the clock for the next three weeks, the council said on Monday, \
so that students preparing for exams have a quiet and heated place to work.

The trial follows a petition signed by more than 900 students and parents. Reading rooms on the first \
floor will remain open, while the lending desk keeps its usual hours.

"We wanted the building to be there for people whose days do not end at five," said Ana Ruiz, the \
library's director. She added that two extra staff members will work each night shift.

The council will decide in the summer whether to repeat the scheme. "If the rooms are full at three in \
the morning, that will be our answer," Ruiz said.
"""


_MENTION = re.compile(r"<(#|@!?)(\d+)>")


def _topic(title: str, finds: Callable[[str], bool]) -> str:
    """What a person might type to find an article: the first meaningful words of its title (after
    a kicker such as "Warning:"), lower case, without possessives; as few of them (two at least)
    as make ``finds`` true (the article the first suggestion)."""
    _, colon, rest = title.partition(": ")
    text = (rest if colon and len(rest.split()) >= 2 else title).lower().replace("’", "'")
    kept = [w.strip(':;,.?!"').removesuffix("'s") for w in text.split()]
    kept = [w for w in kept if w and w not in STOP_WORDS] or text.split()
    for n in range(2, len(kept) + 1):
        if finds(" ".join(kept[:n])):
            return " ".join(kept[:n])
    return " ".join(kept)


def tour_commands(titles: Sequence[str], first_suggestion: Callable[[str], str | None]) -> list[str]:
    """The tour's commands for a library whose newest articles have these titles;
    ``first_suggestion`` gives the title autocomplete suggests first for what is typed."""
    typed = [_topic(t, lambda text, t=t: first_suggestion(text) == t) for t in titles[:2]] or ["news"]
    first, second = typed[0], typed[-1]
    return [
        f"/brief article:{first}",
        f"/summary article:{second} length:short",
        f"/quotes article:{first}",
        f"/author article:{first}",
        "/articles",
        "/subscribe",
    ]


# What would fetch from the web (the real bot's fetcher, not the fake): the demo promises no network.
ONLINE_COMMANDS = {"/feeds add"}
ONLINE_OPTIONS = {("/brief", "url")}


class Demo:
    """A running bot and its fake Discord; ``send`` types one command and prints its answer."""

    def __init__(self, fake: FakeDiscord, bot: BriefBot, out: IO[str], width: int) -> None:
        self.fake, self.bot, self.out, self.width = fake, bot, out, width
        self.user = fake.owner  # the server's owner: every command is theirs to use

    def say(self, text: str = "") -> None:
        print(text, file=self.out, flush=True)

    def _channel(self, name: str) -> int | None:
        for ident, channel in self.fake.channels.items():
            if channel.get("guild_id") == str(self.fake.guild_id) and channel.get("name") == name:
                return ident
        return None

    def _user(self, name: str) -> int | None:
        return next((i for i, u in self.fake.users.items() if name in (u.get("username"), u.get("global_name"))), None)

    def shown(self, text: str) -> str:
        """Mentions as Discord shows them: ``<#id>`` as #channel, ``<@id>`` as @member."""

        def name(match: re.Match[str]) -> str:
            ident = int(match.group(2))
            if match.group(1) == "#":
                return "#" + str(self.fake.channels.get(ident, {}).get("name", "unknown-channel"))
            user = self.fake.users.get(ident, {})
            return "@" + str(user.get("global_name") or user.get("username") or "unknown-user")

        return _MENTION.sub(name, text)

    def check(self, text: str) -> None:
        """Raise CommandError now for a command that could never be sent."""
        self._prepare(text)

    def _prepare(self, text: str) -> tuple[Typed, Any, list[dict[str, Any]]]:
        commands = self.fake.registered_commands() + self.fake.registered_commands(self.fake.guild_id)
        typed, _, declared = split(text, commands)
        if typed.label in ONLINE_COMMANDS or any((typed.label, key) in ONLINE_OPTIONS for key, _ in typed.options):
            raise CommandError(f"{typed.label} fetches from the web, and the demo has no network; try /brief article:")
        by_name = {o["name"]: o for o in declared}
        values = {
            key: convert(by_name[key], value, typed.label, channel=self._channel, user=self._user)
            for key, value in typed.options
            if not by_name[key].get("autocomplete")
        }
        return typed, values, declared

    async def send(self, text: str) -> dict[str, Any]:
        """Type ``text`` as the member would: options with suggestions (autocomplete) are typed,
        and the first suggestion picked; then print the bot's answer."""
        typed, values, declared = self._prepare(text)
        self.say(f"> {text.strip()}")
        by_name = {o["name"]: o for o in declared}
        for key, value in typed.options:
            if by_name[key].get("autocomplete") and not typed.path:
                values[key] = await self._suggested(typed.name, {**values, key: value}, key)
            elif by_name[key].get("autocomplete"):
                values[key] = value
        options = raw_options(typed, dict(sorted(values.items(), key=lambda kv: list(by_name).index(kv[0]))), declared)
        inter = await self.fake.send_command(typed.name, options=options, user=self.user)
        reply = await inter.response(timeout=ANSWER_SECONDS)
        if reply.type == 9:  # a form (modal) opens
            self.say(f"  (a form opens: {(reply.data or {}).get('title', '')})")
            self.say()
            return reply.data or {}
        answer = await inter.answer(timeout=ANSWER_SECONDS)
        self.say(self.shown(render_message(answer, self.width)))
        self.say()
        return answer

    async def _suggested(self, name: str, typed: dict[str, Any], focused: str) -> Any:
        inter = await self.fake.send_autocomplete(name, typed, focused=focused, user=self.user)
        reply = await inter.response(timeout=ANSWER_SECONDS)
        choices = (reply.data or {}).get("choices") or []
        if not choices:
            self.say(f"  (no suggestion for {focused}:{typed[focused]}; sent as typed)")
            return typed[focused]
        self.say(f"  (picked the first suggestion for {focused}: “{choices[0]['name']}”)")
        return choices[0]["value"]

    async def new_article_posted(self, folder: Path) -> None:
        """Add the made-up article to the folder and print what the subscribed channel receives."""
        before = len(self.fake.channel_messages(self.fake.channel_id))
        await asyncio.to_thread((folder / NEW_ARTICLE_NAME).write_text, NEW_ARTICLE, "utf-8")
        self.say(f"(a new article arrives in the articles folder: {NEW_ARTICLE_NAME})")

        def posted() -> list[dict[str, Any]]:
            fresh = self.fake.channel_messages(self.fake.channel_id)[before:]
            return [m for m in fresh if "interaction" not in m and "interaction_metadata" not in m]

        await self.fake.wait_for(lambda: posted(), timeout=POST_SECONDS, what="the subscription's post")
        channel = self.fake.channels[self.fake.channel_id].get("name", "general")
        self.say(f"#{channel}, posted by the bot for the subscription:")
        self.say(self.shown(render_message(posted()[0], self.width)))
        self.say()


def _width() -> int:
    return max(60, min(100, shutil.get_terminal_size((90, 24)).columns - 2))


async def run_demo(source: Path, commands: Sequence[str] = (), out: IO[str] | None = None) -> None:
    """Run the tour (no ``commands``) or the given commands, printing to ``out``. A command that
    could never be sent raises CommandError before anything is sent."""
    out = out or sys.stdout
    started = time.perf_counter()
    tour = not commands
    try:
        with tempfile.TemporaryDirectory(prefix="briefbot-demo-") as tmp:
            folder = Path(tmp) / "articles"
            await asyncio.to_thread(shutil.copytree, source, folder, symlinks=True)
            settings = Settings(articles_dir=folder, db_path=Path(tmp) / "briefbot.sqlite3", poll_seconds=1.0)
            async with FakeDiscord() as fake:
                bot = BriefBot(settings, guild_ready_timeout=0.05)
                async with fake.run(bot, ready_timeout=READY_SECONDS):
                    demo = Demo(fake, bot, out, _width())
                    for text in commands:  # every command checked before the first is sent
                        demo.check(text)
                    assert bot.library is not None
                    await bot.library.sync()  # waits for the first sync, if it went on in the background
                    titles = [r.title for r in bot.library.articles[:2]]
                    catalogue = bot.library.catalogue

                    def first_suggestion(text: str) -> str | None:
                        return next((r.title for r in catalogue.suggest(text, 1)), None)

                    if tour:
                        demo.say(
                            f"briefbot demo: the real bot on a local stand-in for Discord (no token, no network), "
                            f"{len(bot.library.articles)} articles from {source}. Member “{demo.user['username']}” "
                            f"types in #general:"
                        )
                        demo.say()
                    for text in commands or tour_commands(titles, first_suggestion):
                        await demo.send(text)
                    if tour:
                        await demo.new_article_posted(folder)
        if tour:
            print(
                f"Done in {time.perf_counter() - started:.1f} s; the demo's database and folder copy are deleted. "
                'One command: briefbot demo "/brief article:<words of a title>"',
                file=out,
            )
    finally:
        with contextlib.suppress(Exception):
            end_worker_processes()
