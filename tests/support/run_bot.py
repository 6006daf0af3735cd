"""Run the real bot (``bot.cli.main``) in its own process against a FakeDiscord in another.

The parent test passes the fake's addresses in FAKE_DISCORD_API and FAKE_DISCORD_GATEWAY; the
settings come from the environment exactly as in production. Used by tests that kill the bot.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bot.cli import main
from bot.localdiscord.patching import patch_discord

if __name__ == "__main__":
    with patch_discord(os.environ["FAKE_DISCORD_API"], os.environ["FAKE_DISCORD_GATEWAY"]):
        sys.exit(main([]))
