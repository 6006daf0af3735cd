"""The outbox: the one INSERT that queues posts, inside its caller's transaction."""

from __future__ import annotations

import asyncio
import os
import socket
import sys

import pytest

from bot.storage.db import transaction
from bot.storage.outbox import claimant, gone, queue


async def queued(db) -> list[tuple[int, str, str]]:
    async with db.execute("SELECT channel_id, article_id, status FROM deliveries ORDER BY channel_id, article_id") as c:
        return [tuple(r) for r in await c.fetchall()]


async def test_every_article_is_queued_for_every_channel_once(db):
    async with transaction(db):
        assert await queue(db, [10, 11], iter(["a", "b"]), "2026-01-01T00:00:00+00:00") == 4
    async with transaction(db):
        assert await queue(db, [10], ["a", "c"], "2026-01-02T00:00:00+00:00") == 2  # "a" is there already
    assert await queued(db) == [
        (10, "a", "pending"),
        (10, "b", "pending"),
        (10, "c", "pending"),
        (11, "a", "pending"),
        (11, "b", "pending"),
    ]


async def test_nothing_to_queue_writes_nothing(db):
    assert await queue(db, [], ["a"], "now") == 0
    assert await queue(db, [10], [], "now") == 0
    assert await queued(db) == []


async def test_rows_queued_in_a_transaction_that_fails_are_gone(db):
    with pytest.raises(RuntimeError):
        async with transaction(db):
            await queue(db, [10], ["a"], "now")
            raise RuntimeError("the article could not be stored")
    assert await queued(db) == []


def test_the_deliveries_insert_is_written_in_one_place_only():
    """Issue 14: the outbox INSERT existed in two repositories; it lives in bot/storage/outbox.py."""
    from pathlib import Path

    import bot

    root = Path(bot.__file__).parent
    found = [p.relative_to(root).as_posix() for p in root.rglob("*.py") if "INTO deliveries" in p.read_text()]
    assert found == ["storage/outbox.py"]


def test_a_claimant_names_this_host_and_process_and_differs_per_run():
    me = claimant()
    host, pid, nonce = me.split(":")
    assert host == socket.gethostname() and pid == str(os.getpid()) and len(nonce) == 8
    assert claimant() != me


async def test_only_a_process_of_this_host_that_is_no_longer_running_is_judged_gone():
    me = claimant()
    finished = await asyncio.create_subprocess_exec(sys.executable, "-c", "pass")
    await finished.wait()
    host = socket.gethostname()
    assert gone(f"{host}:{finished.pid}:abcd", me)
    assert not gone(f"{host}:{os.getpid()}:abcd", me)  # a live pid (this one): its lease decides
    assert not gone(f"{host}:1:abcd", me)  # pid 1 runs (init, or a container's bot)
    assert not gone(f"elsewhere:{finished.pid}:abcd", me)  # another host's pids are not ours to judge
    assert not gone("garbage", me) and not gone(f"{host}:x:y", me)
