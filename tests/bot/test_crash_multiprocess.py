"""Exactly once across several processes: three bot processes (gateway shards 0, 1 and 2 of three)
share one PostgreSQL database and one articles folder; while articles keep arriving, a killer
SIGKILLs a random process at random moments and starts it again, several times; then every process
runs until the work is done. Every article must then be posted exactly once to every subscribed
channel (two channels taking each article as it comes, in two servers on different shards, and one
taking a daily digest), none missing, none doubled; every outbox row and digest delivered; and no
process (nor any of their analysis workers) left running.

PostgreSQL only: several processes sharing one database is what the PostgreSQL backend is for; an
SQLite file is served by one process, by rule (bot/storage/sqlite.py: its locks and claims are the
process's own), so there is no SQLite variant. The session's PostgreSQL server
(tests/support/postgres.py) is always there in CI, where a missing server fails rather than skips.

The processes are ``tests/support/run_bot_hooks.py`` (``python -m bot.against_fake`` with the test
hooks): the calendar runs a day every DAY_SECONDS (so periods close and digests go during the
test), the delivery worker looks at the outbox every 0.1 s, its claims last LEASE seconds, and each
shard's process claims as if it ran on a machine of its own: what a killed process had claimed is
freed at once when its shard's process starts again (a dead process of the same host), and taken
over by the other shards only once its lease lapses (another host's). The random choices come from one
seeded generator (SEED, or BRIEFBOT_TEST_SEED to replay another), printed when the test fails.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import signal
import sys
import time
from collections import Counter
from pathlib import Path

import asyncpg

from bot.core.periods import DAILY
from bot.discord_app.delivery_worker import CONCURRENCY
from bot.localdiscord import FakeDiscord, make_guild_on_shard, make_text_channel, make_user, shard_of
from bot.storage.db import connect
from bot.storage.subscriptions import SubscriptionRepository
from tests.conftest import ROOT
from tests.support.clock import fast_clock

SEED = 20261128
PROCESSES = 3  # each one gateway shard of PROCESSES
ARTICLES = 36  # written while the processes run and are killed
MIN_KILLS = 6
DAY_SECONDS = 4.0  # real seconds per day of the bots' calendar
LEASE = 20.0  # seconds a claim lasts (the product's 90 s, shortened; a post gets half): another host's claims lapse
KILLING_LIMIT = 75.0  # seconds: no new kill after this (it takes about 30)
SETTLE_TIMEOUT = 60.0  # after the last article: every post made (waited on, not slept)


class Processes:
    """The bot processes, each started in a process group of its own (so that its analysis workers
    are found after a kill) and logging to a file of its own (shown when the test fails)."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env = env
        self.logs = logs
        self.procs: dict[int, asyncio.subprocess.Process] = {}
        self.log_of: dict[int, Path] = {}
        self.groups: list[int] = []  # every process group ever started
        self.up: set[Path] = set()  # the logs of the runs that connected
        self.runs = 0

    async def start(self, shard: int) -> None:
        self.runs += 1
        log = self.logs / f"shard{shard}-run{self.runs:02}.log"
        with log.open("wb") as out:
            proc = await asyncio.create_subprocess_exec(
                sys.executable,
                str(ROOT / "tests" / "support" / "run_bot_hooks.py"),
                env={**self.env, "BRIEFBOT_SHARD_IDS": str(shard), "BRIEFBOT_TEST_HOST": f"machine{shard}"},
                stdout=out,
                stderr=out,
                start_new_session=True,
            )
        self.procs[shard], self.log_of[shard] = proc, log
        self.groups.append(proc.pid)

    def connected(self, shard: int) -> bool:
        """Whether the process of ``shard`` got through its start-up (its READY was logged)."""
        log = self.log_of[shard]
        if log not in self.up:
            with contextlib.suppress(OSError):
                if b"connected as" in log.read_bytes():
                    self.up.add(log)
        return log in self.up

    async def kill(self, shard: int) -> None:
        proc = self.procs[shard]
        if proc.returncode is None:
            proc.send_signal(signal.SIGKILL)
        await proc.wait()

    async def stop_all(self) -> None:
        for proc in self.procs.values():
            if proc.returncode is None:
                proc.terminate()
        for proc in self.procs.values():
            try:
                await asyncio.wait_for(proc.wait(), 20)
            except TimeoutError:
                proc.kill()
                await proc.wait()

    async def groups_left(self, timeout: float = 15.0) -> list[int]:  # noqa: ASYNC109
        """The process groups (a bot and its analysis workers) still running after ``timeout``."""
        deadline = time.monotonic() + timeout
        while True:
            left = []
            for pgid in self.groups:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(pgid, 0)
                    left.append(pgid)
            if not left or time.monotonic() > deadline:
                return left
            await asyncio.sleep(0.1)

    def tail(self, lines: int = 15) -> str:
        out = []
        for log in sorted(self.logs.glob("*.log")):
            text = log.read_text(errors="replace").splitlines()
            interesting = [t for t in text if "WARNING" in t or "ERROR" in t or "Traceback" in t][-lines:]
            out.append(f"--- {log.name}: {len(text)} lines\n" + "\n".join(interesting))
        return "\n".join(out)


async def outbox_counts(url: str) -> tuple[dict[str, int], dict[str, int]]:
    """The deliveries and the digests by status, read beside the running processes."""
    conn = await asyncpg.connect(url)
    try:
        deliveries = {r[0]: r[1] for r in await conn.fetch("SELECT status, COUNT(*) FROM deliveries GROUP BY status")}
        digests = {r[0]: r[1] for r in await conn.fetch("SELECT status, COUNT(*) FROM digests GROUP BY status")}
    finally:
        await conn.close()
    return deliveries, digests


async def test_sigkilled_processes_post_every_article_once_to_every_channel(postgres_server, tmp_path):
    seed = int(os.environ.get("BRIEFBOT_TEST_SEED", SEED))
    rng = random.Random(seed)
    print(f"seed {seed}: BRIEFBOT_TEST_SEED={seed} replays its choices")  # shown by pytest if the test fails
    # Two servers on shards 0 and 1 (shard 2's process has none: it ingests and posts all the same).
    guild0 = make_guild_on_shard("Shard Zero", 0, PROCESSES, owner=make_user(username="owner0"))
    guild1 = make_guild_on_shard("Shard One", 1, PROCESSES, owner=make_user(username="owner1"))
    assert [shard_of(int(g["id"]), PROCESSES) for g in (guild0, guild1)] == [0, 1]
    news0, news1 = (int(g["channels"][0]["id"]) for g in (guild0, guild1))
    digest = make_text_channel(name="digest", guild_id=int(guild1["id"]), position=1)
    digest1 = int(digest["id"])
    articles = tmp_path / "articles"
    articles.mkdir()
    logs = tmp_path / "logs"
    logs.mkdir()
    spec = f"{1_795_780_800.0},{time.time()},{86400 / DAY_SECONDS}"  # from Friday 27 November 2026, 12:00 UTC

    async with FakeDiscord(guilds=[guild0, guild1]) as fake, postgres_server.database() as url:
        fake.add_channel(int(guild1["id"]), digest)
        db = await connect(url)
        try:
            subs = SubscriptionRepository(db, clock=fast_clock(spec))
            for guild, channel, mode in ((guild0, news0, "off"), (guild1, news1, "off"), (guild1, digest1, DAILY)):
                await subs.subscribe(guild_id=int(guild["id"]), channel_id=channel, keywords=[], user_id=1, digest=mode)
        finally:
            await db.close()
        # Posts are slowed before and after Discord takes them, so kills land between acceptance and the mark.
        for channel in (news0, news1, digest1):
            fake.inject_fault("POST", f"/channels/{channel}/messages", None, times=None, delay=0.1, delay_after=0.1)
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("BRIEFBOT_", "DISCORD_"))},
            "DISCORD_TOKEN": fake.token,
            "BRIEFBOT_DATABASE_URL": url,
            "BRIEFBOT_ARTICLES_DIR": str(articles),
            "BRIEFBOT_POLL_SECONDS": "1",
            "BRIEFBOT_LOG_LEVEL": "INFO",
            "BRIEFBOT_SHARD_COUNT": str(PROCESSES),
            "BRIEFBOT_TEST_CLOCK": spec,
            "BRIEFBOT_TEST_LEASE": str(LEASE),
            "FAKE_DISCORD_API": fake.api_url,
            "FAKE_DISCORD_GATEWAY": fake.gateway_url,
            "PYTHONPATH": str(ROOT),
        }
        procs = Processes(env, logs)
        titles: list[str] = []
        kills: list[tuple[float, int, bool]] = []  # (seconds into the test, shard, whether it had connected)
        began = time.monotonic()

        def messages() -> int:
            return sum(len(fake.channel_messages(c)) for c in (news0, news1, digest1))

        async def write() -> None:
            for i in range(ARTICLES):
                title = f"Crash Story Number {i}"
                (articles / f"story{i:02}.txt").write_text(
                    f"{title}\n\nSomething happened at the harbour, story {i}. Officials said more later.\n"
                )
                titles.append(title)
                if rng.random() < 0.5:  # now and then a few at once: several posts in flight
                    await asyncio.sleep(rng.uniform(0.4, 1.6))

        async def killer(writing: asyncio.Task[None]) -> None:
            while (not writing.done() or len(kills) < MIN_KILLS) and time.monotonic() - began < KILLING_LIMIT:
                await asyncio.sleep(rng.uniform(1.0, 2.5))
                how = rng.random()
                if how < 0.8:  # a process at work (past its start-up: connected, posting, ingesting)
                    with contextlib.suppress(TimeoutError):
                        await fake.wait_for(lambda: any(map(procs.connected, procs.procs)), timeout=30)
                if how < 0.5:  # just as Discord took a post, before its answer reached the process
                    before = messages()
                    with contextlib.suppress(TimeoutError):
                        await fake.wait_for(lambda n=before: messages() > n, timeout=5)
                    await asyncio.sleep(rng.uniform(0.0, 0.1))
                up = [s for s in procs.procs if procs.connected(s)]
                shard = rng.choice(up) if up and how < 0.8 else rng.randrange(PROCESSES)
                kills.append((round(time.monotonic() - began, 1), shard, procs.connected(shard)))
                await procs.kill(shard)
                await asyncio.sleep(rng.uniform(0.0, 1.0))
                await procs.start(shard)

        def posted() -> tuple[Counter[str], Counter[str], Counter[str]]:
            each = [Counter(m["embeds"][0]["title"] for m in fake.channel_messages(c)) for c in (news0, news1)]
            listed = Counter(
                f["name"] for m in fake.channel_messages(digest1) for e in m["embeds"] for f in e["fields"]
            )
            return each[0], each[1], listed

        try:
            for shard in range(PROCESSES):
                await procs.start(shard)
            # The articles arrive while the processes run: from when the first is up.
            await fake.wait_for(lambda: any(map(procs.connected, procs.procs)), timeout=60, what="a process up")
            writing = asyncio.create_task(write())
            await killer(writing)
            await writing
            expected = len(titles)
            deadline = time.monotonic() + SETTLE_TIMEOUT
            while time.monotonic() < deadline:
                deliveries, digests = await outbox_counts(url)
                if (
                    all(len(c) >= expected for c in posted())
                    and set(deliveries) == {"delivered"}
                    and sum(deliveries.values()) == 3 * expected
                    and set(digests) <= {"delivered"}
                ):
                    break
                await asyncio.sleep(0.25)
            await asyncio.sleep(1.5)  # anything extra would show up now
            deliveries, digests = await outbox_counts(url)
        finally:
            await procs.stop_all()
            left = await procs.groups_left()
            for pgid in left:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(pgid, signal.SIGKILL)  # a group this test started
        wall = time.monotonic() - began
        figures = (
            f"seed {seed} (BRIEFBOT_TEST_SEED={seed} replays it); {PROCESSES} processes, {len(kills)} kills "
            f"(seconds, shard, connected): {kills}; {len(titles)} articles; {procs.runs} starts; "
            f"{fake.nonce_replays} posts answered by their nonce; {sum(digests.values())} digests; {wall:.1f} s"
        )
        print(figures)
        context = f"{figures}\n{procs.tail()}"
        assert not left, f"processes left running: groups {left}\n{context}"
        assert len(kills) >= MIN_KILLS, context
        for shard in range(PROCESSES):  # each process ran as its own shard
            logged = b"".join(p.read_bytes() for p in logs.glob(f"shard{shard}-*.log"))
            assert f"servers as shard {shard} of {PROCESSES}".encode() in logged, f"shard {shard}\n{context}"
        news_0, news_1, listed = posted()
        wanted = set(titles)
        for name, got in (("news (shard 0)", news_0), ("news (shard 1)", news_1), ("digest (shard 1)", listed)):
            doubled = {t: n for t, n in got.items() if n > 1}
            assert not doubled, f"{name}: posted more than once: {doubled}\n{context}"
            missing = wanted - set(got)
            assert not missing, f"{name}: never posted: {sorted(missing)}\n{context}"
            assert len(got) == expected, f"{name}: {len(got)} articles of {expected}: {sorted(got)}\n{context}"
        # No process posts another's row: Discord answered from its nonce only posts that a kill
        # interrupted (accepted, not yet marked delivered), at most the posts in flight at a kill.
        assert fake.nonce_replays <= CONCURRENCY * len(kills), f"posts sent by two processes\n{context}"
        assert deliveries == {"delivered": 3 * expected}, f"outbox: {deliveries}\n{context}"
        assert set(digests) == {"delivered"}, f"digests: {digests}\n{context}"
