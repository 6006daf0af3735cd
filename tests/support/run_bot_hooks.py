"""``run_bot.py`` with hooks for the start-up and shutdown tests, set by environment variables:

BRIEFBOT_TEST_SLOW=PATH   the analysis of an article whose title contains "Slow" writes PATH
                          (holding its process id) and then keeps a core busy for ten minutes, as
                          a hostile page could; in the bot and in its analysis worker processes,
                          which (started with "spawn") run this module's top level again.
BRIEFBOT_TEST_NO_DNS=1    every host name fails to resolve, as with no DNS server (addresses
                          still connect): a DNS failure without touching the network.
BRIEFBOT_TEST_CLOCK=B,R,S the bot's calendar clock (digest periods, the time articles are queued)
                          reads B + (now - R) * S: unix time B at real time R, running S times
                          faster, the same in every process started with it (``fast_clock``), and
                          the delivery worker looks at its periods every 0.1 s.
BRIEFBOT_TEST_LEASE=S     the delivery worker's claims last S seconds (and a post at most S/2), so
                          that what a killed process had claimed is taken over within seconds.
BRIEFBOT_TEST_HOST=NAME   the host name in the process's claims (as if it ran on machine NAME): a
                          dead process's claims are freed at once only by a process of its own
                          host; another host's wait for their lease to lapse.
"""

from __future__ import annotations

import os
import socket
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import bot.library.ingest
from bot.cli import main

_SLOW = os.environ.get("BRIEFBOT_TEST_SLOW")
if _SLOW:
    _analyse = bot.library.ingest.analyse

    def _slow_analyse(article):  # type: ignore[no-untyped-def]
        if "Slow" in article.title:
            Path(_SLOW).write_text(str(os.getpid()))
            deadline = time.monotonic() + 600
            while time.monotonic() < deadline:
                sum(range(10_000))
        return _analyse(article)

    bot.library.ingest.analyse = _slow_analyse

if os.environ.get("BRIEFBOT_TEST_NO_DNS"):
    _getaddrinfo = socket.getaddrinfo

    def _no_dns(host, *args, **kwargs):  # type: ignore[no-untyped-def]
        try:
            socket.inet_pton(socket.AF_INET6 if ":" in str(host) else socket.AF_INET, str(host))
        except (OSError, ValueError):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known") from None
        return _getaddrinfo(host, *args, **kwargs)

    socket.getaddrinfo = _no_dns


_CLOCK = os.environ.get("BRIEFBOT_TEST_CLOCK")
_LEASE = os.environ.get("BRIEFBOT_TEST_LEASE")
_HOST = os.environ.get("BRIEFBOT_TEST_HOST")
if _CLOCK or _LEASE or _HOST:
    import bot.discord_app.briefbot as _briefbot
    from tests.support.clock import fast_clock

    def _hooked(base: type) -> type:
        class _Hooked(base):  # type: ignore[misc, valid-type]
            def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
                if _CLOCK:
                    kwargs["clock"] = fast_clock(_CLOCK)
                super().__init__(*args, **kwargs)

            async def setup_hook(self) -> None:
                await super().setup_hook()
                if _HOST:  # before the worker's first claim: it waits for the gateway, after this hook
                    for claims in (self.subscriptions, self.digests):
                        if claims is not None:
                            claims.owner = f"{_HOST}:{claims.owner.partition(':')[2]}"
                worker = self.delivery_worker
                if worker is None:
                    return
                if _CLOCK:  # still waiting for the gateway: the first wait is short too
                    worker.idle_wait = 0.1
                if _LEASE:
                    worker.lease = float(_LEASE)
                    worker.send_timeout = min(worker.send_timeout, float(_LEASE) / 2)

        return _Hooked

    # run() builds the bot by these names (the sharded one when BRIEFBOT_SHARD_COUNT is set).
    for _name in ("BriefBot", "ShardedBriefBot"):
        if hasattr(_briefbot, _name):
            setattr(_briefbot, _name, _hooked(getattr(_briefbot, _name)))

if __name__ == "__main__":
    from bot.localdiscord.patching import patch_discord

    with patch_discord(os.environ["FAKE_DISCORD_API"], os.environ["FAKE_DISCORD_GATEWAY"]):
        sys.exit(main([]))
