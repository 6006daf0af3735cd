"""The delivery worker on its own: its narrow dependencies (an outbox, a way to brief an article, a
way to reach a channel) stood in for, so each outcome of a post is seen. End to end through the
fake Discord: tests/cogs/test_subscriptions.py; across crashes: tests/bot/test_crash_delivery.py."""

from __future__ import annotations

import ast
import asyncio
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import aiohttp
import discord
import pytest

import bot.discord_app.delivery_worker as worker_module
from bot.core.backoff import backoff
from bot.core.models import Article, Brief, Delivery, Digest
from bot.discord_app.delivery_worker import BASE_DELAY, MAX_ATTEMPTS, MAX_BACKOFF, DeliveryWorker


class Outbox:
    """An in-memory outbox recording what the worker did to each row."""

    def __init__(self, rows: list[Delivery]) -> None:
        self.rows = {d.id: d for d in rows}
        self.log: list[tuple] = []

    async def claim(self, limit: int, lease: float) -> list[Delivery]:
        return list(self.rows.values())[:limit]

    async def renew(self, delivery_id: int, lease: float) -> bool:
        return True

    async def next_due_in(self) -> float | None:
        return None

    async def delivered(self, delivery_id: int, message_id: int) -> bool:
        self.rows.pop(delivery_id)
        self.log.append(("delivered", delivery_id, message_id))
        return True

    async def cancel(self, delivery_id: int, reason: str) -> bool:
        self.rows.pop(delivery_id, None)
        self.log.append(("cancel", delivery_id, reason))
        return True

    async def pause(self, channel_id: int, reason: str) -> None:
        self.rows = {i: d for i, d in self.rows.items() if d.channel_id != channel_id}
        self.log.append(("pause", channel_id, reason))

    async def retry_later(self, delivery_id: int, error: str, delay: float) -> bool:
        d = self.rows.pop(delivery_id)
        self.log.append(("retry", delivery_id, error, delay))
        self.later = Delivery(d.id, d.channel_id, d.article_id, d.attempts + 1)
        return True


class Channel:
    def __init__(self, outcome: Exception | None = None) -> None:
        self.outcome = outcome
        self.sent: list[dict] = []

    async def send(self, **kwargs):
        self.sent.append(kwargs)
        if self.outcome is not None:
            raise self.outcome
        return SimpleNamespace(id=999)


@pytest.fixture(autouse=True)
def _plain_embed(monkeypatch):
    monkeypatch.setattr(worker_module, "brief_embed", lambda brief, label: discord.Embed(title=str(brief)))


def make_worker(outbox: Outbox, channel: Channel, brief=lambda article_id: f"brief of {article_id}", **kw):
    async def brief_for(article_id: str):
        result = brief(article_id)
        if isinstance(result, Exception):
            raise result
        return result

    return DeliveryWorker(outbox, brief_for, lambda channel_id: channel, **kw)


def http_error(status: int, code: int = 0, message: str = "") -> discord.HTTPException:
    return discord.HTTPException(SimpleNamespace(status=status, reason="x"), {"code": code, "message": message})


async def test_a_post_is_sent_with_its_nonce_and_marked_delivered():
    outbox, channel = Outbox([Delivery(1, 10, "a1", 0)]), Channel()
    assert await make_worker(outbox, channel).drain() == 1
    assert outbox.log == [("delivered", 1, 999)]
    [sent] = channel.sent
    assert sent["embed"].title == "brief of a1" and sent["nonce"].startswith("bb")
    assert sent["allowed_mentions"].to_dict() == {"parse": []}


async def test_an_article_gone_is_cancelled_with_the_reason_and_nothing_sent():
    outbox, channel = Outbox([Delivery(1, 10, "gone", 0)]), Channel()
    assert await make_worker(outbox, channel, brief=lambda _: None).drain() == 0
    assert outbox.log == [("cancel", 1, "the article was removed before it could be posted")]
    assert channel.sent == []


@pytest.mark.parametrize("attempts", [0, 1, MAX_ATTEMPTS - 2])
async def test_a_brief_that_raises_is_an_attempt_with_the_backoff(attempts):
    outbox, channel = Outbox([Delivery(1, 10, "a1", attempts)]), Channel()
    worker = make_worker(outbox, channel, brief=lambda _: ValueError("bad analysis"))
    assert await worker.drain() == 0  # returns: one bad row does not keep the worker busy
    [(what, delivery_id, error, delay)] = outbox.log
    assert (what, delivery_id, error) == ("retry", 1, "bad analysis")
    assert delay == backoff(BASE_DELAY, attempts + 1, MAX_BACKOFF)
    assert channel.sent == []


async def test_a_brief_that_keeps_raising_is_given_up_after_max_attempts(caplog):
    outbox, channel = Outbox([Delivery(1, 10, "a1", MAX_ATTEMPTS - 1)]), Channel()
    await make_worker(outbox, channel, brief=lambda _: ValueError("bad analysis")).drain()
    [(what, delivery_id, reason)] = outbox.log
    assert (what, delivery_id) == ("cancel", 1)
    assert reason == "the article could not be briefed (ValueError: bad analysis)"
    assert "cancelling delivery 1 of article a1 to channel 10" in caplog.text


async def test_one_bad_row_does_not_hold_up_the_others():
    rows = [Delivery(1, 10, "bad", 0), Delivery(2, 10, "good", 0)]
    outbox, channel = Outbox(rows), Channel()
    worker = make_worker(outbox, channel, brief=lambda a: RuntimeError("no") if a == "bad" else f"brief of {a}")
    assert await worker.drain() == 1
    assert ("delivered", 2, 999) in outbox.log and outbox.log[0][0] == "retry"


@pytest.mark.parametrize("status", [403, 404])
async def test_a_channel_gone_or_forbidden_pauses_and_keeps_the_post(status):
    outbox, channel = Outbox([Delivery(1, 10, "a1", 0)]), Channel(http_error(status))
    await make_worker(outbox, channel).drain()
    [(what, channel_id, reason)] = outbox.log
    assert (what, channel_id) == ("pause", 10)
    assert reason in ("Discord refused access to the channel (missing permissions)", "the channel no longer exists")


async def test_a_refused_message_is_cancelled_with_discords_words_and_pauses():
    outbox, channel = Outbox([Delivery(1, 10, "a1", 0)]), Channel(http_error(400, 50035, "Invalid Form Body"))
    await make_worker(outbox, channel).drain()
    assert [entry[0] for entry in outbox.log] == ["cancel", "pause"]
    assert outbox.log[0][2] == "Discord refused the post (400): error 50035, Invalid Form Body"


@pytest.mark.parametrize(
    "error", [http_error(503), http_error(429), aiohttp.ClientConnectionError("reset"), TimeoutError()]
)
async def test_what_may_pass_is_retried_later(error):
    outbox, channel = Outbox([Delivery(1, 10, "a1", 2)]), Channel(error)
    await make_worker(outbox, channel, base_delay=1.0).drain()
    [(what, _, _, delay)] = outbox.log
    assert what == "retry" and delay == 4.0  # the third failure in a row


async def test_the_worker_waits_for_the_connection_then_posts_when_woken():
    ready = asyncio.Event()
    outbox, channel = Outbox([]), Channel()
    worker = make_worker(outbox, channel, ready=ready.wait)
    worker.start()
    try:
        outbox.rows[1] = Delivery(1, 10, "a1", 0)
        worker.wake()
        await asyncio.sleep(0.1)
        assert channel.sent == []  # not connected yet
        ready.set()
        for _ in range(50):
            if outbox.log:
                break
            await asyncio.sleep(0.02)
        assert outbox.log == [("delivered", 1, 999)]
    finally:
        await worker.stop()


async def test_a_wake_while_the_outbox_is_read_is_not_lost():
    """A row committed (and wake() called) after the claim looked but before the worker sleeps: the
    wake ends the sleep, the row goes at once rather than after the idle wait (CI failure on
    PostgreSQL, where reading the outbox awaits longer)."""

    class LateOutbox(Outbox):
        async def next_due_in(self) -> float | None:
            if not self.log and not self.rows:  # the ingest commits its row and wakes the worker now
                self.rows[1] = Delivery(1, 10, "a1", 0)
                worker.wake()
            return None

    outbox, channel = LateOutbox([]), Channel()
    worker = make_worker(outbox, channel, idle_wait=3600)
    worker.start()
    try:
        for _ in range(100):
            if outbox.log:
                break
            await asyncio.sleep(0.02)
        assert outbox.log == [("delivered", 1, 999)]
    finally:
        await worker.stop()


def test_the_worker_does_not_depend_on_the_bot():
    """No import of the bot (once a cycle: briefbot <-> delivery_worker)."""
    tree = ast.parse(Path(worker_module.__file__).read_text())
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)} | {
        a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names
    }
    assert "bot.discord_app.briefbot" not in imported
    assert not any(m and m.startswith("bot.storage") for m in imported)


class Digests:
    """In-memory digests: one row, recording what the worker did to it."""

    def __init__(self, digest: Digest) -> None:
        self.rows = {digest.id: digest}
        self.log: list[tuple] = []

    async def close(self) -> int:
        return 0

    async def next_close_in(self) -> float | None:
        return None

    async def claim(self, limit: int, lease: float) -> list[Digest]:
        return list(self.rows.values())[:limit]

    async def renew(self, digest_id: int, lease: float) -> bool:
        return True

    async def next_due_in(self) -> float | None:
        return None

    async def part_sent(self, digest_id: int, parts: int, message_id: int) -> bool:
        self.rows[digest_id] = replace(self.rows[digest_id], parts_sent=parts)
        self.log.append(("part", parts, message_id))
        return True

    async def delivered(self, digest_id: int) -> bool:
        self.rows.pop(digest_id)
        self.log.append(("delivered",))
        return True

    async def cancel(self, digest_id: int, reason: str) -> bool:
        self.rows.pop(digest_id)
        self.log.append(("cancel", reason))
        return True

    async def retry_later(self, digest_id: int, error: str, delay: float) -> bool:
        self.rows[digest_id] = replace(self.rows.pop(digest_id), attempts=1)
        self.log.append(("retry", error))
        self.rows.clear()  # not due again in this drain
        return True


def digest_brief(article_id: str) -> Brief:
    article = Article(
        id=article_id, slug=article_id, title=f"Title {article_id} " + "t" * 200, standfirst=None, paragraphs=("x",)
    )
    return Brief(article=article, summary=("A long sentence. " * 20,), quotes=(), keywords=())


async def test_a_digest_resumes_at_the_first_part_discord_did_not_accept():
    ids = tuple(f"a{i}" for i in range(40))
    digests = Digests(Digest(7, 10, "daily", "2026-11-27T00:00:00+00:00", "2026-11-28T00:00:00+00:00", ids, 0, 0))

    class Flaky(Channel):
        async def send(self, **kwargs):
            self.sent.append(kwargs)
            if len(self.sent) == 2:
                raise http_error(503)
            return SimpleNamespace(id=100 + len(self.sent))

    channel = Flaky()
    worker = make_worker(Outbox([]), channel, brief=digest_brief, digests=digests)
    assert await worker.drain() == 0
    assert [entry[0] for entry in digests.log] == ["part", "retry"] and digests.log[0] == ("part", 1, 101)
    digests.rows[7] = Digest(7, 10, "daily", "2026-11-27T00:00:00+00:00", "2026-11-28T00:00:00+00:00", ids, 1, 1)
    assert await worker.drain() == 1
    nonces = [s["nonce"] for s in channel.sent]
    parts = len(channel.sent) - 1  # the refused attempt at part 2 is sent again, with the same nonce
    assert nonces[1] == nonces[2] and len(set(nonces)) == parts and all(n.startswith("bd") for n in nonces)
    assert digests.log[-1] == ("delivered",) and parts > 2
    assert all(s["allowed_mentions"].to_dict() == {"parse": []} for s in channel.sent)


async def test_a_digest_whose_articles_are_all_gone_is_cancelled():
    digests = Digests(Digest(7, 10, "weekly", "2026-11-23T00:00:00+00:00", "2026-11-30T00:00:00+00:00", ("a",), 0, 0))
    channel = Channel()
    assert await make_worker(Outbox([]), channel, brief=lambda _: None, digests=digests).drain() == 0
    assert digests.log == [("cancel", "every article in it was removed before it could be posted")]
    assert channel.sent == []


# Claims (issue 18): another process may take a row over when this one's lease lapses.


class LostOutbox(Outbox):
    """An outbox whose rows another process takes over: claimed once, then the claim is lost."""

    def __init__(self, rows: list[Delivery], *, lost_before_send: bool) -> None:
        super().__init__(rows)
        self.lost_before_send = lost_before_send
        self.claims: list[float] = []

    async def claim(self, limit: int, lease: float) -> list[Delivery]:
        self.claims.append(lease)
        batch, self.rows = list(self.rows.values())[:limit], {}
        return batch

    async def renew(self, delivery_id: int, lease: float) -> bool:
        return not self.lost_before_send

    async def delivered(self, delivery_id: int, message_id: int) -> bool:
        self.log.append(("refused", delivery_id, message_id))
        return False


async def test_a_post_whose_claim_is_lost_before_it_is_sent_is_left_to_the_new_owner(caplog):
    outbox, channel = LostOutbox([Delivery(1, 10, "a1", 0)], lost_before_send=True), Channel()
    assert await make_worker(outbox, channel, lease=120.0).drain() == 0
    assert channel.sent == [] and outbox.log == [] and outbox.claims == [120.0, 120.0]
    assert "delivery 1 was taken over by another process" in caplog.text


async def test_a_post_whose_claim_is_lost_while_it_is_sent_is_not_marked(caplog):
    outbox, channel = LostOutbox([Delivery(1, 10, "a1", 0)], lost_before_send=False), Channel()
    assert await make_worker(outbox, channel).drain() == 0
    assert len(channel.sent) == 1 and outbox.log == [("refused", 1, 999)]
    assert "delivery 1 was taken over by another process" in caplog.text


async def test_a_post_that_outlasts_the_send_timeout_is_an_attempt_retried_later():
    class Slow(Channel):
        async def send(self, **kwargs):
            self.sent.append(kwargs)
            await asyncio.sleep(5)

    outbox, channel = Outbox([Delivery(1, 10, "a1", 0)]), Slow()
    assert await make_worker(outbox, channel, send_timeout=0.05, lease=1.0).drain() == 0
    [(kind, delivery_id, _, _)] = outbox.log
    assert (kind, delivery_id) == ("retry", 1) and len(channel.sent) == 1


def test_the_lease_must_outlast_a_post():
    with pytest.raises(ValueError, match="must outlast a post"):
        make_worker(Outbox([]), Channel(), lease=10.0, send_timeout=30.0)
    assert worker_module.LEASE > worker_module.SEND_TIMEOUT


async def test_a_digest_whose_claim_is_lost_between_parts_stops_sending(caplog):
    ids = tuple(f"a{i}" for i in range(40))
    digests = Digests(Digest(7, 10, "daily", "2026-11-27T00:00:00+00:00", "2026-11-28T00:00:00+00:00", ids, 0, 0))
    renewals: list[float] = []

    async def renew(digest_id: int, lease: float) -> bool:
        renewals.append(lease)
        return len(renewals) == 1  # the first part goes; then another process holds the digest

    claimed: list[int] = []

    async def claim(limit: int, lease: float) -> list[Digest]:
        claimed.append(1)
        return list(digests.rows.values()) if len(claimed) == 1 else []

    digests.renew, digests.claim = renew, claim
    channel = Channel()
    assert await make_worker(Outbox([]), channel, brief=digest_brief, digests=digests, lease=45.0).drain() == 0
    assert len(channel.sent) == 1 and digests.log == [("part", 1, 999)] and renewals == [45.0, 45.0]
    assert "digest 7 was taken over by another process" in caplog.text
