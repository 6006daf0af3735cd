"""Worker processes that never outlive the bot.

The library analyses a large batch of files in a pool of worker processes. When the bot process is
killed (SIGKILL, the OOM killer), nothing tells those workers: each still holds its own end of the
pool's task pipe, so it waits for the next task forever. ``exit_with_parent`` (the pool's
initializer) ends a worker as soon as the process that started it is gone.
"""

from __future__ import annotations

import os
import threading
import time


def exit_with_parent(parent_pid: int, interval: float = 0.2) -> None:
    """Start a daemon thread that ends this process once its parent is no longer ``parent_pid``."""

    def watch() -> None:
        while True:
            time.sleep(interval)
            if os.getppid() != parent_pid:  # the parent died; this process was handed to another
                os._exit(1)

    threading.Thread(target=watch, name="briefbot-exit-with-parent", daemon=True).start()
