"""`briefbot demo` end to end, as a newcomer runs it: from a folder of their own, with no token and
no settings, in a process of its own. It prints the real bot's answers as text, leaves nothing
behind (no file in the folder it ran from, none in the temporary folder), does not touch the
articles folder it shows, and finishes in well under a minute."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

import pytest

from bot.demo.commands import CommandError
from bot.demo.tour import NEW_ARTICLE_NAME, run_demo, tour_commands
from tests.conftest import ROOT, SEEDS

TITLE = "Warning: Is China Pivoting Back to North Korea?"
SUMMARY_SENTENCE = (
    "Like many U.S. observers, Beijing is well aware that the repeating cycle of sanctions and inducements has done"
)
QUOTE = "“no connection” — Daniel Russel"
DEMO_LIMIT = 60.0  # seconds; it takes about 10 on two busy cores


def run_briefbot(*args: str, cwd: Path, tmp: Path, env_extra: dict[str, str] | None = None):
    """`python -m bot ARGS` with none of the bot's settings, its temporary files in ``tmp``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEFBOT_", "DISCORD_"))}
    env.update({"PYTHONPATH": str(ROOT), "TMPDIR": str(tmp), "COLUMNS": "100", **(env_extra or {})})
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )
    return result, time.perf_counter() - started


@pytest.fixture
def places(tmp_path) -> tuple[Path, Path]:
    """An empty folder to run from, and an empty temporary folder."""
    cwd, tmp = tmp_path / "somewhere", tmp_path / "tmp"
    cwd.mkdir()
    tmp.mkdir()
    return cwd, tmp


def flat(text: str) -> str:
    return " ".join(text.split())


def test_the_tour_from_any_folder_leaves_nothing_behind(places):
    cwd, tmp = places
    seeds_before = sorted(p.name for p in SEEDS.iterdir())
    result, elapsed = run_briefbot("demo", cwd=cwd, tmp=tmp)
    assert result.returncode == 0, result.stderr
    out = flat(result.stdout)
    for command in ("> /brief ", "> /summary ", "> /quotes ", "> /author ", "> /articles", "> /subscribe"):
        assert command in out, command
    # each command picked the article it meant: /summary the other one
    assert "(picked the first suggestion for article: “North Korea’s Defiance May Reshape" in out
    assert TITLE in out
    assert SUMMARY_SENTENCE in out
    assert QUOTE in out
    assert "#general, posted by the bot for the subscription: By Maria Lopez Town Library Opens" in out
    assert "Subscribed: #general gets every new article." in out  # the mention shown as Discord shows it
    assert "Traceback" not in result.stderr and "voice will NOT be supported" not in result.stderr
    assert result.stderr == ""
    assert list(cwd.iterdir()) == [] and list(tmp.iterdir()) == []
    assert sorted(p.name for p in SEEDS.iterdir()) == seeds_before  # the new article went into a copy
    assert elapsed < DEMO_LIMIT, elapsed


def test_one_command(places):
    cwd, tmp = places
    result, _ = run_briefbot("demo", "/brief article:china pivot length:short", cwd=cwd, tmp=tmp)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("> /brief article:china pivot length:short\n")
    assert f"(picked the first suggestion for article: “{TITLE}”)" in out
    assert TITLE in out and QUOTE in flat(out) and "short summary" in out
    assert out.count("> /") == 1 and "posted by the bot" not in out  # that command only, no tour
    assert list(cwd.iterdir()) == [] and list(tmp.iterdir()) == []


def test_a_bad_command_is_one_line_and_status_2(places):
    cwd, tmp = places
    result, _ = run_briefbot("demo", "/brief article:china", "/breif article:china", cwd=cwd, tmp=tmp)
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""  # checked before any command is sent
    assert result.stderr.splitlines() == [
        "briefbot: error: no command /breif; the commands are /articles, /author, /brief, /compare, /feeds, /forget, "
        "/help, /history, /quotes, /subscribe, /subscriptions, /summary, /unsubscribe"
    ]
    assert list(cwd.iterdir()) == [] and list(tmp.iterdir()) == []


def test_a_missing_articles_folder_is_one_line(places):
    cwd, tmp = places
    result, _ = run_briefbot("demo", cwd=cwd, tmp=tmp, env_extra={"BRIEFBOT_ARTICLES_DIR": "nowhere"})
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"briefbot: error: BRIEFBOT_ARTICLES_DIR: folder 'nowhere' does not exist (relative to the current folder, {cwd})"
    ]


async def test_the_demo_shows_another_folder_and_leaves_it_as_it_was(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Harbour Ferry Returns After a Decade\n\nBy Tom Baker\n\nThe harbour ferry sails again from Monday.\n\n"
        "“It feels like the town got its voice back,” said Lena Ortiz, a ferry captain.\n",
        encoding="utf-8",
    )
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    out = StringIO()
    await run_demo(folder, ["/author article:harbour ferry", "/quotes keyword:town"], out=out)
    text = flat(out.getvalue())
    assert "> /author article:harbour ferry" in text and "Tom Baker" in text
    assert "“It feels like the town got its voice back” — Lena Ortiz" in text
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert NEW_ARTICLE_NAME not in text


async def test_commands_are_checked_before_any_is_sent(tmp_path):
    out = StringIO()
    with pytest.raises(CommandError, match="/summary needs article:"):
        await run_demo(SEEDS, ["/articles", "/summary"], out=out)
    assert out.getvalue() == ""


@pytest.mark.parametrize(
    "command", ["/brief url:https://news.example/story", "/feeds add url:https://news.example/feed"]
)
async def test_commands_that_would_fetch_from_the_web_are_refused(tmp_path, command):
    """No network, as the README promises: the demo's member is the owner, whose /brief url: and
    /feeds add would have the real fetcher read the web."""
    out = StringIO()
    with pytest.raises(CommandError, match="the demo has no network"):
        await run_demo(SEEDS, ["/articles", command], out=out)
    assert out.getvalue() == ""


def test_the_tour_types_as_few_words_as_find_each_article():
    second = "North Korea’s Defiance May Reshape China’s Strategic Calculus"

    def first_suggestion(text: str) -> str:  # "north korea" finds the other article first
        return second if "defiance" in text or "reshape" in text else TITLE

    assert tour_commands([TITLE, second], first_suggestion) == [
        "/brief article:china pivoting",
        "/summary article:north korea defiance length:short",
        "/quotes article:china pivoting",
        "/author article:china pivoting",
        "/articles",
        "/subscribe",
    ]
    assert tour_commands(["Solo"], lambda text: "Solo")[1] == "/summary article:solo length:short"
    assert tour_commands([], lambda text: None)[0] == "/brief article:news"
