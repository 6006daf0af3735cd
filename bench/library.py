"""The bot at library sizes from 1,000 to 100,000 articles: ingest, restarts, memory, latency; on
SQLite or PostgreSQL, with one bot process or several (gateway shards sharing one database).

    python -m bench.library [--sizes 1000 10000 100000] [--requests 200]
    python -m bench.library --sizes 10000 --setups sqlite postgresql postgresql:2

For each size a synthetic library (bench/corpus.py: bylines, bios, quotations, boilerplate) is
written to a temporary folder and the real bot is started in processes of its own
(`python -m bot.against_fake`) against the local fake of Discord in this one, under each setup in
turn (``--setups``, the first the baseline of the ratios printed at the end): a backend (``sqlite``;
``postgresql``: a database on ``--database-url``'s server or on a throwaway one, see
bench/backends.py) and a number of processes, ``postgresql:N`` running N processes as shards 0..N-1
of N (BRIEFBOT_SHARD_COUNT, BRIEFBOT_SHARD_IDS) on one database and one folder, the fake holding one
guild on each shard and the interactions taking the guilds in turn:

- cold start: an empty database, every article analysed by one process; time until the database
  holds every article (the bot answers while it ingests), articles per second (a later PostgreSQL
  setup of the same size starts from the database the first one built);
- warm restart with every file unchanged: time until a title is offered in every guild (so by every
  process), the time until every gateway session was ready beside it;
- one new file: time until autocomplete offers it in every guild (so, answered by every process;
  the folder is polled every second);
- resident memory of each bot process when ready (the PostgreSQL server's own is not counted), and
  the database's size on disk;
- latency of /brief, /quotes keyword: and article autocomplete, from the interaction leaving the
  fake gateway to the answer arriving back (for a command acknowledged first, its followup), p50
  and p99, wherever the interaction was answered;
- 500 /brief interactions sent at once: the slowest acknowledgement.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import re
import signal
import sqlite3
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from bench.backends import PostgresDatabases, Setup, postgres_server, sqlite_size_mb
from bench.corpus import COMMON, Corpus
from bench.search import pct
from bot.localdiscord import FakeDiscord, make_user
from bot.localdiscord.payloads import make_guild, make_member, make_role, make_text_channel, snowflake
from bot.localdiscord.permissions import DEFAULT_EVERYONE_PERMISSIONS

ROOT = Path(__file__).resolve().parent.parent
LIVE: list[asyncio.subprocess.Process] = []  # the bot processes started and not yet stopped


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def tree_cpu(pid: int) -> dict[int, float]:
    """CPU seconds used so far by a process and each of its descendants, by pid (from /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    out: dict[int, float] = {}
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            out[p] = (int(fields[11]) + int(fields[12])) / tick  # utime, stime
            for task in Path(f"/proc/{p}/task").iterdir():
                stack.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, IndexError, ValueError):
            continue
    return out


async def sample_cpu(pid: int, seen: dict[int, float], every: float = 0.2) -> None:
    """Keep the latest CPU figure of every process in the tree (a worker that exits keeps its last)."""
    while True:
        seen.update(tree_cpu(pid))
        await asyncio.sleep(every)


def log_size(log_path: Path) -> int:
    return log_path.stat().st_size if log_path.exists() else 0


def loop_blocks(log_path: Path, since: int = 0) -> list[tuple[float, float]]:
    """The bot's "event loop blocked for N ms (loop thread busy M ms)" warnings after byte
    ``since`` of its log, as (N, M) in ms."""
    if not log_path.exists():
        return []
    with log_path.open("rb") as f:
        f.seek(since)
        text = f.read().decode(errors="replace")
    found = re.findall(r"event loop blocked for (\d+) ms \(loop thread busy (\d+) ms\)", text)
    return [(float(lag), float(busy)) for lag, busy in found]


def summarise_blocks(blocks: list[tuple[float, float]]) -> str:
    """ "times, longest; of which the loop thread was itself busy > 100 ms: times"."""
    if not blocks:
        return "0"
    busy = sum(1 for _, b in blocks if b > 100)
    return f"{len(blocks)}, longest {max(lag for lag, _ in blocks):.0f} ms; busy > 100 ms: {busy}"


async def start(
    fake: FakeDiscord, envs: list[dict[str, str]], cpu: dict[int, float] | None = None
) -> tuple[list[asyncio.subprocess.Process], float]:
    """Start one bot process per environment (at once); returns them and the time until every one of
    their gateway sessions is ready."""
    before = fake.identify_count
    t = time.perf_counter()
    procs = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot.against_fake",
            env=env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=open(env["BENCH_LOG"], "ab"),  # noqa: SIM115, ASYNC230 - the child owns it until it exits
        )
        for env in envs
    ]
    LIVE.extend(procs)
    sampler = asyncio.create_task(sample_cpu(procs[0].pid, cpu)) if cpu is not None else None
    try:
        await fake.wait_for(
            lambda: fake.identify_count >= before + len(envs) and ready_sessions(fake) >= len(envs), timeout=7200
        )
    finally:
        if sampler is not None:
            sampler.cancel()
            assert cpu is not None
            cpu.update(tree_cpu(procs[0].pid))
    return procs, time.perf_counter() - t


def ready_sessions(fake: FakeDiscord) -> int:
    return sum(1 for s in fake.gateway.live_sessions if s.ready and s.conn is not None and s.conn.open)


async def stop(procs: list[asyncio.subprocess.Process]) -> None:
    for proc in procs:
        proc.terminate()
    for proc in procs:
        await proc.wait()


def shard_of(guild_id: int, shards: int) -> int:
    """The gateway shard Discord sends a guild's events to (Gateway → Sharding)."""
    return (guild_id >> 22) % shards


def guilds_by_shard(fake: FakeDiscord, shards: int) -> list[tuple[int, int]]:
    """One (guild, channel) on each shard 0..shards-1: the fake's own guild where it falls, new ones
    elsewhere (a snowflake's shard is its creation millisecond modulo the count)."""
    places: dict[int, tuple[int, int]] = {shard_of(fake.guild_id, shards): (fake.guild_id, fake.channel_id)}
    base = snowflake()
    step = 1
    while len(places) < shards:
        gid = base + (step << 22)
        step += 1
        if shard_of(gid, shards) in places:
            continue
        channel = make_text_channel(name="general")
        fake.add_guild(
            make_guild(
                gid,
                f"Bench Guild {len(places)}",
                owner_id=int(fake.owner["id"]),
                roles=[make_role(gid, "@everyone", permissions=DEFAULT_EVERYONE_PERMISSIONS)],
                channels=[channel],
                members=[make_member(fake.owner), make_member(fake.alice)],
            )
        )
        places[shard_of(gid, shards)] = (gid, int(channel["id"]))
    return [places[s] for s in range(shards)]


async def latencies(fake: FakeDiscord, send, n: int, places: list[tuple[int, int]]) -> list[float]:
    """``n`` interactions from new members, taking the guilds (one per shard) in turn."""
    out = []
    for i in range(n):
        guild_id, channel_id = places[i % len(places)]
        user = make_user(username=f"bench{i}-{random.random()}")
        fake.add_member(guild_id, user)
        inter = await send(user, channel_id)
        reply = await inter.response(timeout=10)
        if reply.type == 5:  # acknowledged first ("thinking..."): the answer edits that message, or follows it
            await inter.answer(timeout=10)
            out.append((time.perf_counter() - inter.sent_at) * 1000)
        else:
            out.append(reply.latency * 1000)
    return out


async def commands_registered(fake: FakeDiscord) -> None:
    """A bot started on a database built against another fake remembers having uploaded its commands
    (it uploads only a changed tree): the owner's "@briefbot sync" uploads them to this one."""
    if fake.registered_commands():
        return
    mention = f"<@{fake.bot_user['id']}>"
    await fake.send_message(fake.channel_id, f"{mention} sync", author=fake.owner)
    await fake.wait_for(lambda: bool(fake.registered_commands()), timeout=60)


async def offered(fake: FakeDiscord, places: list[tuple[int, int]], words: str) -> bool:
    """Whether autocomplete offers ``words`` in every guild (so: by every process)."""
    for _, channel_id in places:
        inter = await fake.send_autocomplete("brief", {"article": words}, focused="article", channel_id=channel_id)
        try:
            reply = await inter.response(timeout=5)
        except TimeoutError:  # unanswered (the bot drops what it could not answer in time): ask again
            return False
        if not reply.data["choices"]:
            return False
    return True


class Run:
    """One size's library (its folder written once), measured under each setup in turn."""

    def __init__(self, tmp: Path, size: int, requests: int, reuse: bool, pg: PostgresDatabases | None) -> None:
        self.tmp, self.size, self.requests, self.reuse, self.pg = tmp, size, requests, reuse, pg
        self.folder = tmp / "articles"
        self.log_path = tmp / "bot.log"
        self.titles: list[str] = []
        self.pg_built = False  # a PostgreSQL database for this size holds the library (built in this run)

    def write_corpus(self, write: bool) -> None:
        corpus = Corpus(seed=self.size)
        self.folder.mkdir(exist_ok=True)
        for leftover in self.folder.glob("zz-new-*.txt"):  # from an interrupted run
            leftover.unlink()
        for i in range(self.size):
            name, text = corpus.article(i)
            if write:
                (self.folder / name).write_text(text)
            self.titles.append(text.split("\n", 1)[0])

    async def database(self, setup: Setup) -> tuple[dict[str, str], bool]:
        """The bot's database settings for ``setup`` and whether it already holds the library."""
        if setup.backend == "sqlite":
            db = self.tmp / "bot.sqlite3"
            return {"BRIEFBOT_DB": str(db)}, self.reuse and db.exists()
        assert self.pg is not None
        if self.pg_built or (self.reuse and await self.pg.exists(self.size)):
            return {"BRIEFBOT_DATABASE_URL": self.pg.url(self.size)}, True
        return {"BRIEFBOT_DATABASE_URL": await self.pg.create(self.size)}, False

    async def stored(self, database: dict[str, str]) -> int:
        """How many articles the bot's database holds (read beside the bot, as any reader can)."""
        if "BRIEFBOT_DATABASE_URL" in database:
            import asyncpg

            conn = await asyncpg.connect(database["BRIEFBOT_DATABASE_URL"])
            try:
                return await conn.fetchval("SELECT count(*) FROM articles WHERE retired_at IS NULL")
            except asyncpg.UndefinedTableError:  # not migrated yet
                return 0
            finally:
                await conn.close()
        try:
            with contextlib.closing(sqlite3.connect(f"file:{database['BRIEFBOT_DB']}?mode=ro", uri=True)) as db:
                return db.execute("SELECT count(*) FROM articles WHERE retired_at IS NULL").fetchone()[0]
        except sqlite3.Error:  # not there or not migrated yet
            return 0

    async def measure(self, setup: Setup) -> dict[str, Any]:
        try:
            return await self._measure(setup)
        finally:  # a failed or interrupted measurement leaves no bot running
            await stop([p for p in LIVE if p.returncode is None])
            LIVE.clear()

    async def _measure(self, setup: Setup) -> dict[str, Any]:
        rng = random.Random(self.size)
        titles, log_path = self.titles, self.log_path
        r: dict[str, Any] = {"size": self.size, "setup": setup}
        database, built = await self.database(setup)
        async with FakeDiscord() as fake:
            n = setup.processes
            places = guilds_by_shard(fake, n)
            base = {
                **{k: v for k, v in os.environ.items() if not k.startswith(("BRIEFBOT_", "DISCORD_"))},
                **database,
                "DISCORD_TOKEN": fake.token,
                "BRIEFBOT_ARTICLES_DIR": str(self.folder),
                "BRIEFBOT_POLL_SECONDS": "1",
                "BRIEFBOT_LOG_LEVEL": "WARNING",
                "FAKE_DISCORD_API": fake.api_url,
                "FAKE_DISCORD_GATEWAY": fake.gateway_url,
                "BENCH_LOG": str(log_path),
                "PYTHONPATH": str(ROOT),
            }
            shard = {"BRIEFBOT_SHARD_COUNT": str(n)} if n > 1 else {}
            envs = [base | shard | ({"BRIEFBOT_SHARD_IDS": str(i)} if n > 1 else {}) for i in range(n)]
            mark = log_size(log_path)
            if built:
                r["cold_s"] = r["cold_rate"] = r["cold_cores"] = float("nan")
                r["cold_blocks"] = float("nan")
            else:
                # One process ingests (with several, the others leave it to the one holding the lock).
                cpu: dict[int, float] = {}
                t = time.perf_counter()
                procs, _ = await start(fake, envs[:1], cpu)
                # The bot answers while it ingests (after at most 5 s): the ingest ends when the
                # database holds every article.
                sampler = asyncio.create_task(sample_cpu(procs[0].pid, cpu))
                try:
                    while await self.stored(database) < self.size:  # noqa: ASYNC110
                        await asyncio.sleep(0.5)
                finally:
                    sampler.cancel()
                    cpu.update(tree_cpu(procs[0].pid))
                r["cold_s"] = time.perf_counter() - t
                r["cold_rate"] = self.size / r["cold_s"]
                await stop(procs)
                # CPU seconds of the bot and its analysis workers over the wall time to ready
                # (start-up included): 2.0 would be both cores busy throughout.
                r["cold_cores"] = sum(cpu.values()) / r["cold_s"]
                r["cold_blocks"] = len(loop_blocks(log_path, mark))
                self.pg_built = self.pg_built or setup.backend == "postgresql"
            mark = log_size(log_path)
            t = time.perf_counter()
            procs, r["warm_gateway_s"] = await start(fake, envs)
            await commands_registered(fake)
            # Ready means answering from the whole library: a title offered in every guild.
            while not await offered(fake, places, titles[0][:20]):
                if time.perf_counter() - t > 600:
                    raise RuntimeError(f"the bot has not offered {titles[0]!r} in 10 minutes: see {log_path}")
                await asyncio.sleep(0.1)
            r["warm_s"] = time.perf_counter() - t
            r["rss_each"] = [rss_mb(p.pid) for p in procs]
            await asyncio.sleep(1.0)

            def brief(u, channel_id):
                title = rng.choice(titles)[:90]
                return fake.send_command("brief", options={"article": title}, user=u, channel_id=channel_id)

            def quotes(u, channel_id):
                keyword = rng.choice(COMMON)
                return fake.send_command("quotes", options={"keyword": keyword}, user=u, channel_id=channel_id)

            def complete(u, channel_id):
                typed = rng.choice(titles)[: rng.randint(3, 12)]
                return fake.send_autocomplete(
                    "brief", {"article": typed}, focused="article", user=u, channel_id=channel_id
                )

            for name, send in (("brief", brief), ("quotes", quotes), ("auto", complete)):
                found = await latencies(fake, send, self.requests, places)
                r[f"{name}_p50"], r[f"{name}_p99"] = pct(found, 50), pct(found, 99)
            burst = []
            for i in range(500):
                guild_id, channel_id = places[i % n]
                user = make_user(username=f"burst{i}")
                fake.add_member(guild_id, user)
                burst.append((user, channel_id))
            sent = await asyncio.gather(
                *(fake.send_command("brief", options={}, user=u, channel_id=c) for u, c in burst)
            )
            await asyncio.sleep(5.0)  # Discord's window is 3 s: whatever is unanswered by now missed it
            acked = [b.latency for b in sent if b.callbacks]
            r["burst_missed"] = len(sent) - len(acked)
            r["burst_max_s"] = max(acked) if acked else float("nan")

            new = "Quixotic Zephyr Arrives\n\nA quixotic zephyr arrived today, officials said.\n"
            new_file = self.folder / f"zz-new-{os.getpid()}.txt"
            new_file.write_text(new)
            t = time.perf_counter()
            while not await offered(fake, places, "quixotic zephyr"):  # noqa: ASYNC110 - polling the bot
                await asyncio.sleep(0.1)
            r["new_file_s"] = time.perf_counter() - t
            new_file.unlink()  # and let the bot retire it, so that the folder is as it found it
            while await offered(fake, places, "quixotic zephyr"):  # noqa: ASYNC110
                await asyncio.sleep(0.1)
            await stop(procs)
            r["blocks"] = summarise_blocks(loop_blocks(log_path, mark))
        if setup.backend == "postgresql" and self.pg is not None:
            r["db_mb"] = await self.pg.size_mb(self.size)
        else:
            r["db_mb"] = sqlite_size_mb(self.tmp / "bot.sqlite3")
        return r


async def measure(
    size: int, requests: int, workdir: Path | None, reuse: bool, setups: list[Setup], pg: PostgresDatabases | None
) -> AsyncIterator[dict[str, Any]]:
    with contextlib.ExitStack() as stack:
        if workdir is None:
            tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))
            reuse = False
        else:
            tmp = workdir / str(size)
            tmp.mkdir(parents=True, exist_ok=True)
        run = Run(tmp, size, requests, reuse, pg)
        run.write_corpus(write=not (reuse and (tmp / "articles").is_dir()))
        for setup in setups:
            yield await run.measure(setup)


def row(r: dict[str, Any]) -> str:
    rss = r["rss_each"]
    rss_text = f"{sum(rss):.0f} MB" + (f" ({' + '.join(f'{x:.0f}' for x in rss)})" if len(rss) > 1 else "")
    built = r["cold_rate"] != r["cold_rate"]  # nan: started from a database built before
    cold = "built above" if built else f"{r['cold_rate']:.0f} /s, {r['cold_s']:.0f} s"
    cores = "-" if built else f"{r['cold_cores']:.2f}"
    return (
        f"| {r['size']:,} | {r['setup'].label} | {cold} | {cores} | {r['warm_s']:.1f} s ({r['warm_gateway_s']:.1f} s) "
        f"| {r['new_file_s']:.1f} s | {rss_text} | {r['db_mb']:.0f} MB "
        f"| {r['brief_p50']:.1f} / {r['brief_p99']:.1f} ms "
        f"| {r['quotes_p50']:.1f} / {r['quotes_p99']:.1f} ms | {r['auto_p50']:.1f} / {r['auto_p99']:.1f} ms "
        f"| {r['burst_max_s']:.2f} s, {r['burst_missed']:.0f} missed "
        f"| {r['cold_blocks']} | {r['blocks']} |"
    )


RATIOS = (("brief_p50", "/brief p50"), ("brief_p99", "/brief p99"), ("quotes_p50", "/quotes p50"),
          ("quotes_p99", "/quotes p99"), ("auto_p50", "autocomplete p50"), ("auto_p99", "autocomplete p99"),
          ("cold_rate", "cold ingest rate"), ("warm_s", "warm restart"), ("rss", "RSS (all processes)"))  # fmt: skip


def ratios(rows: list[dict[str, Any]]) -> list[str]:
    """Each setup's figures divided by the first setup's of the same size (the baseline of the run)."""
    out = []
    for size in dict.fromkeys(r["size"] for r in rows):
        same = [r for r in rows if r["size"] == size]
        base, others = same[0], same[1:]
        if not others:
            continue
        out.append(f"\n{size:,} articles, against {base['setup'].label} measured in the same run:\n")
        out.append("| figure | " + " | ".join(r["setup"].label for r in others) + " |")
        out.append("|---|" + "---|" * len(others))
        for key, name in RATIOS:

            def value(r: dict[str, Any], key: str = key) -> float:
                return sum(r["rss_each"]) if key == "rss" else r[key]

            cells = []
            for r in others:
                v, b = value(r), value(base)
                cells.append("-" if v != v or b != b or not b else f"× {v / b:.2f}")
            out.append(f"| {name} | " + " | ".join(cells) + " |")
    return out


async def main_async(
    sizes: list[int],
    requests: int,
    workdir: Path | None = None,
    reuse: bool = False,
    setups: list[Setup] | None = None,
    database_url: str | None = None,
) -> None:
    setups = setups or [Setup("sqlite", 1)]
    print(
        "| articles | setup | cold ingest (one process) | cold: cores used "
        "| warm restart: library answered (gateway ready) "
        "| new file offered in every guild | RSS when ready | database | /brief p50 / p99 | /quotes p50 / p99 "
        "| autocomplete p50 / p99 | 500 at once: slowest ack, missed 3 s | loop late > 100 ms in cold ingest "
        "| loop late > 100 ms afterwards |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    rows = []
    with contextlib.ExitStack() as stack:
        pg = None
        if any(s.backend == "postgresql" for s in setups):
            pg = stack.enter_context(postgres_server(database_url))
        for size in sizes:
            async for r in measure(size, requests, workdir, reuse, setups, pg):
                rows.append(r)
                print(row(r), flush=True)
    for line in ratios(rows):
        print(line)


async def interruptible(work) -> None:
    """``work``, cancelled by SIGTERM as by Ctrl-C: its bots are stopped and its server removed."""
    task = asyncio.ensure_future(work)
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
    await task


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.library", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument(
        "--setups",
        nargs="+",
        default=["sqlite"],
        metavar="BACKEND[:PROCESSES]",
        help="what to compare, the first the baseline: sqlite, postgresql, postgresql:2 ... (default: sqlite)",
    )
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL server for the postgresql setups (a database NAME_SIZE is created for each size); "
        "default: a throwaway server (needs PostgreSQL's initdb and pg_ctl)",
    )
    parser.add_argument(
        "--workdir", type=Path, help="keep each size's corpus, database and log in WORKDIR/SIZE (default: temporary)"
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="start from the database a previous run left (with --workdir for SQLite, with --database-url for "
        "PostgreSQL): no cold ingest, shown as 'built above'",
    )
    args = parser.parse_args(argv)
    try:
        setups = [Setup.parse(s) for s in args.setups]
    except ValueError as exc:
        parser.error(str(exc))
    asyncio.run(
        interruptible(main_async(args.sizes, args.requests, args.workdir, args.reuse, setups, args.database_url))
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
