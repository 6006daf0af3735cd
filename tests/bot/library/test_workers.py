"""The killable pool's contract, beyond its budgets (tests/bot/test_runaway.py): results, errors,
refusals after close, and idle workers ending."""

from __future__ import annotations

import asyncio
import os

import pytest

from bot.library.workers import KillablePool, PoolClosed, _serve


def fail(message: str) -> None:
    raise ValueError(message)


async def test_a_result_comes_back_from_another_process():
    pool = KillablePool(1)
    try:
        assert await pool.run(os.getpid, seconds=30) != os.getpid()
        assert await pool.run(divmod, 17, 5, seconds=30) == (3, 2)
    finally:
        pool.close()


async def test_a_tasks_own_exception_is_raised_and_the_worker_is_kept():
    pool = KillablePool(1)
    try:
        first = await pool.run(os.getpid, seconds=30)
        with pytest.raises(ValueError, match="bad input"):
            await pool.run(fail, "bad input", seconds=30)
        assert await pool.run(os.getpid, seconds=30) == first and pool.killed == 0
    finally:
        pool.close()


async def test_a_closed_pool_refuses_new_tasks():
    pool = KillablePool(1)
    pool.close()
    with pytest.raises(PoolClosed):
        await pool.run(os.getpid, seconds=30)


async def test_an_idle_worker_ends():
    pool = KillablePool(1, idle_seconds=0.2)
    try:
        await pool.run(os.getpid, seconds=30)
        assert pool.workers == 1
        for _ in range(50):
            await asyncio.sleep(0.1)
            if pool.workers == 0:
                break
        assert pool.workers == 0
        await pool.run(os.getpid, seconds=30)  # and a new task starts a new one
    finally:
        pool.close()


def test_a_worker_whose_pool_closed_while_it_started_ends_quietly():
    """The bot stopped (or a demo ended) while a worker was still starting: the worker finds its
    pipe closed when it reports ready, and ends without a traceback on the terminal."""
    import multiprocessing

    ours, its = multiprocessing.Pipe()
    ours.close()
    _serve(its, None, ())  # returns, where it raised BrokenPipeError
