"""The token never appears in logs, error messages or anything the bot sends; `.env` is ignored by git.

The bot runs against the fake Discord with a recognisable token and every log record (DEBUG
included, discord.py's too) is captured while it meets errors with the token in their text, a
command that fails, a token revoked while it runs, a rejected token and failures at start-up.
"""

from __future__ import annotations

import asyncio
import io
import logging
import os
import re
import signal
import sqlite3
import sys
from pathlib import Path

import pytest

from bot.config import Settings
from bot.discord_app.briefbot import BriefBot
from bot.localdiscord import FakeDiscord
from bot.logs import setup_logging
from tests.conftest import ROOT

TOKEN = "MTAxNzY0NjQ0.briefbot-test-token.Zx9QQ-recognisable"


@pytest.fixture
def captured_log(monkeypatch):
    """Everything the bot's logging writes, from the handler it installs itself (DEBUG level)."""
    stream = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stream)
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    setup_logging("DEBUG", secrets=[TOKEN])
    try:
        yield stream
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
        logging.getLogger("discord.gateway").setLevel(logging.NOTSET)


async def test_token_in_errors_is_redacted_and_never_sent(tmp_path, articles_dir, monkeypatch, captured_log):
    settings = Settings(articles_dir=articles_dir, db_path=tmp_path / "bot.sqlite3", poll_seconds=3600)
    async with FakeDiscord(token=TOKEN) as fake, fake.run(BriefBot(settings, guild_ready_timeout=0.05)) as bot:

        async def broken(row, sentences):
            raise RuntimeError(f"upstream refused the credentials {TOKEN}")

        monkeypatch.setattr(bot.library.reading, "brief", broken)
        inter = await fake.send_command("brief", options={"article": "strategic calculus"})
        reply = (await inter.response(timeout=3)).data
        assert "something went wrong" in reply["content"]
        log = logging.getLogger("bot.test")
        log.warning("connecting with %s", TOKEN)
        log.error(f"formatted into the message: {TOKEN}")
        try:
            raise ValueError({"token": TOKEN})
        except ValueError:
            log.exception("an error whose text holds the token")
    text = captured_log.getvalue()
    assert TOKEN not in text
    assert "upstream refused the credentials [redacted]" in text  # the traceback was logged, redacted
    assert text.count("[redacted]") >= 4
    for request in fake.requests:
        assert TOKEN not in str(request.json) and TOKEN not in str(request.query)
    for message in fake._message_index.values():
        assert TOKEN not in str(message)


async def test_interaction_tokens_stay_out_of_the_debug_log(tmp_path, articles_dir, captured_log):
    """discord.py logs at DEBUG each gateway event (INTERACTION_CREATE carries the interaction's
    token, valid for 15 minutes) and each request's URL (/interactions/<id>/<token>/callback,
    /webhooks/<application>/<token>/...): the token never reaches the log."""
    settings = Settings(articles_dir=articles_dir, db_path=tmp_path / "bot.sqlite3", poll_seconds=3600)
    async with FakeDiscord(token=TOKEN) as fake, fake.run(BriefBot(settings, guild_ready_timeout=0.05)):
        brief = await fake.send_command("brief", options={"article": "strategic calculus"})
        await brief.response(timeout=3)
        quotes = await fake.send_command("quotes", options={"keyword": "the"})  # deferred, then answered
        assert (await quotes.response(timeout=3)).type == 5
        await quotes.answer(timeout=5)  # by editing @original, through /webhooks/<application>/<token>
    text = captured_log.getvalue()
    assert "INTERACTION_CREATE" in text  # the gateway events were logged
    assert f"/interactions/{brief.id}/[redacted]/callback" in text  # and the requests' URLs
    assert re.search(r"/webhooks/\d+/\[redacted\]", text)  # the deferred answer's
    for inter in (brief, quotes):
        assert inter.token not in text
        assert inter.token.split(":")[-1] not in text


def bot_env(fake: FakeDiscord, articles_dir: Path, db: Path, token: str = TOKEN) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("BRIEFBOT_", "DISCORD_"))},
        "DISCORD_TOKEN": token,
        "BRIEFBOT_ARTICLES_DIR": str(articles_dir),
        "BRIEFBOT_DB": str(db),
        "BRIEFBOT_LOG_LEVEL": "DEBUG",
        "FAKE_DISCORD_API": fake.api_url,
        "FAKE_DISCORD_GATEWAY": fake.gateway_url,
        "PYTHONPATH": str(ROOT),
    }


async def test_real_process_failed_command_and_revoked_token(tmp_path, articles_dir):
    """The real program (`python -m bot` against the fake), logging at DEBUG: a command fails, then
    the token is revoked; stdout and stderr never hold the token, and the exit is one clear line."""
    db = tmp_path / "bot.sqlite3"
    async with FakeDiscord(token=TOKEN) as fake:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            str(ROOT / "tests" / "support" / "run_bot.py"),
            env=bot_env(fake, articles_dir, db),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            start_new_session=True,  # its own process group: killed whole, workers included
        )
        # Read its output all along: at DEBUG it writes more than a pipe holds, and would block.
        output = asyncio.create_task(proc.communicate())
        try:
            await fake.wait_for(lambda: any(s.ready for s in fake.gateway.live_sessions), timeout=20)
            await asyncio.to_thread(_drop_analyses, db)  # the next /brief fails unexpectedly
            inter = await fake.send_command("brief", options={"article": "strategic calculus"})
            reply = await inter.answer(timeout=10)  # at once, or after a deferral on a busy machine
            assert "something went wrong" in reply["content"] and TOKEN not in reply["content"]
            await fake.revoke_token()
            out, err = await asyncio.wait_for(output, timeout=20)
        finally:
            if proc.returncode is None:
                os.killpg(proc.pid, signal.SIGKILL)  # the bot and its extraction workers
                await asyncio.wait_for(output, timeout=20)
    stdout, stderr = out.decode(), err.decode()
    assert proc.returncode == 2
    assert TOKEN not in stdout + stderr
    assert inter.token not in stdout + stderr and "INTERACTION_CREATE" in stderr  # logged, without its token
    assert "error " in stderr and "in /brief" in stderr  # the failed command was logged
    assert stderr.strip().splitlines()[-1].startswith("briefbot: error: Discord rejected DISCORD_TOKEN")
    assert "Traceback" not in stderr.split("briefbot: error:")[-1]


def _drop_analyses(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM analyses")


@pytest.mark.parametrize(
    ("case", "env", "expected"),
    [
        ("rejected token", {"DISCORD_TOKEN": "wrong." + TOKEN}, "Discord rejected DISCORD_TOKEN"),
        ("bad setting", {"BRIEFBOT_POLL_SECONDS": TOKEN}, "BRIEFBOT_POLL_SECONDS"),
        ("bad server id", {"BRIEFBOT_DEV_GUILD": TOKEN}, "BRIEFBOT_DEV_GUILD"),
        ("bad log level", {"BRIEFBOT_LOG_LEVEL": TOKEN}, "BRIEFBOT_LOG_LEVEL: '[redacted]' is not one of"),
        ("bad private switch", {"BRIEFBOT_FEEDS_ALLOW_PRIVATE": TOKEN}, "BRIEFBOT_FEEDS_ALLOW_PRIVATE: '[redacted]'"),
        ("database is not a database", {"BRIEFBOT_DB": "not-a-db.sqlite3"}, "stopped by an unexpected error"),
        ("database address", {"BRIEFBOT_DATABASE_URL": f"mysql://bot:{TOKEN}@db/x"}, "BRIEFBOT_DATABASE_URL: give"),
    ],
)
async def test_start_up_failures_never_print_the_token(tmp_path, articles_dir, case, env, expected):
    (tmp_path / "not-a-db.sqlite3").write_text(f"this is no database, it mentions {TOKEN}\n" * 100)
    async with FakeDiscord(token=TOKEN) as fake:
        full = {**bot_env(fake, articles_dir, tmp_path / "bot.sqlite3"), **env}
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            str(ROOT / "tests" / "support" / "run_bot.py"),
            env=full,
            cwd=tmp_path,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(proc.communicate(), timeout=30)
    text = out.decode() + err.decode()
    assert proc.returncode == 2, text
    assert TOKEN not in text
    assert TOKEN.lower() not in text.lower()  # nor a case-folded copy of it
    assert [line for line in text.splitlines() if line.startswith("briefbot: error:")][-1].count(expected) == 1


def test_env_file_is_ignored_by_git():
    ignored = [line.strip() for line in (ROOT / ".gitignore").read_text().splitlines()]
    assert ".env" in ignored
    assert ".hypothesis/" in ignored
    example = ROOT / ".env.example"
    if example.exists():  # the example lists the variables, never a real token
        assert all(
            not line.startswith("DISCORD_TOKEN=") or line.strip() == "DISCORD_TOKEN="
            for line in example.read_text().splitlines()
        )


PG_PASSWORD = "pg-Secret-hunter2-recognisable"


async def test_the_database_password_never_appears(tmp_path, articles_dir, postgres_server):
    """BRIEFBOT_DATABASE_URL holds a password: the real program, logging at DEBUG, never shows it,
    whether the server cannot be reached (one clear line, the address redacted) or the bot runs on
    it (a command answered, then the token revoked)."""
    unreachable = f"postgresql://briefbot:{PG_PASSWORD}@127.0.0.1:{postgres_server.port + 1}/nowhere"
    async with FakeDiscord(token=TOKEN) as fake:
        env = {**bot_env(fake, articles_dir, tmp_path / "bot.sqlite3"), "BRIEFBOT_DATABASE_URL": unreachable}
        proc = await asyncio.create_subprocess_exec(
            sys.executable, str(ROOT / "tests" / "support" / "run_bot.py"), env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        out, err = await asyncio.wait_for(proc.communicate(), timeout=30)
    text = out.decode() + err.decode()
    assert proc.returncode == 2, text
    assert (PG_PASSWORD not in text and "briefbot:***@127.0.0.1" in text) or "[redacted]@127.0.0.1" in text, text

    async with postgres_server.database() as url, FakeDiscord(token=TOKEN) as fake:
        with_password = url.replace("briefbot@", f"briefbot:{PG_PASSWORD}@")  # the test server trusts any password
        env = {**bot_env(fake, articles_dir, tmp_path / "bot.sqlite3"), "BRIEFBOT_DATABASE_URL": with_password}
        proc = await asyncio.create_subprocess_exec(
            sys.executable, str(ROOT / "tests" / "support" / "run_bot.py"), env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        try:
            await fake.wait_for(lambda: any(s.ready for s in fake.gateway.live_sessions), timeout=30)
            inter = await fake.send_command("brief", options={"article": "strategic calculus"})
            reply = (await inter.response(timeout=10)).data
            assert reply["embeds"][0]["title"]  # answered from PostgreSQL
            await fake.revoke_token()
            out, err = await asyncio.wait_for(proc.communicate(), timeout=30)
        finally:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()
    text = out.decode() + err.decode()
    assert "INTERACTION_CREATE" in text  # the DEBUG log was written
    assert "took the lock library-ingest" in text  # the lock's own connection, logged without it
    assert PG_PASSWORD not in text and PG_PASSWORD.lower() not in text.lower()
