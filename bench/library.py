"""The bot at library sizes from 1,000 to 100,000 articles: ingest, restarts, memory, latency.

    python -m bench.library [--sizes 1000 10000 100000] [--requests 200]

For each size a synthetic library (bench/corpus.py: bylines, bios, quotations, boilerplate) is
written to a temporary folder and the real bot is started in a process of its own
(`python -m bot.against_fake`) against the local fake of Discord in this one:

- cold start: an empty database, every article analysed; time to ready, articles per second;
- warm restart with every file unchanged: time to ready;
- one new file: time until autocomplete offers it (the folder is polled every second);
- resident memory of the bot process when ready;
- latency of /brief, /quotes keyword: and article autocomplete, from the interaction leaving the
  fake gateway to the answer arriving back (for a command acknowledged first, its followup), p50
  and p99;
- 500 /brief interactions sent at once: the slowest acknowledgement.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.corpus import COMMON, Corpus
from bench.search import pct
from bot.localdiscord import FakeDiscord, make_user

ROOT = Path(__file__).resolve().parent.parent


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
    fake: FakeDiscord, env: dict[str, str], cpu: dict[int, float] | None = None
) -> tuple[asyncio.subprocess.Process, float]:
    before = fake.identify_count
    t = time.perf_counter()
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.against_fake",
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=open(env["BENCH_LOG"], "ab"),  # noqa: SIM115, ASYNC230 - the child owns it until it exits
    )
    sampler = asyncio.create_task(sample_cpu(proc.pid, cpu)) if cpu is not None else None
    try:
        await fake.wait_for(lambda: fake.identify_count > before and fake.gateway.ready, timeout=7200)
    finally:
        if sampler is not None:
            sampler.cancel()
            assert cpu is not None
            cpu.update(tree_cpu(proc.pid))
    return proc, time.perf_counter() - t


async def stop(proc: asyncio.subprocess.Process) -> None:
    proc.terminate()
    await proc.wait()


async def latencies(fake: FakeDiscord, send, n: int) -> list[float]:
    out = []
    for i in range(n):
        user = make_user(username=f"bench{i}-{random.random()}")
        fake.add_member(fake.guild_id, user)
        inter = await send(user)
        reply = await inter.response(timeout=10)
        if reply.type == 5:  # acknowledged first ("thinking..."): the answer edits that message, or follows it
            await inter.answer(timeout=10)
            out.append((time.perf_counter() - inter.sent_at) * 1000)
        else:
            out.append(reply.latency * 1000)
    return out


async def measure(size: int, requests: int, workdir: Path | None, reuse: bool) -> dict[str, Any]:
    if workdir is None:
        with tempfile.TemporaryDirectory() as tmp:
            return await measure_in(Path(tmp), size, requests, reuse=False)
    (workdir / str(size)).mkdir(parents=True, exist_ok=True)
    return await measure_in(workdir / str(size), size, requests, reuse=reuse)


async def measure_in(tmp: Path, size: int, requests: int, reuse: bool) -> dict[str, Any]:
    rng = random.Random(size)
    folder = tmp / "articles"
    db = tmp / "bot.sqlite3"
    log_path = tmp / "bot.log"
    reuse = reuse and db.exists()
    corpus = Corpus(seed=size)
    titles = []
    folder.mkdir(exist_ok=True)
    for leftover in folder.glob("zz-new-*.txt"):  # from an interrupted run
        leftover.unlink()
    for i in range(size):
        name, text = corpus.article(i)
        if not reuse:
            (folder / name).write_text(text)
        titles.append(text.split("\n", 1)[0])
    r: dict[str, Any] = {"size": size}
    async with FakeDiscord() as fake:
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("BRIEFBOT_", "DISCORD_"))},
            "DISCORD_TOKEN": fake.token,
            "BRIEFBOT_ARTICLES_DIR": str(folder),
            "BRIEFBOT_DB": str(db),
            "BRIEFBOT_POLL_SECONDS": "1",
            "BRIEFBOT_LOG_LEVEL": "WARNING",
            "FAKE_DISCORD_API": fake.api_url,
            "FAKE_DISCORD_GATEWAY": fake.gateway_url,
            "BENCH_LOG": str(log_path),
            "PYTHONPATH": str(ROOT),
        }
        mark = log_size(log_path)
        if reuse:
            r["cold_s"] = r["cold_rate"] = r["cold_cores"] = float("nan")
            r["cold_blocks"], r["cold_longest_ms"] = float("nan"), float("nan")
        else:
            cpu: dict[int, float] = {}
            proc, r["cold_s"] = await start(fake, env, cpu)
            r["cold_rate"] = size / r["cold_s"]
            await stop(proc)
            # CPU seconds of the bot and its analysis workers over the wall time to ready
            # (start-up included): 2.0 would be both cores busy throughout.
            r["cold_cores"] = sum(cpu.values()) / r["cold_s"]
            blocks = loop_blocks(log_path, mark)
            r["cold_blocks"], r["cold_longest_ms"] = len(blocks), max(blocks, default=0.0)
        mark = log_size(log_path)
        proc, r["warm_s"] = await start(fake, env)
        r["rss_mb"] = rss_mb(proc.pid)
        await asyncio.sleep(1.0)
        brief = await latencies(
            fake,
            lambda u: fake.send_command("brief", options={"article": rng.choice(titles)[:90]}, user=u),
            requests,
        )
        quotes = await latencies(
            fake, lambda u: fake.send_command("quotes", options={"keyword": rng.choice(COMMON)}, user=u), requests
        )
        complete = await latencies(
            fake,
            lambda u: fake.send_autocomplete(
                "brief", {"article": rng.choice(titles)[: rng.randint(3, 12)]}, focused="article", user=u
            ),
            requests,
        )
        r |= {
            "brief_p50": pct(brief, 50),
            "brief_p99": pct(brief, 99),
            "quotes_p50": pct(quotes, 50),
            "quotes_p99": pct(quotes, 99),
            "auto_p50": pct(complete, 50),
            "auto_p99": pct(complete, 99),
        }
        users = [make_user(username=f"burst{i}") for i in range(500)]
        for u in users:
            fake.add_member(fake.guild_id, u)
        burst = await asyncio.gather(*(fake.send_command("brief", options={}, user=u) for u in users))
        await asyncio.sleep(5.0)  # Discord's window is 3 s: whatever is unanswered by now missed it
        acked = [b.latency for b in burst if b.callbacks]
        r["burst_missed"] = len(burst) - len(acked)
        r["burst_max_s"] = max(acked) if acked else float("nan")

        new = "Quixotic Zephyr Arrives\n\nA quixotic zephyr arrived today, officials said.\n"
        new_file = folder / f"zz-new-{os.getpid()}.txt"
        new_file.write_text(new)
        t = time.perf_counter()
        while True:
            inter = await fake.send_autocomplete("brief", {"article": "quixotic zephyr"}, focused="article")
            if (await inter.response(timeout=10)).data["choices"]:
                break
            await asyncio.sleep(0.1)
        r["new_file_s"] = time.perf_counter() - t
        new_file.unlink()  # and let the bot retire it, so that the folder is as it found it
        while True:
            inter = await fake.send_autocomplete("brief", {"article": "quixotic zephyr"}, focused="article")
            if not (await inter.response(timeout=10)).data["choices"]:
                break
            await asyncio.sleep(0.1)
        await stop(proc)
        r["blocks"] = summarise_blocks(loop_blocks(log_path, mark))
    return r


async def main_async(sizes: list[int], requests: int, workdir: Path | None = None, reuse: bool = False) -> None:
    print(
        "| articles | cold ingest | cold: cores used | cold: time to ready | warm restart: time to ready "
        "| new file in library | "
        "RSS when ready | /brief p50 / p99 | /quotes p50 / p99 | autocomplete p50 / p99 | "
        "500 at once: slowest ack, missed 3 s | loop late > 100 ms in cold ingest "
        "| loop late > 100 ms afterwards |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for size in sizes:
        r = await measure(size, requests, workdir, reuse)
        print(
            f"| {size:,} | {r['cold_rate']:.0f} /s | {r['cold_cores']:.2f} | {r['cold_s']:.1f} s | {r['warm_s']:.1f} s "
            f"| {r['new_file_s']:.1f} s "
            f"| {r['rss_mb']:.0f} MB | {r['brief_p50']:.1f} / {r['brief_p99']:.1f} ms "
            f"| {r['quotes_p50']:.1f} / {r['quotes_p99']:.1f} ms | {r['auto_p50']:.1f} / {r['auto_p99']:.1f} ms "
            f"| {r['burst_max_s']:.2f} s, {r['burst_missed']:.0f} missed "
            f"| {r['cold_blocks']} | {r['blocks']} |",
            flush=True,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.library", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument(
        "--workdir", type=Path, help="keep each size's corpus, database and log in WORKDIR/SIZE (default: temporary)"
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="with --workdir, start from the database a previous run left (no cold ingest; shown as nan)",
    )
    args = parser.parse_args(argv)
    asyncio.run(main_async(args.sizes, args.requests, args.workdir, args.reuse))
    return 0


if __name__ == "__main__":
    sys.exit(main())
