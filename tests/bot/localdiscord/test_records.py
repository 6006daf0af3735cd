"""What the fake records: the signal waiters wait on, and an interaction's callbacks, followups and edits."""

from __future__ import annotations

import asyncio

import pytest

from bot.localdiscord.records import FakeInteraction, InteractionCallback, Signal


async def test_a_signal_wakes_a_waiter_and_times_out_with_what_it_waited_for():
    signal, state = Signal(), []

    async def later():
        await asyncio.sleep(0.02)
        state.append(1)
        signal.fire()

    task = asyncio.create_task(later())
    await signal.wait_for(lambda: state, timeout=1)
    await task
    with pytest.raises(TimeoutError, match=r"timed out after 0\.05s waiting for a miracle"):
        await signal.wait_for(lambda: False, timeout=0.05, what="a miracle")


def interaction(signal: Signal) -> FakeInteraction:
    return FakeInteraction({"id": "5", "token": "t", "type": 2, "message": {"id": "9"}}, signal)


async def test_an_interaction_answered_at_once():
    signal = Signal()
    inter = interaction(signal)
    assert not inter.acknowledged and inter.latency is None and inter.message == {"id": "9"}
    inter.callbacks.append(InteractionCallback(4, {"content": "hi"}, 1.0, 0.25))
    signal.fire()
    assert inter.acknowledged and inter.latency == 0.25
    assert await inter.answer(timeout=1) == {"content": "hi"}


async def test_a_deferred_interaction_is_answered_by_its_edit_or_followup():
    signal = Signal()
    inter = interaction(signal)
    inter.callbacks.append(InteractionCallback(5, None, 1.0, 0.1))
    inter.original = {"id": "10", "content": ""}
    with pytest.raises(TimeoutError):
        await inter.answer(timeout=0.05)
    inter.edits.append({"content": "done"})
    inter.original["content"] = "done"
    assert await inter.answer(timeout=1) == {"id": "10", "content": "done"}
    assert await inter.wait_edit(1, timeout=1) is inter.original
    inter.followups.append({"id": "11"})
    assert await inter.followup(0, timeout=1) == {"id": "11"}
    assert inter.message is inter.original
