"""Another process holds the bot's database locked for a few seconds (a backup, an operator's
sqlite3 shell): commands are acknowledged inside Discord's 3-second window (deferred when the
database makes them wait), answered once it frees, and every request is recorded."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import sys
from pathlib import Path

import pytest

from tests.cogs.conftest import EPHEMERAL

LOCK_SECONDS = 3.5  # longer than Discord's window for a first answer

LOCKER = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
db.execute("BEGIN EXCLUSIVE")
db.execute("INSERT INTO bot_state (key, value) VALUES ('locker', 'was here')")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
db.execute("COMMIT")
"""


async def _lock(path: Path, seconds: float) -> asyncio.subprocess.Process:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", LOCKER, str(path), str(seconds), stdout=asyncio.subprocess.PIPE
    )
    assert proc.stdout is not None
    assert (await asyncio.wait_for(proc.stdout.readline(), 10)).strip() == b"locked"
    return proc


async def _answer(inter) -> dict:
    reply = await inter.response(timeout=5)
    assert inter.rejected == [], f"Discord refused the answer: {inter.rejected}"
    assert reply.latency < 3.0
    return await inter.answer(timeout=10)


async def test_commands_wait_out_a_locked_database_and_nothing_is_lost(bot, fake_discord, tmp_path, caplog):
    caplog.set_level(logging.WARNING)
    db_path = tmp_path / "bot.sqlite3"
    alice, owner = fake_discord.alice, fake_discord.owner
    first = await fake_discord.send_command("summary", options={"article": "strategic calculus"}, user=owner)
    await _answer(first)

    locker = await _lock(db_path, LOCK_SECONDS)
    try:
        sent = [
            await fake_discord.send_command("brief", options={"article": "strategic calculus"}, user=alice),
            await fake_discord.send_command("summary", options={"article": "china pivoting"}, user=alice),
            await fake_discord.send_command("author", options={"article": "china pivoting"}, user=alice),
            await fake_discord.send_command("history", user=owner),
        ]
        answers = await asyncio.gather(*(_answer(inter) for inter in sent))
        # The database kept every command waiting past the deadline, so each was acknowledged
        # first (deferred, inside the window) and answered by editing the deferred message.
        assert [inter.callbacks[0].type for inter in sent] == [5, 5, 5, 5]
    finally:
        await locker.wait()
    assert locker.returncode == 0

    brief, summary, author, history = answers
    assert brief["embeds"][0]["title"].startswith("North Korea")
    assert summary["embeds"][0]["title"].startswith("Warning")
    assert "Joel Wuthnow" in str(author["embeds"][0])
    # /history stays private when deferred, and shows the record made before the lock.
    assert sent[3].callbacks[0].data["flags"] & EPHEMERAL
    assert "/summary" in history["embeds"][0]["description"]

    # Every request made while the database was locked is in it now, once.
    with contextlib.closing(sqlite3.connect(db_path)) as check:
        rows = check.execute("SELECT user_id, command FROM requests ORDER BY id").fetchall()
        assert check.execute("SELECT value FROM bot_state WHERE key = 'locker'").fetchone() == ("was here",)
    expected = [(int(owner["id"]), "summary"), *[(int(alice["id"]), c) for c in ("brief", "summary", "author")]]
    assert sorted(rows) == sorted(expected)
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


async def test_a_lock_longer_than_the_busy_timeout_gets_a_polite_answer(bot, fake_discord, tmp_path, caplog):
    caplog.set_level(logging.WARNING)
    await bot.db.execute("PRAGMA busy_timeout = 200")  # stands for a lock longer than the real 10 s
    alice = int(fake_discord.alice["id"])
    locker = await _lock(tmp_path / "bot.sqlite3", 1.0)
    try:
        inter = await fake_discord.send_command("brief", options={"article": "strategic calculus"})
        answer = await _answer(inter)
    finally:
        await locker.wait()
    assert answer["content"].startswith("My database is busy right now") and answer["flags"] & EPHEMERAL
    assert await bot.requests.count(alice) == 0  # nothing shown, nothing recorded: asking again is safe
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []

    inter = await fake_discord.send_command("brief", options={"article": "strategic calculus"})
    assert (await _answer(inter))["embeds"][0]["title"].startswith("North Korea")
    assert await bot.requests.count(alice) == 1


@pytest.mark.parametrize("command", ["brief", "history"])
async def test_a_private_error_stays_private_whatever_was_deferred(
    bot, fake_discord, tmp_path, caplog, monkeypatch, command
):
    """The database stays locked past the watchdog, so the command is deferred ("thinking": in the
    channel for /brief, privately for /history), then past the busy timeout, so it fails. Discord
    would turn a first followup into a public thinking message, whatever its ephemeral flag: the
    bot deletes that message and the error reaches only the user. A private thinking message is
    simply edited into the error."""
    caplog.set_level(logging.WARNING)
    if command == "brief":  # a real lock: recording the request waits, then gives up
        await bot.db.execute("PRAGMA busy_timeout = 2500")  # longer than the 1.5 s watchdog
        locker = await _lock(tmp_path / "bot.sqlite3", 4.0)
    else:  # /history only reads, which a lock does not stop: its read waits and gives up instead

        async def locked(user_id: int) -> int:
            await asyncio.sleep(2.5)
            raise sqlite3.OperationalError("database is locked")

        monkeypatch.setattr(bot.requests, "count", locked)
        locker = None
    options = {"article": "strategic calculus"} if command == "brief" else {}
    try:
        inter = await fake_discord.send_command(command, options=options)
        answer = await _answer(inter)
    finally:
        if locker is not None:
            await locker.wait()
    assert inter.callbacks[0].type == 5
    assert answer["content"].startswith("My database is busy right now") and answer["flags"] & EPHEMERAL
    if command == "brief":  # a public deferral: the public thinking message is gone
        assert not inter.callbacks[0].data and inter.deleted_original and answer is inter.followups[0]
    else:  # a private deferral: the private thinking message became the error
        assert inter.callbacks[0].data["flags"] & EPHEMERAL and answer is inter.original
        assert not inter.deleted_original and inter.followups == []
    in_channel = [
        m
        for m in fake_discord.channel_messages(fake_discord.channel_id)
        if m.get("interaction_metadata", {}).get("id") == str(inter.id)
    ]
    assert in_channel == []  # nothing of this command is left for everyone to see
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
