"""Point discord.py at a fake Discord.

discord.py builds every REST URL (including interaction callbacks and webhook followups, which
go through the same ``discord.http.Route``) from the class attribute ``Route.BASE``, and a
non-sharded ``Client`` connects to ``DiscordWebSocket.DEFAULT_GATEWAY`` without asking
``/gateway/bot`` (AutoShardedClient does ask, and gets the fake URL from the fake). Those two
class attributes are the only things patched; both are restored on exit.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route


@contextmanager
def patch_discord(api_base: str, gateway_url: str) -> Iterator[None]:
    """``api_base`` like ``http://127.0.0.1:1234/api/v10``; ``gateway_url`` like ``ws://127.0.0.1:1234/``."""
    old_base, old_gateway = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    Route.BASE = api_base
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)
    try:
        yield
    finally:
        Route.BASE = old_base
        DiscordWebSocket.DEFAULT_GATEWAY = old_gateway
