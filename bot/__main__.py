import sys

from bot.cli import main

# Guarded: library syncs analyse in worker processes (forked from a fork server), which import this
# module again under another name; they must not start a second bot.
if __name__ == "__main__":
    sys.exit(main())
