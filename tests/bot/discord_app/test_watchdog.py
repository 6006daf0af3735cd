"""The bot's health: its event loop's lag measured, and its commands acknowledged in time (each
bot counting its own commands in flight). Through the real discord.py stack and the fake Discord."""

from __future__ import annotations

import asyncio
import logging

from bot.discord_app.watchdog import ACK_DEADLINE, BUSY_THRESHOLD, Acknowledgements, LoopLag
from tests.bot.discord_app.conftest import make_bot


async def test_a_command_past_the_busy_threshold_is_acknowledged_first(fake_discord, settings):
    async with fake_discord.run(make_bot(settings)) as bot:
        bot.acks.busy_threshold = 0  # every command counts as one too many
        inter = await fake_discord.send_command("brief", options={})
        assert (await inter.response(timeout=3)).type == 5  # deferred at once
        assert (await inter.answer(timeout=3))["embeds"]  # then answered by editing the deferral
        await fake_discord.wait_for(lambda: bot.acks.in_flight == 0, timeout=3)  # counted out once done


async def test_a_command_under_the_threshold_is_answered_directly(fake_discord, settings):
    async with fake_discord.run(make_bot(settings)) as bot:
        inter = await fake_discord.send_command("brief", options={})
        assert (await inter.response(timeout=3)).type == 4
        await fake_discord.wait_for(lambda: bot.acks.in_flight == 0, timeout=3)  # counted out once done


async def test_slow_work_is_deferred_after_the_deadline(fake_discord, settings, monkeypatch):
    async with fake_discord.run(make_bot(settings)) as bot:
        bot.acks.deadline = 0.1
        brief = bot.library.reading.brief

        async def slow_brief(row, sentences):
            await asyncio.sleep(0.5)
            return await brief(row, sentences)

        monkeypatch.setattr(bot.library.reading, "brief", slow_brief)
        inter = await fake_discord.send_command("brief", options={})
        assert (await inter.response(timeout=3)).type == 5
        assert (await inter.answer(timeout=3))["embeds"]


def test_the_defaults():
    acks = Acknowledgements()
    assert (acks.busy_threshold, acks.deadline, acks.in_flight) == (BUSY_THRESHOLD, ACK_DEADLINE, 0)
    assert ACK_DEADLINE < 3.0  # inside Discord's window


async def test_loop_lag_keeps_the_longest(caplog):
    lag = LoopLag(interval=0.01, warning=0.05)
    task = asyncio.create_task(lag.watch())
    try:
        await asyncio.sleep(0.05)
        import time

        time.sleep(0.1)  # noqa: ASYNC251 - the loop blocked on purpose
        await asyncio.sleep(0.05)
    finally:
        task.cancel()
    assert lag.max_lag >= 0.08
    assert any(r.levelno == logging.WARNING and "event loop blocked" in r.getMessage() for r in caplog.records)


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
