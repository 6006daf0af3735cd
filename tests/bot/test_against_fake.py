"""`python -m bot.against_fake`: the real program pointed at a fake Discord, in a process of its
own, as the benchmarks run it (no script path under tests/ needed)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys

from bot.localdiscord import FakeDiscord
from tests.conftest import ROOT

TOKEN = "MTAxNzY0NjQ0.against-fake-token.Qx9ZZ"


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEFBOT_", "DISCORD_", "FAKE_DISCORD_"))}
    return {**env, "PYTHONPATH": str(ROOT), **extra}


async def test_the_bot_serves_the_fake_and_stops_on_sigterm(tmp_path, articles_dir):
    async with FakeDiscord(token=TOKEN) as fake:
        env = environment(
            DISCORD_TOKEN=TOKEN,
            BRIEFBOT_ARTICLES_DIR=str(articles_dir),
            BRIEFBOT_DB=str(tmp_path / "bot.sqlite3"),
            FAKE_DISCORD_API=fake.api_url,
            FAKE_DISCORD_GATEWAY=fake.gateway_url,
        )
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot.against_fake",
            env=env,
            cwd=tmp_path,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            await fake.wait_for(lambda: fake.gateway.ready, timeout=60)
            inter = await fake.send_command("articles")
            reply = await inter.response(timeout=10)
            assert "2 articles" in reply.data["embeds"][0]["footer"]["text"]
        finally:
            proc.send_signal(signal.SIGTERM)
            _, err = await asyncio.wait_for(proc.communicate(), timeout=30)
    assert proc.returncode == 0, err.decode()
    assert "stopped" in err.decode().splitlines()[-1]


def test_without_the_fake_addresses_it_is_one_line(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "bot.against_fake"],
        env=environment(),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr == "briefbot: error: FAKE_DISCORD_API and FAKE_DISCORD_GATEWAY must name the fake Discord\n"
