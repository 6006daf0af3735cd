"""patch_discord points discord.py's REST base and gateway at the fake, and always puts them back."""

from __future__ import annotations

import pytest
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bot.localdiscord.patching import patch_discord


def test_patch_and_restore():
    base, gateway = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    with patch_discord("http://127.0.0.1:1/api/v10", "ws://127.0.0.1:1/"):
        assert Route.BASE == "http://127.0.0.1:1/api/v10"
        assert yarl.URL("ws://127.0.0.1:1/") == DiscordWebSocket.DEFAULT_GATEWAY
        assert Route("GET", "/users/@me").url == "http://127.0.0.1:1/api/v10/users/@me"
    assert (base, gateway) == (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)


def test_restored_after_an_error():
    base = Route.BASE
    with pytest.raises(RuntimeError), patch_discord("http://127.0.0.1:1/api/v10", "ws://127.0.0.1:1/"):
        raise RuntimeError
    assert base == Route.BASE
