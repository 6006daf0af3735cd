"""Answering within Discord's window, the pieces on their own. Through the fake Discord (a callback
retried after a 5xx, 40060 taken as success, private answers after a public deferral):
tests/cogs/test_answer_window.py and tests/cogs/test_faults_discord.py."""

from __future__ import annotations

import datetime
import json
from types import SimpleNamespace

import discord

from bot.discord_app.answers import CALLBACK_WINDOW, _callback_type, _retry_after, answer_lock, window_left


def snowflake_at(moment: datetime.datetime) -> int:
    return discord.utils.time_snowflake(moment)


def test_the_window_left_is_counted_from_the_interactions_id():
    now = discord.utils.utcnow()
    assert 1.8 <= window_left(snowflake_at(now - datetime.timedelta(seconds=1))) <= 2.0
    assert window_left(snowflake_at(now - datetime.timedelta(seconds=10))) == 0.0  # closed
    assert window_left(snowflake_at(now + datetime.timedelta(seconds=5))) == CALLBACK_WINDOW  # a clock behind


def test_the_callback_type_is_read_from_json_or_multipart():
    assert _callback_type({"type": 5}, None) == 5
    assert _callback_type(None, [{"name": "payload_json", "value": json.dumps({"type": 4})}]) == 4
    assert _callback_type(None, None) == 0


def response(status: int, via: bool = True) -> SimpleNamespace:
    return SimpleNamespace(status=status, headers={"Via": "1.1 google"} if via else {})


def test_retries_are_only_for_what_may_pass_within_the_window():
    assert _retry_after(response(502), {}, 0.2, 1.0) == 0.2
    assert _retry_after(response(502), {}, 0.8, 0.5) == 0.5  # the last try as the window closes
    assert _retry_after(response(502), {}, 0.2, 0.01) is None  # no time left
    assert _retry_after(response(429), {"retry_after": 0.3}, 0.2, 1.0) == 0.3
    assert _retry_after(response(429), {"retry_after": 5.0}, 0.2, 1.0) is None  # past the window
    assert _retry_after(response(429, via=False), {"retry_after": 0.3}, 0.2, 1.0) is None  # a ban, not a limit
    assert _retry_after(response(400), {"code": 50035}, 0.2, 1.0) is None  # refused: final


def test_each_interaction_has_one_answer_lock():
    first, second = SimpleNamespace(extras={}), SimpleNamespace(extras={})
    assert answer_lock(first) is answer_lock(first)  # type: ignore[arg-type]
    assert answer_lock(first) is not answer_lock(second)  # type: ignore[arg-type]
