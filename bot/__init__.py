"""briefbot: briefs on articles. Layers, one folder each, imports pointing down (docs/architecture.md):
discord_app -> library -> sources, analysis, storage -> core. Only discord_app, localdiscord and
cogs/ import discord."""

import contextlib as _contextlib
import os as _os
import signal as _signal

__version__ = "0.1.0"

# Set by the running bot (bot.discord_app.lifecycle.serve) for the processes it starts: its analysis and page
# workers, which (forked from a fork server that imported it) have run this first. Ctrl-C in a
# terminal reaches every process of the group, and so does SIGTERM from a service manager that
# signals the whole group (systemd's default KillMode). A worker leaves stopping to the bot, which
# kills its workers itself once it has stopped using them, instead of dying under a task (the bot
# would log each of its tasks as failed) or printing a KeyboardInterrupt traceback of its own. A
# worker whose bot is gone ends by itself (bot.library.workers.exit_with_parent).
PARENT_PID_VARIABLE = "BRIEFBOT_PARENT_PID"

if _os.environ.get(PARENT_PID_VARIABLE, str(_os.getpid())) != str(_os.getpid()):
    with _contextlib.suppress(ValueError):  # ValueError: not the main thread, which takes signals
        _signal.signal(_signal.SIGINT, _signal.SIG_IGN)
        _signal.signal(_signal.SIGTERM, _signal.SIG_IGN)
