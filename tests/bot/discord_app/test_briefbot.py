"""The bot's start-up through the real discord.py stack, against the local fake of Discord."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import replace

import pytest

from bot.cli import main
from bot.discord_app.briefbot import TokenRejected, run
from tests.bot.discord_app.conftest import make_bot

SLASH_COMMANDS = {
    "brief",
    "compare",
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
    "help",
}
MESSAGE_COMMANDS = {"Brief this article"}  # application command type 3, on a message's Apps menu
COMMANDS = SLASH_COMMANDS | MESSAGE_COMMANDS


async def test_rejected_token_raises_token_rejected(fake_discord, settings):
    with pytest.raises(TokenRejected, match="Discord rejected DISCORD_TOKEN"):
        await run(settings, "not-the-right-token")


async def test_too_many_servers_for_one_connection_is_one_line(fake_discord, settings):
    fake_discord.gateway.max_guilds_per_session = 0  # Discord's is 2,500: past it, 4011 Sharding required
    with pytest.raises(TokenRejected, match=r"4011 Sharding required\): .* set BRIEFBOT_SHARD_COUNT"):
        await asyncio.wait_for(run(settings, fake_discord.token), 30)


async def test_a_shard_discord_refuses_is_one_line(fake_discord, settings):
    # Past the settings' own checks (bot.config refuses such ids): what Discord says of a bad shard.
    refused = replace(settings, shard_count=2, shard_ids=(2,))
    with pytest.raises(TokenRejected, match=r"4010 Invalid shard\): check BRIEFBOT_SHARD_COUNT"):
        await asyncio.wait_for(run(refused, fake_discord.token), 30)


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
        menus = [c for c in fake_discord.registered_commands() if c["name"] in MESSAGE_COMMANDS]
        assert [(c["type"], c["description"], c["options"]) for c in menus] == [(3, "", [])]
    assert len(fake_discord.command_syncs) == 1
    # Unchanged commands: the next start does not upload them again.
    async with fake_discord.run(make_bot(settings)):
        pass
    assert len(fake_discord.command_syncs) == 1


async def test_services_are_none_until_started_and_an_unstarted_bot_closes(settings):
    """Every attribute is declared when the bot is made: None until setup_hook composes it; close()
    of a bot that never started (Discord never answered) closes what there is and nothing else."""
    bot = make_bot(settings)
    services = (
        "db",
        "state",
        "requests",
        "subscriptions",
        "library",
        "feeds",
        "fetcher",
        "feed_poller",
        "links",
        "link_fetcher",
    )
    assert all(getattr(bot, name) is None for name in (*services, "delivery_worker", "commands_sync"))
    assert bot.max_loop_lag == 0.0 and bot.acks.in_flight == 0
    await bot.close()
    assert not settings.db_path.exists()


async def test_the_services_are_composed_and_closed(fake_discord, settings):
    async with fake_discord.run(make_bot(settings)) as bot:
        assert bot.delivery_worker is not None and bot.commands_sync is not None and bot.feed_poller is not None
        assert bot.delivery_worker.outbox is bot.subscriptions
        assert bot.links.fetcher is bot.link_fetcher and bot.links.library is bot.library
        assert bot.link_fetcher.timeout == bot.fetcher.timeout  # the fetcher's limits, its own private switch
        assert bot.link_fetcher.allow_private is settings.links_allow_private is False
        fetchers = bot.fetcher, bot.link_fetcher
        for fetcher in fetchers:
            fetcher._client()  # sessions open, to be closed by close()
        db = bot.db
    assert all(f._session is None for f in fetchers)
    with pytest.raises(ValueError):  # closed last, by close()
        await db.execute("SELECT 1")


def test_each_bot_counts_its_own_commands_in_flight(settings):
    """Once a module-level counter in cogs/common.py, shared by every bot in the process."""
    first, second = make_bot(settings), make_bot(settings)
    assert first.acks is not second.acks and first.lag is not second.lag


async def test_bad_file_is_logged_and_the_bot_runs(fake_discord, settings, articles_dir, caplog):
    (articles_dir / "broken.json").write_text("{not json")
    caplog.set_level(logging.INFO)
    async with fake_discord.run(make_bot(settings)) as bot:
        assert len(bot.library.articles) == 2
        inter = await fake_discord.send_command("brief", options={})
        assert (await inter.response(timeout=3)).data["embeds"]
    assert "skipped broken.json: invalid JSON" in caplog.text
    assert "serving 2 articles" in caplog.text


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


async def test_first_sync_finished_waits_for_a_sync_that_start_up_left_in_the_background(fake_discord, settings):
    bot = make_bot(settings)
    bot.startup_sync_seconds = 0.0  # start-up does not wait at all
    async with fake_discord.run(bot) as running:
        await running.first_sync_finished()
        assert len(running.library.articles) == 2
        await running.first_sync_finished()  # and again, at once
