"""Posting one new article to many subscribed channels under Discord's global rate limit.

    python -m bench.delivery [--channels 1000] [--rate 50]

Runs the real bot against the local fake of Discord (bot/localdiscord), which answers 429 with
Discord's headers beyond ``--rate`` requests a second. Every channel is subscribed; one article
file is added; the benchmark times until every channel has its post, and counts duplicates. The
bound is channels / rate seconds: no client can post faster without being refused.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bot.config import Settings
from bot.discord_app.briefbot import BriefBot
from bot.localdiscord import FakeDiscord, make_text_channel

ROOT = Path(__file__).resolve().parent.parent


async def run(channels: int, rate: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        shutil.copytree(ROOT / "seeds", folder)
        async with FakeDiscord() as fake:
            ids = []
            for i in range(channels):
                channel = make_text_channel(name=f"news-{i}")
                fake.add_channel(fake.guild_id, channel)
                ids.append(int(channel["id"]))
            settings = Settings(articles_dir=folder, db_path=Path(tmp) / "bench.sqlite3", poll_seconds=3600)
            bot = BriefBot(settings, guild_ready_timeout=0.05)
            async with fake.run(bot):
                for channel_id in ids:
                    await bot.subscriptions.subscribe(
                        guild_id=fake.guild_id, channel_id=channel_id, keywords=[], user_id=1
                    )
                fake.set_global_rate_limit(rate, 1.0)
                (folder / "new.txt").write_text(
                    "Harbour Plan Approved\n\nThe harbour board approved a new plan on Monday, officials said.\n"
                )
                start = time.perf_counter()
                report = await bot.library.sync()
                bot.delivery_worker.wake()

                def posted() -> int:
                    return sum(len(fake.channel_messages(c)) for c in ids)

                await fake.wait_for(lambda: posted() >= channels, timeout=channels / rate * 10 + 30)
                elapsed = time.perf_counter() - start
                await asyncio.sleep(2.0)  # let anything extra arrive before counting
                per_channel = Counter({c: len(fake.channel_messages(c)) for c in ids})
                duplicates = sum(n - 1 for n in per_channel.values() if n > 1)
                limited = sum(1 for r in fake.requests if r.status == 429)
                posts = len(fake.requests_to("POST", "/channels/{channel_id}/messages"))
    bound = channels / rate
    print(f"{channels} channels, {rate} requests/s global limit, one new article ({report.queued} deliveries queued)")
    print("| measure | value |")
    print("|---|---|")
    print(f"| time until every channel had its post | {elapsed:.1f} s |")
    print(f"| bound (channels / rate) | {bound:.1f} s |")
    print(f"| time / bound | {elapsed / bound:.2f} |")
    print(f"| duplicate posts | {duplicates} |")
    print(f"| channels without the post | {sum(1 for n in per_channel.values() if n == 0)} |")
    print(f"| POST requests (429 answers among all requests) | {posts} ({limited}) |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.delivery", description=__doc__.split("\n\n")[0])
    parser.add_argument("--channels", type=int, default=1000)
    parser.add_argument("--rate", type=int, default=50)
    args = parser.parse_args(argv)
    asyncio.run(run(args.channels, args.rate))
    return 0


if __name__ == "__main__":
    sys.exit(main())
