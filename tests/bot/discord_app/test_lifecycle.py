"""Starting and stopping the real program (``python tests/support/run_bot_hooks.py``, which is
``python -m bot`` pointed at the local fake of Discord, with test hooks).

Ctrl-C (SIGINT, sent to the whole process group as a terminal does) and SIGTERM stop the bot within
10 seconds, with status 0 and one "stopped" line, the database closed cleanly (its write-ahead
log folded back and removed, which only a clean close does) and no worker process left: while it
serves, while a worker process is busy with a slow analysis during the start-up ingest, and while
a thread is. With Discord unreachable (connection refused, a name that does not resolve, a gateway
that refuses), each attempt is one log line, the attempts go on with growing waits, and SIGTERM or
Ctrl-C during a wait stops the bot with status 0. No traceback anywhere.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import os
import random
import re
import signal
import socket
import sqlite3
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bot.discord_app.lifecycle import RETRY_CAP, RETRY_FIRST, DiscordLogFilter, retry_delay
from bot.localdiscord import FakeDiscord
from tests.bot.test_crash_ingest import write_articles
from tests.conftest import ROOT

TOKEN = "MTAxNzY0NjQ0.lifecycle-test-token.Zx9QQ"
STOP_LIMIT = 10.0  # seconds from the signal to the end of the process
LINE_START = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (DEBUG|INFO|WARNING|ERROR|CRITICAL) ")
SLOW_ARTICLE = "Slow Article About Patience\n\nThis article takes a very long time to analyse, on purpose.\n"


@dataclass
class Bot:
    """The bot's process and every line it wrote to stderr so far."""

    proc: asyncio.subprocess.Process
    lines: list[str] = field(default_factory=list)
    reader: asyncio.Task[None] | None = None

    async def wait_line(self, pattern: str, count: int = 1, timeout: float = 30) -> list[str]:  # noqa: ASYNC109
        """The first ``count`` lines matching ``pattern``, waiting for them as they are written."""
        deadline = time.monotonic() + timeout
        while True:
            found = [line for line in self.lines if re.search(pattern, line)]
            if len(found) >= count:
                return found[:count]
            if self.proc.returncode is not None or time.monotonic() > deadline:
                raise AssertionError(f"no {count} lines matching {pattern!r}:\n" + "\n".join(self.lines))
            await asyncio.sleep(0.05)

    async def stop(self, sig: signal.Signals, times: int = 1, *, group: bool = False) -> tuple[int, float]:
        """Send ``sig`` as a terminal (SIGINT: to the process group) or a service manager (SIGTERM:
        to the process; with ``group``, to the whole group, as systemd's default KillMode does)
        would, ``times`` times in a row (an impatient user); return the exit status and the seconds
        it took."""
        sent = time.monotonic()
        for n in range(times):
            with contextlib.suppress(*((ProcessLookupError,) if n else ())):  # gone already: fine
                if sig == signal.SIGINT or group:
                    os.killpg(self.proc.pid, sig)
                else:
                    self.proc.send_signal(sig)
            await asyncio.sleep(0.05)
        try:
            await asyncio.wait_for(self.proc.wait(), timeout=STOP_LIMIT + 20)
        finally:
            if self.proc.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                await self.proc.wait()
        elapsed = time.monotonic() - sent
        assert self.reader is not None
        await asyncio.wait_for(self.reader, timeout=5)
        return self.proc.returncode, elapsed

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@contextlib.asynccontextmanager
async def bot_process(env: dict[str, str]) -> AsyncIterator[Bot]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "tests" / "support" / "run_bot_hooks.py"),
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
        start_new_session=True,  # a process group of its own, as in a terminal: Ctrl-C reaches all of it
    )
    bot = Bot(proc)

    async def read() -> None:
        assert proc.stderr is not None
        async for raw in proc.stderr:
            bot.lines.append(raw.decode(errors="replace").rstrip("\n"))

    bot.reader = asyncio.create_task(read())
    try:
        yield bot
    finally:
        if proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            await proc.wait()
        bot.reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await bot.reader


def environment(articles: Path, db: Path, api: str, gateway: str, **extra: str) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("BRIEFBOT_", "DISCORD_"))},
        "DISCORD_TOKEN": TOKEN,
        "BRIEFBOT_ARTICLES_DIR": str(articles),
        "BRIEFBOT_DB": str(db),
        "BRIEFBOT_LOG_LEVEL": "INFO",
        "FAKE_DISCORD_API": api,
        "FAKE_DISCORD_GATEWAY": gateway,
        "PYTHONPATH": str(ROOT),
        **extra,
    }


@contextlib.contextmanager
def refused_port() -> Iterator[int]:
    """A port on 127.0.0.1 that refuses connections: bound (so nothing else takes it), not listening."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


def assert_stopped_cleanly(bot: Bot, status: int, elapsed: float, sig: signal.Signals, db: Path | None) -> None:
    text = bot.text
    assert status == 0, text
    assert elapsed < STOP_LIMIT, (elapsed, text)
    assert [line for line in bot.lines if "stopped" in line] == [
        line for line in bot.lines if re.search(rf"INFO +bot\.discord_app\.lifecycle: stopped \({sig.name}, ", line)
    ], text
    assert sum("stopped" in line for line in bot.lines) == 1, text
    assert "Traceback" not in text and "Error" not in text.replace("ERROR", ""), text
    assert all(LINE_START.match(line) for line in bot.lines), text  # log lines only, one line each
    assert group_members(bot.proc.pid) == [], "processes of the bot's group outlived it"
    if db is not None:
        assert not Path(f"{db}-wal").exists(), "the database was not closed (its write-ahead log is still there)"
        with contextlib.closing(sqlite3.connect(db)) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


def group_members(pgid: int, settle: float = 2.0) -> list[str]:
    """The processes left in process group ``pgid`` (zombies aside: already dead, only not yet
    reaped by init), after giving them ``settle`` seconds to go (multiprocessing's resource
    tracker exits when the bot's end closes its pipe)."""
    deadline = time.monotonic() + settle
    while True:
        alive = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError):
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[2]) == pgid and fields[0] != "Z":
                    alive.append((stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode())
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.1)


async def ready(fake: FakeDiscord, bot: Bot) -> None:
    await fake.wait_for(lambda: any(s.ready for s in fake.gateway.live_sessions), timeout=30)
    await bot.wait_line(r"connected as ")


# --- stopping -----------------------------------------------------------------------------------


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
async def test_stop_while_serving(tmp_path, articles_dir, sig):
    db = tmp_path / "bot.sqlite3"
    async with FakeDiscord(token=TOKEN) as fake:
        async with bot_process(environment(articles_dir, db, fake.api_url, fake.gateway_url)) as bot:
            await ready(fake, bot)
            status, elapsed = await bot.stop(sig)
        # Closed with 1000 (the session ended, as a clean close does on Discord), not dropped.
        await fake.wait_for(lambda: not fake.gateway.open_connections, timeout=5)
        assert fake.gateway.live_sessions == []
    assert_stopped_cleanly(bot, status, elapsed, sig, db)
    assert bot.lines[-1].endswith("after the signal)")


@pytest.mark.parametrize(
    ("sig", "group"),
    [(signal.SIGINT, True), (signal.SIGTERM, False), (signal.SIGTERM, True)],
    ids=["SIGINT", "SIGTERM", "SIGTERM-to-the-group"],
)
async def test_stop_while_a_worker_process_analyses_a_slow_article_at_start_up(tmp_path, sig, group):
    """A cold start with 40 articles analyses in worker processes; one analysis keeps its worker
    busy for ten minutes. The signal comes while it runs: the worker is ended, not waited for.
    A signal to the whole group (a terminal's Ctrl-C; SIGTERM from systemd's default KillMode)
    reaches the workers too: they leave stopping to the bot, so no analysis is reported failed."""
    folder = tmp_path / "articles"
    folder.mkdir()
    write_articles(folder, 40)
    (folder / "0000-slow.txt").write_text(SLOW_ARTICLE)
    marker, db = tmp_path / "slow-started", tmp_path / "bot.sqlite3"
    async with FakeDiscord(token=TOKEN) as fake:
        env = environment(folder, db, fake.api_url, fake.gateway_url, BRIEFBOT_TEST_SLOW=str(marker))
        async with bot_process(env) as bot:
            await wait_for_file(marker, bot)
            assert int(marker.read_text()) != bot.proc.pid  # in a worker process, not the bot's
            status, elapsed = await bot.stop(sig, group=group)
    assert_stopped_cleanly(bot, status, elapsed, sig, db)
    assert not any("library ready" in line for line in bot.lines)  # it was stopped during start-up


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
async def test_stop_while_a_worker_analyses_a_slow_new_file_while_serving(tmp_path, articles_dir, sig):
    """A new file while the bot serves is analysed in a worker process too (nothing read from
    outside is analysed without a budget, in a thread of the bot's that could not be stopped); its
    analysis never ends. The signal comes while it runs: the worker is ended, not waited for."""
    marker, db = tmp_path / "slow-started", tmp_path / "bot.sqlite3"
    async with FakeDiscord(token=TOKEN) as fake:
        env = environment(
            articles_dir, db, fake.api_url, fake.gateway_url, BRIEFBOT_TEST_SLOW=str(marker), BRIEFBOT_POLL_SECONDS="1"
        )
        async with bot_process(env) as bot:
            await ready(fake, bot)
            (articles_dir / "slow.txt").write_text(SLOW_ARTICLE)
            await wait_for_file(marker, bot)
            assert int(marker.read_text()) != bot.proc.pid  # in a worker process, not the bot's
            status, elapsed = await bot.stop(sig, times=3)  # pressed again, the stop goes on as before
    assert_stopped_cleanly(bot, status, elapsed, sig, db)


async def wait_for_file(path: Path, bot: Bot, timeout: float = 60) -> None:  # noqa: ASYNC109
    deadline = time.monotonic() + timeout
    while not await asyncio.to_thread(lambda: path.exists() and path.read_text()):
        assert bot.proc.returncode is None, bot.text
        assert time.monotonic() < deadline, f"{path.name} never appeared:\n{bot.text}"
        await asyncio.sleep(0.05)


# --- Discord unreachable --------------------------------------------------------------------------


def attempt_times(lines: list[str], pattern: str) -> list[float]:
    """The log timestamps (seconds) of the lines matching ``pattern``."""
    times = []
    for line in lines:
        if re.search(pattern, line):
            stamp = time.strptime(line[:19], "%Y-%m-%d %H:%M:%S")
            times.append(time.mktime(stamp) + int(line[20:23]) / 1000)
    return times


@pytest.mark.parametrize(
    ("case", "sig"),
    [("connection refused", signal.SIGTERM), ("no DNS", signal.SIGINT)],
    ids=["refused-SIGTERM", "no-DNS-SIGINT"],
)
async def test_discord_unreachable_is_one_line_per_attempt_until_stopped(tmp_path, articles_dir, case, sig):
    db = tmp_path / "bot.sqlite3"
    with refused_port() as port:
        if case == "no DNS":
            api, extra = "http://discord.invalid/api/v10", {"BRIEFBOT_TEST_NO_DNS": "1"}
            reason = "Cannot connect to host discord.invalid:80 ssl:default [Name or service not known]"
        else:
            api, extra = f"http://127.0.0.1:{port}/api/v10", {}
            reason = f"Cannot connect to host 127.0.0.1:{port} ssl:default [Connect call failed ('127.0.0.1', {port})]"
        env = environment(articles_dir, db, api, f"ws://127.0.0.1:{port}/", **extra)
        async with bot_process(env) as bot:
            attempts = await bot.wait_line(r"cannot reach Discord \(attempt \d+\)", count=3, timeout=30)
            status, elapsed = await bot.stop(sig)
    for n, line in enumerate(attempts, start=1):
        assert re.search(rf"WARNING +bot\.discord_app\.lifecycle: cannot reach Discord \(attempt {n}\): ", line), line
        assert re.search(rf": {re.escape(reason)}; trying again in \d+\.\d s$", line), line
    times = attempt_times(bot.lines, r"cannot reach Discord \(attempt")
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert 0.4 <= gaps[0] <= 1.5 and 0.9 <= gaps[1] <= 2.5, gaps  # waits grow (1 s, 2 s, ... halved by jitter)
    assert sum("logging in using static token" in line for line in bot.lines) == 1
    assert_stopped_cleanly(bot, status, elapsed, sig, None)
    assert not db.exists()  # stopped before Discord answered: the bot never started up


async def test_gateway_unreachable_is_one_line_per_attempt_until_stopped(tmp_path, articles_dir):
    """Discord's API answers but its gateway refuses connections: the bot starts up (library,
    database), then tries the gateway again and again, one line each, until Ctrl-C."""
    db = tmp_path / "bot.sqlite3"
    async with FakeDiscord(token=TOKEN) as fake:
        with refused_port() as port:
            async with bot_process(environment(articles_dir, db, fake.api_url, f"ws://127.0.0.1:{port}/")) as bot:
                attempts = await bot.wait_line(r"cannot reach Discord's gateway \(attempt \d+\)", count=2, timeout=30)
                status, elapsed = await bot.stop(signal.SIGINT)
    for n, line in enumerate(attempts, start=1):
        assert re.search(
            rf"WARNING +bot\.discord_app\.lifecycle: cannot reach Discord's gateway \(attempt {n}\): Cannot connect to host "
            rf"127\.0\.0\.1:{port} .*; trying again in \d+\.\d s$",
            line,
        ), line
    assert any("library ready: 2 articles" in line for line in bot.lines)
    assert_stopped_cleanly(bot, status, elapsed, signal.SIGINT, db)


def test_retry_delays_grow_to_a_cap_with_jitter():
    rng = random.Random(13)
    for attempt in range(1, 40):
        step = min(RETRY_CAP, RETRY_FIRST * 2 ** (attempt - 1))
        delays = [retry_delay(attempt, rng) for _ in range(50)]
        assert all(step / 2 <= d <= step for d in delays), (attempt, delays)
        assert len(set(delays)) > 1  # jitter: bots restarted together do not retry in step
    assert max(retry_delay(1000, rng) for _ in range(100)) <= RETRY_CAP


STUBBORN = """
import asyncio, logging, time
from bot.discord_app import lifecycle
lifecycle.STOP_DEADLINE = 1.0
logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")

async def stubborn():
    print("ready", flush=True)
    try:
        await asyncio.sleep(3600)
    except asyncio.CancelledError:
        time.sleep(3600)  # a close that never ends, holding the event loop

lifecycle.serve(stubborn())
"""


async def test_a_stop_that_hangs_is_ended_by_the_watchdog(tmp_path):
    """Should closing hang (a database held by another process, a bug), the process still ends
    STOP_DEADLINE after the signal, saying so, with status 1: not a clean stop."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        STUBBORN,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert proc.stdout is not None
        assert await asyncio.wait_for(proc.stdout.readline(), timeout=30) == b"ready\n"
        sent = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(proc.communicate(), timeout=20)
        elapsed = time.monotonic() - sent
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert proc.returncode == 1
    assert 0.9 <= elapsed < 5, elapsed
    assert err.decode().splitlines() == [
        "INFO bot.discord_app.lifecycle: SIGTERM: stopping",
        "ERROR bot.discord_app.lifecycle: not stopped 1 s after SIGTERM: exiting without waiting any longer",
    ]


def test_discord_reconnect_lines_lose_their_traceback():
    """When the network goes away while the bot runs, discord.py logs each reconnect with a
    traceback; it becomes one line with the reason. Before the first connection, none (the bot
    logs that attempt itself); "logging in" once, however many attempts."""
    connected = True
    one_line = DiscordLogFilter(connected_once=lambda: connected)
    try:
        raise OSError(101, "Network is unreachable")
    except OSError:
        exc_info = sys.exc_info()

    def record(msg: str, *args: object, exc: bool = True) -> logging.LogRecord:
        return logging.LogRecord("discord.client", logging.ERROR, __file__, 1, msg, args, exc_info if exc else None)

    reconnect = record("Attempting a reconnect in %.2fs", 1.5)
    assert one_line.filter(reconnect)
    formatted = logging.Formatter("%(levelname)s %(name)s: %(message)s").format(reconnect)
    assert formatted == ("ERROR discord.client: Attempting a reconnect in 1.50s ([Errno 101] Network is unreachable)")
    connected = False
    assert not one_line.filter(record("Attempting a reconnect in %.2fs", 0.5))
    logins = [one_line.filter(record("logging in using static token", exc=False)) for _ in range(3)]
    assert logins == [True, False, False]
