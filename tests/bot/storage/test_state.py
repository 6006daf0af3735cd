from __future__ import annotations

from bot.storage.state import StateRepository


async def test_a_value_is_kept_and_replaced(db):
    state = StateRepository(db)
    assert await state.get("tree") is None
    await state.set("tree", "abc")
    await state.set("tree", "def")
    await state.set("other", "1")
    assert await state.get("tree") == "def" and await state.get("other") == "1"
