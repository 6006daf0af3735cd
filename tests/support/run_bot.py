"""Run the real bot (``bot.cli.main``) in its own process against a FakeDiscord in another.

The parent test passes the fake's addresses in FAKE_DISCORD_API and FAKE_DISCORD_GATEWAY; the
settings come from the environment exactly as in production. Used by tests that kill the bot. The
work is the package's (``python -m bot.against_fake``); this path stays for the tests that name it.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bot.against_fake import main

if __name__ == "__main__":
    sys.exit(main([]))
