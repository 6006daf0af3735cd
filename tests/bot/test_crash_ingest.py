"""Crash safety of the ingest: the bot process is SIGKILLed at random moments while it reads a cold
folder of a few hundred articles (analysed in worker processes, stored a chunk per transaction).
After every kill the database is consistent (SQLite and FTS5 integrity, no orphan rows, every stored
article complete with its quotations, passages, terms and outbox rows), and the next start finishes
the work: every file is in the library exactly once."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import signal
import sqlite3
import sys
from pathlib import Path

from bench.corpus import Corpus
from bot.storage.db import connect
from bot.storage.subscriptions import SubscriptionRepository
from tests.conftest import ROOT

ARTICLES = 200
KILLS = 2


def write_articles(folder: Path, n: int, seed: int = 8) -> list[str]:
    """``n`` short generated articles (title, byline, a few paragraphs, some quotations)."""
    corpus = Corpus(seed=seed, vocabulary=3000)
    rng = corpus.rng
    for i in range(n):
        title = " ".join(corpus.word() for _ in range(rng.randint(4, 8))).title() + f" {i}"
        paragraphs = [f"By {rng.choice(corpus.speakers)}"]
        for _ in range(rng.randint(2, 4)):
            para = " ".join(corpus.sentence() for _ in range(rng.randint(1, 3)))
            if rng.random() < 0.5:
                para += f" “{corpus.sentence(6, 14).rstrip('.')},” said {rng.choice(corpus.speakers)}."
            paragraphs.append(para)
        (folder / f"{i:04d}.txt").write_text(title + "\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return sorted(p.name for p in folder.iterdir())


def live_count(db_path: Path) -> int:
    with contextlib.closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5)) as db:
        return db.execute("SELECT COUNT(*) FROM articles WHERE retired_at IS NULL").fetchone()[0]


def check_consistent(db_path: Path, channel_id: int) -> int:
    """Assert the database is whole; return how many live articles it holds."""
    with contextlib.closing(sqlite3.connect(db_path)) as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        fts = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%fts5%'")]
        assert len(fts) >= 4
        for table in fts:
            db.execute(f"INSERT INTO {table} ({table}) VALUES ('integrity-check')")
        for table in ("quotes", "passages", "article_terms", "deliveries"):
            orphans = db.execute(
                f"SELECT COUNT(*) FROM {table} WHERE article_id NOT IN (SELECT id FROM articles)"
            ).fetchone()[0]
            assert orphans == 0, f"{orphans} {table} rows without their article"
        for pairs, rows in (("quote_pairs", "quotes"), ("passage_pairs", "passages")):
            assert db.execute(
                f"SELECT COUNT(*) FROM {pairs} WHERE rowid NOT IN (SELECT id FROM {rows})"
            ).fetchone() == (0,)
            assert db.execute(
                f"SELECT COUNT(*) FROM {rows} WHERE id NOT IN (SELECT rowid FROM {pairs})"
            ).fetchone() == (0,)
        live = db.execute(
            """
            SELECT a.id, an.analysis_json,
                   (SELECT COUNT(*) FROM quotes WHERE article_id = a.id),
                   (SELECT COUNT(*) FROM passages WHERE article_id = a.id),
                   (SELECT COUNT(*) FROM article_terms WHERE article_id = a.id),
                   (SELECT COUNT(*) FROM deliveries WHERE article_id = a.id AND channel_id = ?)
            FROM articles AS a
            LEFT JOIN analyses AS an ON an.content_hash = a.content_hash
            WHERE a.retired_at IS NULL
            """,
            (channel_id,),
        ).fetchall()
        for article_id, analysis_json, quotes, passages, terms, deliveries in live:
            assert analysis_json is not None, f"article {article_id} stored without its analysis"
            analysis = json.loads(analysis_json)
            assert quotes == len(analysis["quotes"]), f"article {article_id}: {quotes} quotes stored"
            assert passages == len(analysis["sentences"]), f"article {article_id}: {passages} passages stored"
            assert terms > 0, f"article {article_id} has no related-article terms"
            assert deliveries == 1, f"article {article_id} queued {deliveries} times for the subscribed channel"
        return len(live)


async def start_bot(env: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "tests" / "support" / "run_bot.py"),
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the analysis workers can be found after a kill
    )


async def workers_exit(pgid: int, timeout: float = 10.0) -> bool:  # noqa: ASYNC109
    """Whether every process left in the killed bot's group (its analysis workers) exits by itself."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        await asyncio.sleep(0.05)
    return False


async def test_sigkill_during_ingest_leaves_a_consistent_database_and_restart_completes(fake_discord, tmp_path):
    rng = random.Random(20261122)
    folder = tmp_path / "articles"
    folder.mkdir()
    files = write_articles(folder, ARTICLES)
    db_path = tmp_path / "ingest.sqlite3"
    db = await connect(db_path)
    await SubscriptionRepository(db).subscribe(
        guild_id=fake_discord.guild_id, channel_id=fake_discord.channel_id, keywords=[], user_id=1
    )
    await db.close()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("BRIEFBOT_", "DISCORD_"))},
        "DISCORD_TOKEN": fake_discord.token,
        "BRIEFBOT_ARTICLES_DIR": str(folder),
        "BRIEFBOT_DB": str(db_path),
        "BRIEFBOT_POLL_SECONDS": "3600",
        "BRIEFBOT_LOG_LEVEL": "WARNING",
        "FAKE_DISCORD_API": fake_discord.api_url,
        "FAKE_DISCORD_GATEWAY": fake_discord.gateway_url,
        "PYTHONPATH": str(ROOT),
    }

    kills, stored = [], 0
    for _ in range(KILLS):
        proc = await start_bot(env)
        # Kill somewhere inside the ingest: once a random number of further articles were stored,
        # and a random moment more (in the middle of analysing or storing the next chunk).
        target = min(stored + rng.randint(1, 64), ARTICLES - 1)
        await fake_discord.wait_for(
            lambda t=target, p=proc: p.returncode is not None or live_count(db_path) >= t,
            timeout=60,
            what=f"{target} articles stored",
        )
        await asyncio.sleep(rng.uniform(0.0, 0.3))
        if proc.returncode is None and not fake_discord.gateway.ready:
            proc.send_signal(signal.SIGKILL)
            kills.append(live_count(db_path))
        elif proc.returncode is None:  # it finished the ingest first
            proc.terminate()
        await proc.wait()
        orphaned_workers_exited = await workers_exit(proc.pid)
        if not orphaned_workers_exited:
            os.killpg(proc.pid, signal.SIGKILL)  # the group of the bot this test started
        assert orphaned_workers_exited, "analysis worker processes outlived the killed bot"
        stored = check_consistent(db_path, fake_discord.channel_id)
        if stored == ARTICLES:
            break

    proc = await start_bot(env)
    try:
        await fake_discord.wait_until_ready(timeout=60)  # the bot connects once the ingest is done
    finally:
        proc.terminate()
        await proc.wait()
    assert len(kills) == KILLS, f"the ingest was too quick to be killed at {KILLS} moments: {kills}"
    assert all(0 < k < ARTICLES for k in kills), f"a kill landed outside the ingest: {kills}"
    assert check_consistent(db_path, fake_discord.channel_id) == ARTICLES
    with contextlib.closing(sqlite3.connect(db_path)) as db:
        paths = [r[0] for r in db.execute("SELECT source_path FROM articles WHERE retired_at IS NULL ORDER BY 1")]
        assert db.execute("SELECT COUNT(*) FROM articles WHERE retired_at IS NOT NULL").fetchone() == (0,)
    assert paths == files  # every file in the library, exactly once
