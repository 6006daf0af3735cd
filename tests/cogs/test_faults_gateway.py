"""The gateway connection drops mid-session: the bot resumes (or identifies again when Discord has
ended the session) and keeps answering; interactions dispatched around the drop are answered once
or, when Discord itself lost them, not at all, and nothing crashes."""

from __future__ import annotations

import logging

import pytest

from tests.cogs.conftest import run


def _errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [f"{r.name}: {r.getMessage()}" for r in caplog.records if r.levelno >= logging.ERROR]


async def _no_identify_wait(shard_id: int | None, *, initial: bool = False) -> None:
    return None


async def _answered_once(inter) -> None:
    reply = await inter.response(timeout=5)
    assert reply.type in (4, 5)
    assert len(inter.callbacks) == 1 and inter.rejected == []
    if reply.type == 5:
        await inter.answer(timeout=5)


@pytest.mark.parametrize(
    ("how", "resumes"),
    [
        ("close 4000", True),  # Discord's "unknown error": resumable
        ("abrupt", True),  # the TCP connection is cut, no close frame
        ("reconnect op 7", True),  # Discord asks the client to reconnect
        ("close 4009", False),  # session timed out: RESUME is refused, IDENTIFY again
        ("invalid session op 9", False),  # INVALID_SESSION(false)
    ],
)
async def test_gateway_drop_mid_session(bot, fake_discord, caplog, monkeypatch, how: str, resumes: bool):
    caplog.set_level(logging.WARNING)
    # discord.py waits 5 s before every IDENTIFY after the first (Discord's identify rate limit);
    # the fake has no such limit, so the test skips the wait.
    monkeypatch.setattr(bot, "before_identify_hook", _no_identify_wait)
    await run(fake_discord, "brief", article="warning-is-china-pivoting-back-to-north-korea")

    # A command arrives on the socket that is about to go: it is answered once, over REST.
    before = await fake_discord.send_command("brief", options={"article": "strategic calculus"})
    if how == "abrupt":
        await fake_discord.drop_gateway(abrupt=True)
    elif how.startswith("close"):
        await fake_discord.drop_gateway(int(how.split()[1]))
    elif how.startswith("reconnect"):
        await fake_discord.request_reconnect()
    else:
        await fake_discord.invalidate_session(resumable=False)

    if resumes:
        # Sent while the bot is between sockets: Discord keeps it and replays it on RESUME.
        during = await fake_discord.send_command("summary", options={"article": "strategic calculus"})
        await fake_discord.wait_for(lambda: fake_discord.resume_count == 1, timeout=5, what="RESUME")
        await _answered_once(during)
        assert fake_discord.identify_count == 1
        replayed = fake_discord.gateway.connections[-1].sent
        assert any(p["t"] == "INTERACTION_CREATE" and p["d"]["id"] == str(during.id) for p in replayed)
    else:
        await fake_discord.wait_for(lambda: fake_discord.identify_count == 2, timeout=5, what="a new IDENTIFY")
        assert fake_discord.resume_count == 0
    await fake_discord.wait_until_ready(timeout=5)
    await _answered_once(before)

    # And it keeps answering on the new connection.
    _, answer = await run(fake_discord, "brief", article="strategic calculus")
    assert answer["embeds"][0]["title"] == "North Korea’s Defiance May Reshape China’s Strategic Calculus"
    assert len(fake_discord.gateway.open_connections) == 1
    assert _errors(caplog) == []
    count = await bot.requests.count(int(fake_discord.alice["id"]))
    assert count == (4 if resumes else 3)  # every brief and summary answered was recorded, once


async def test_repeated_drops_do_not_pile_up_connections(bot, fake_discord, caplog):
    caplog.set_level(logging.WARNING)
    for n in range(1, 4):
        await fake_discord.drop_gateway(abrupt=n % 2 == 1)
        await fake_discord.wait_for(lambda n=n: fake_discord.resume_count == n, timeout=5, what=f"RESUME {n}")
        await run(fake_discord, "brief", article="strategic calculus")
    assert fake_discord.identify_count == 1
    assert len(fake_discord.gateway.open_connections) == 1
    assert _errors(caplog) == []
