"""`python -m bot.against_fake [ARGS]`: the real program (what `python -m bot ARGS` runs) pointed at a
local fake of Discord whose addresses are in FAKE_DISCORD_API (``http://127.0.0.1:PORT/api/v10``)
and FAKE_DISCORD_GATEWAY (``ws://127.0.0.1:PORT/``); the settings come from the environment as in
production. For the tests and benchmarks that run the bot in a process of its own, against a
``bot.localdiscord.FakeDiscord`` in theirs, and stop or kill it."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

API_VARIABLE = "FAKE_DISCORD_API"
GATEWAY_VARIABLE = "FAKE_DISCORD_GATEWAY"


def main(argv: Sequence[str] | None = None) -> int:
    from bot.cli import main as cli_main
    from bot.localdiscord.patching import patch_discord

    api, gateway = os.environ.get(API_VARIABLE), os.environ.get(GATEWAY_VARIABLE)
    if not api or not gateway:
        print(f"briefbot: error: {API_VARIABLE} and {GATEWAY_VARIABLE} must name the fake Discord", file=sys.stderr)
        return 2
    with patch_discord(api, gateway):
        return cli_main(list(argv) if argv is not None else [])


# Guarded: the analysis workers import the main module again under another name (see bot/__main__.py).
if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
