"""Discord fails an answer: a 5xx on an interaction callback or answer, or an interaction token
that has expired (401 50027 Invalid Webhook Token, 404 10015 Unknown Webhook). The bot retries what
discord.py retries, logs what it cannot deliver, never crashes, never records a request twice, and
keeps answering everyone else."""

from __future__ import annotations

import asyncio
import logging
import re
import types

import discord.webhook.async_ as webhook_module
import pytest

from bot.discord_app.views import OwnedView
from tests.cogs.conftest import run

CALLBACK = "/interactions/{interaction_id}/{interaction_token}/callback"
ORIGINAL = "/webhooks/{application_id}/{interaction_token}/messages/{message_id}"
WEBHOOK = re.compile(r"/webhooks/\d+/[^/]+(/messages/@original)?")  # followups and the deferred message
QUOTES = {"keyword": "connection", "article": "warning-is-china-pivoting-back-to-north-korea"}


@pytest.fixture(autouse=True)
def fast_webhook_retries(monkeypatch):
    """discord.py retries a 5xx on interaction routes 5 times, sleeping 1, 3, 5, 7, 9 s; the same
    retries here, 100 times faster."""
    real = asyncio

    class Faster(types.SimpleNamespace):
        def __getattr__(self, name: str):
            return getattr(real, name)

        @staticmethod
        async def sleep(delay: float, result=None):
            return await real.sleep(delay / 100, result)

    monkeypatch.setattr(webhook_module, "asyncio", Faster())


def _logged(caplog, level: int, text: str) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno == level and text in r.getMessage()]


def _unhandled(caplog) -> list[str]:
    """Errors nobody handled: discord.py logs these as 'Ignoring exception ...'."""
    return [r.getMessage() for r in caplog.records if "Ignoring exception" in r.getMessage()]


async def _keeps_answering(fake, bot) -> None:
    _, answer = await run(fake, "brief", article="strategic calculus", user=fake.owner)
    assert answer["embeds"][0]["title"].startswith("North Korea")
    _, answer = await run(fake, "quotes", keyword="connection", user=fake.owner)
    assert "“no **connection**” — Daniel Russel" in answer["embeds"][0]["description"]


async def _records(bot, fake) -> int:
    return await bot.requests.count(int(fake.alice["id"]))


@pytest.mark.parametrize(("command", "method", "route"), [("quotes", "PATCH", ORIGINAL), ("brief", "POST", CALLBACK)])
async def test_one_5xx_is_retried_and_answered_once(bot, fake_discord, caplog, command, method, route):
    """/quotes is deferred, and answered by editing the deferred message; /brief answers at once."""
    caplog.set_level(logging.WARNING)
    fake_discord.inject_fault(method, route, 503, times=1)
    options = QUOTES if command == "quotes" else {"article": QUOTES["article"]}
    inter, answer = await run(fake_discord, command, **options)
    assert answer["embeds"][0]["title"]
    attempts = [r for r in fake_discord.requests_to(method, route) if inter.token in r.path]
    assert [r.status // 100 for r in attempts] == [5, 2]
    assert len(inter.callbacks) == 1 and len(inter.edits) == (1 if command == "quotes" else 0)
    assert inter.followups == []
    assert await _records(bot, fake_discord) == 1
    assert _unhandled(caplog) == [] and _logged(caplog, logging.ERROR, "") == []


async def test_answer_failing_until_discord_gives_up_is_logged(bot, fake_discord, caplog):
    caplog.set_level(logging.WARNING)
    fault = fake_discord.inject_fault(None, WEBHOOK, 503, times=None)  # every answer after the deferral
    inter = await fake_discord.send_command("quotes", options=QUOTES)
    assert (await inter.response()).type == 5  # deferred; the answer edits the deferred message
    # discord.py tries 5 times, then the error handler tries to send an apology (5 more tries).
    await fake_discord.wait_for(lambda: fault.hits >= 10, timeout=10, what="the answer and apology attempts")
    await fake_discord.wait_for(
        lambda: _logged(caplog, logging.WARNING, "could not deliver an error message"), timeout=5
    )
    errors = _logged(caplog, logging.ERROR, "in /quotes")
    assert len(errors) == 1 and "503" in str(errors[0].exc_info[1])
    assert inter.followups == [] and inter.edits == []
    assert await _records(bot, fake_discord) == 1  # recorded once, however many tries the answer took
    fake_discord.clear_faults()
    await _keeps_answering(fake_discord, bot)
    assert _unhandled(caplog) == []


@pytest.mark.parametrize("status", [401, 404])
async def test_expired_token_is_logged_not_raised(bot, fake_discord, caplog, status):
    caplog.set_level(logging.WARNING)
    # The answer is held back until the token has expired (as if the work had taken 15 minutes).
    fake_discord.inject_fault(None, WEBHOOK, None, times=None, delay=0.2)
    inter = await fake_discord.send_command("quotes", options=QUOTES)
    assert (await inter.response()).type == 5
    fake_discord.expire_interaction(inter, status)
    await fake_discord.wait_for(
        lambda: _logged(caplog, logging.WARNING, "could not deliver an error message"), timeout=5
    )
    attempts = [r for r in fake_discord.requests if WEBHOOK.fullmatch(r.path) and inter.token in r.path]
    expected = {"code": 50027, "message": "Invalid Webhook Token"} if status == 401 else {"code": 10015}
    # The answer (an edit of the deferred message), then the apology (its first step: deleting the
    # public deferred message, so that it can be private); a 4xx is not retried.
    assert [r.method for r in attempts] == ["PATCH", "DELETE"]
    assert all(r.status == status and expected.items() <= r.response.items() for r in attempts)
    assert len(_logged(caplog, logging.ERROR, "in /quotes")) == 1
    assert await _records(bot, fake_discord) == 1
    fake_discord.clear_faults()
    await _keeps_answering(fake_discord, bot)
    assert _unhandled(caplog) == []


async def test_reading_back_the_answer_failing_does_not_undo_it(bot, fake_discord, caplog):
    """/brief without an article shows the newest with a menu; fetching the sent message (to disable
    the menu when it expires) fails with a 5xx. The brief stands: no apology, a warning in the log."""
    caplog.set_level(logging.WARNING)
    fake_discord.inject_fault("GET", ORIGINAL, 503, times=None)
    inter, answer = await run(fake_discord, "brief")
    assert answer["embeds"][0]["title"]
    await fake_discord.wait_for(lambda: _logged(caplog, logging.WARNING, "original response"), timeout=5)
    await asyncio.sleep(0.1)
    assert inter.followups == []  # no apology after a brief that was delivered
    assert _logged(caplog, logging.ERROR, "") == [] and _unhandled(caplog) == []
    assert await _records(bot, fake_discord) == 1
    fake_discord.clear_faults()
    await _keeps_answering(fake_discord, bot)


@pytest.mark.parametrize("failure", ["expired token", "503"])
async def test_expiring_menu_whose_message_cannot_be_edited(bot, fake_discord, caplog, monkeypatch, failure):
    """When the article menu expires, the bot disables it by editing @original; a dead token or a
    5xx there is logged at debug level and nothing else happens."""
    caplog.set_level(logging.DEBUG, logger="bot.discord_app.views")
    monkeypatch.setitem(OwnedView.__init__.__kwdefaults__, "timeout", 0.3)
    inter, answer = await run(fake_discord, "brief")
    assert button_count(answer) == 1
    await fake_discord.wait_for(  # the bot has read back its message (to edit it at expiry)
        lambda: any(r.status == 200 and inter.token in r.path for r in fake_discord.requests_to("GET", ORIGINAL))
    )
    if failure == "expired token":
        fake_discord.expire_interaction(inter, 401)
    else:
        fake_discord.inject_fault("PATCH", ORIGINAL, 503, times=None)
    await fake_discord.wait_for(lambda: _logged(caplog, logging.DEBUG, "could not disable an expired view"), timeout=5)
    edits = [r for r in fake_discord.requests_to("PATCH", ORIGINAL) if inter.token in r.path]
    assert edits and all(r.status == (401 if failure == "expired token" else 503) for r in edits)
    assert not inter.original["components"][0]["components"][0].get("disabled")  # unchanged, as Discord left it
    assert _logged(caplog, logging.ERROR, "") == [] and _unhandled(caplog) == []
    fake_discord.clear_faults()
    await _keeps_answering(fake_discord, bot)


def button_count(message: dict) -> int:
    return sum(len(row.get("components", [])) for row in message.get("components", []))


async def test_an_answer_discord_took_but_answered_5xx_is_not_posted_twice(bot, fake_discord, caplog):
    """Discord carries out the answer to a deferred command and then answers 502 (a gateway
    timeout); discord.py sends it again. The answer edits the deferred message, so sending it again
    changes nothing: one message, no second copy."""
    caplog.set_level(logging.WARNING)
    fault = fake_discord.inject_fault(None, WEBHOOK, 502, processed=True)
    inter, answer = await run(fake_discord, "quotes", **QUOTES)
    assert "“no **connection**” — Daniel Russel" in answer["embeds"][0]["description"]
    await asyncio.sleep(0.3)  # time for a second copy, were one coming
    assert fault.exhausted
    attempts = [r for r in fake_discord.requests if WEBHOOK.fullmatch(r.path) and inter.token in r.path]
    assert [r.status for r in attempts] == [502, 200]  # sent twice
    mine = [
        m
        for m in fake_discord.channel_messages(fake_discord.channel_id)
        if m.get("interaction_metadata", {}).get("id") == str(inter.id)
    ]
    assert len(mine) == 1 and mine[0] is inter.original and inter.followups == []  # posted once
    assert _logged(caplog, logging.ERROR, "") == [] and _unhandled(caplog) == []
    assert await _records(bot, fake_discord) == 1


@pytest.mark.parametrize("status", [502, 504])
async def test_a_retried_initial_response_already_acknowledged_is_success(bot, fake_discord, caplog, status):
    """Discord takes /brief's answer (with its article menu) and answers 5xx; the retry gets 400
    40060 Interaction has already been acknowledged. That is the answer having arrived: no error
    logged, no apology, and the menu on it works."""
    caplog.set_level(logging.INFO)
    fake_discord.inject_fault("POST", CALLBACK, status, processed=True)
    inter, answer = await run(fake_discord, "brief")
    await fake_discord.wait_for(lambda: inter.rejected, timeout=5, what="the retried callback")
    [(rejected_status, body, _)] = inter.rejected
    assert rejected_status == 400 and body["code"] == 40060
    attempts = [r for r in fake_discord.requests_to("POST", CALLBACK) if inter.token in r.path]
    assert [r.status for r in attempts] == [status, 400]
    assert len(inter.callbacks) == 1 and answer["embeds"][0]["title"]
    await asyncio.sleep(0.3)
    assert inter.followups == [] and inter.edits == []  # no apology
    assert _logged(caplog, logging.ERROR, "") == [] and _unhandled(caplog) == []
    assert _logged(caplog, logging.INFO, "had already been received")
    # The menu was registered on the message Discord had: choosing another article switches to it.
    menu = next(c for row in inter.original["components"] for c in row["components"] if c["type"] == 3)
    other = next(o for o in menu["options"] if not o.get("default"))
    click = await fake_discord.send_component(inter.original, menu["custom_id"], values=[other["value"]])
    switched = await click.response(timeout=3)
    assert switched.type == 7 and switched.data["embeds"][0]["title"] != answer["embeds"][0]["title"]
