"""briefbot: briefs on articles. The domain (parsing, briefs, storage) never imports discord."""

import contextlib as _contextlib
import os as _os
import signal as _signal

__version__ = "0.1.0"

# Set by the running bot (bot.lifecycle.serve) for the processes it starts: its analysis workers,
# which (started with "spawn") import this package before anything else. Ctrl-C in a terminal
# reaches every process of the group; a worker leaves it to the bot, which ends its workers
# itself, instead of printing a KeyboardInterrupt traceback of its own.
PARENT_PID_VARIABLE = "BRIEFBOT_PARENT_PID"

if _os.environ.get(PARENT_PID_VARIABLE, str(_os.getpid())) != str(_os.getpid()):
    with _contextlib.suppress(ValueError):  # ValueError: not the main thread, which takes signals
        _signal.signal(_signal.SIGINT, _signal.SIG_IGN)
