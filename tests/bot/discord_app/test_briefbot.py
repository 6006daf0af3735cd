"""The bot's start-up through the real discord.py stack, against the local fake of Discord."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import pytest

from bot.cli import main
from bot.config import Settings
from bot.discord_app.briefbot import BriefBot, TokenRejected, run

COMMANDS = {
    "brief",
    "summary",
    "quotes",
    "author",
    "articles",
    "history",
    "forget",
    "subscribe",
    "unsubscribe",
    "subscriptions",
    "feeds",
}


@pytest.fixture
def settings(tmp_path, articles_dir) -> Settings:
    return Settings(articles_dir=articles_dir, db_path=tmp_path / "data" / "bot.sqlite3", poll_seconds=3600)


def make_bot(settings: Settings) -> BriefBot:
    return BriefBot(settings, guild_ready_timeout=0.05)


async def test_rejected_token_raises_token_rejected(fake_discord, settings):
    with pytest.raises(TokenRejected, match="Discord rejected DISCORD_TOKEN"):
        await run(settings, "not-the-right-token")


async def test_cli_rejected_token_is_one_line_and_status_2(fake_discord, tmp_path, articles_dir, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DISCORD_TOKEN", "wrong-token-0123456789")
    monkeypatch.setenv("BRIEFBOT_ARTICLES_DIR", str(articles_dir))
    monkeypatch.setenv("BRIEFBOT_DB", str(tmp_path / "db.sqlite3"))
    try:
        code = await asyncio.to_thread(main, [])
    finally:
        logging.getLogger().handlers.clear()
    err = capsys.readouterr().err
    assert code == 2
    lines = [line for line in err.splitlines() if line.startswith("briefbot: error:")]
    assert lines == [lines[0]] and "Discord rejected DISCORD_TOKEN" in lines[0]
    assert "Traceback" not in err
    assert "wrong-token-0123456789" not in err


async def test_start_loads_library_and_syncs_commands_once(fake_discord, settings):
    async with fake_discord.run(make_bot(settings)) as bot:
        assert len(bot.library.articles) == 2
        assert {c["name"] for c in fake_discord.registered_commands()} == COMMANDS
    assert len(fake_discord.command_syncs) == 1
    # Unchanged commands: the next start does not upload them again.
    async with fake_discord.run(make_bot(settings)):
        pass
    assert len(fake_discord.command_syncs) == 1


async def test_dev_guild_syncs_to_that_guild(fake_discord, settings):
    dev = Settings(articles_dir=settings.articles_dir, db_path=settings.db_path, dev_guild=fake_discord.guild_id)
    async with fake_discord.run(make_bot(dev)):
        pass
    assert fake_discord.command_syncs[-1][0] == fake_discord.guild_id
    assert {c["name"] for c in fake_discord.registered_commands(fake_discord.guild_id)} == COMMANDS


async def test_owner_sync_command_forces_upload(fake_discord, settings):
    async with fake_discord.run(make_bot(settings)) as bot:
        before = len(fake_discord.command_syncs)
        # Messages that mention the bot carry their content without the privileged intent.
        await fake_discord.send_message(fake_discord.channel_id, f"<@{bot.user.id}> sync", author=fake_discord.owner)
        await fake_discord.wait_for(lambda: len(fake_discord.command_syncs) > before, timeout=5)

        def replies():
            return [m for m in fake_discord.channel_messages(fake_discord.channel_id) if "synced" in m["content"]]

        await fake_discord.wait_for(replies, timeout=5)
        assert replies()[0]["content"] == "Slash commands synced."


async def test_others_cannot_force_a_sync(fake_discord, settings):
    async with fake_discord.run(make_bot(settings)) as bot:
        before = len(fake_discord.command_syncs)
        await fake_discord.send_message(fake_discord.channel_id, f"<@{bot.user.id}> sync", author=fake_discord.alice)
        await asyncio.sleep(0.3)
        assert len(fake_discord.command_syncs) == before


async def test_new_file_is_picked_up_by_the_poll(fake_discord, settings, articles_dir):
    fast = Settings(articles_dir=articles_dir, db_path=settings.db_path, poll_seconds=1)
    async with fake_discord.run(make_bot(fast)) as bot:
        (articles_dir / "new.txt").write_text("Fresh Article\n\nSomething new happened today in the harbour.\n")
        await fake_discord.wait_for(lambda: any(r.title == "Fresh Article" for r in bot.library.articles), timeout=5)


async def test_sync_command_forces_an_upload_without_the_gateway(fake_discord, settings):
    from bot.discord_app.briefbot import sync_now

    count = await sync_now(settings, fake_discord.token)
    assert count == len(COMMANDS)
    assert len(fake_discord.command_syncs) == 1
    assert fake_discord.identify_count == 0  # HTTP only: no gateway session
    count = await sync_now(settings, fake_discord.token)
    assert len(fake_discord.command_syncs) == 2  # forced, although nothing changed


async def test_sync_with_rejected_token(fake_discord, settings):
    from bot.discord_app.briefbot import sync_now

    with pytest.raises(TokenRejected):
        await sync_now(settings, "bad-token")


async def test_bad_file_is_logged_and_the_bot_runs(fake_discord, settings, articles_dir, caplog):
    (articles_dir / "broken.json").write_text("{not json")
    caplog.set_level(logging.INFO)
    async with fake_discord.run(make_bot(settings)) as bot:
        assert len(bot.library.articles) == 2
        inter = await fake_discord.send_command("brief", options={})
        assert (await inter.response(timeout=3)).data["embeds"]
    assert "skipped broken.json: invalid JSON" in caplog.text
    assert "serving 2 articles" in caplog.text


async def test_a_blocked_event_loop_is_measured_and_logged(fake_discord, settings, caplog):
    import re
    import time

    async with fake_discord.run(make_bot(settings)) as bot:
        await asyncio.sleep(0.1)
        end = time.thread_time() + 0.25
        while time.thread_time() < end:  # the loop's own thread busy: 250 ms of CPU on the loop
            pass
        await asyncio.sleep(0.1)
        time.sleep(0.25)  # noqa: ASYNC251 - blocked without using the CPU (as if starved)
        await asyncio.sleep(0.1)
        assert bot.max_loop_lag >= 0.2
    found = [
        (int(a), int(b))
        for a, b in re.findall(r"event loop blocked for (\d+) ms \(loop thread busy (\d+) ms\)", caplog.text)
    ]
    # (a loaded machine may add starved wake-ups of its own: look for the two deliberate ones)
    assert any(lag >= 190 and busy >= 240 for lag, busy in found), caplog.text  # the spin (less the 50 ms tick)
    assert any(lag >= 190 and busy < 100 for lag, busy in found), caplog.text  # the sleep


async def test_the_running_bot_answers_through_the_window_adapter(fake_discord, settings, caplog):
    """run() (the program's own path: login, then connect, each retried) answers interactions through
    bot/answers.py's adapter, as fake.run(bot) does: a callback Discord carried out but answered 502
    is retried and its 40060 taken as success, with no error logged."""
    caplog.set_level(logging.INFO)
    task = asyncio.create_task(run(settings, fake_discord.token))
    try:
        await fake_discord.wait_until_ready(timeout=10)
        await fake_discord.wait_for(lambda: fake_discord.registered_commands(), timeout=10, what="the commands")
        fake_discord.inject_fault(
            "POST", "/interactions/{interaction_id}/{interaction_token}/callback", 502, processed=True
        )
        inter = await fake_discord.send_command("brief", options={"article": "strategic calculus"})
        await fake_discord.wait_for(lambda: inter.rejected, timeout=5, what="the retried callback")
        assert [(status, body["code"]) for status, body, _ in inter.rejected] == [(400, 40060)]
        assert len(inter.callbacks) == 1
        await asyncio.sleep(0.3)
        assert inter.followups == [] and inter.edits == []  # no apology
        assert "had already been received" in caplog.text
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
