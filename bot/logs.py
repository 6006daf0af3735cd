"""Logging set-up: one format, and secrets redacted from every record whatever logged them.

The filter sits on the root handler, so it sees every record that is written, the bot's own and
its libraries' (discord.py, aiohttp, aiosqlite's statements at DEBUG), with their arguments and
tracebacks formatted in. From each it takes out:

- the secrets it was given (the Discord token);
- the user-info of URLs (``https://user:password@host`` becomes ``https://[redacted]@host``) and the
  values of secret-looking query parameters (``?token=``, ``key``, ``sig``, ``password``...);
- interaction and webhook tokens in Discord API paths (``/interactions/<id>/<token>/callback``,
  ``/webhooks/<application id>/<token>``), valid for 15 minutes, and the values of secret-looking
  keys in logged payloads (``'token': '...'``);

and it escapes control characters (ESC and the rest of C0 and C1, DEL, bidirectional overrides,
line separators), so text from a feed cannot move the cursor, recolour or clear an operator's
terminal, or forge a log line of its own. A traceback keeps its line breaks, nothing else.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable

_FORMAT = "%(asctime)s %(levelname)-8s %(name)s: %(message)s"
PLACEHOLDER = "[redacted]"

# Names of query parameters and payload keys whose values are secrets: the word alone or at the
# end of a longer name (access_token, client_secret, X-Amz-Signature, api-key, session_id...).
_SECRET_NAME = (
    r"[\w.\-]*?(?:token|secret|passw(?:or)?d|passphrase|pwd|pass|api[_\-]?key|apikey|key|auth\w*"
    r"|credentials?|signature|sig|session(?:[_\-]?id)?|sid|jwt|code)"
)
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # scheme://user:password@host (whatever the scheme): the user-info goes
    (re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://)[^\s/?#@'\"<>\[\]]+@"), rf"\1{PLACEHOLDER}@"),
    # ?token=...&api_key=...
    # (the value stops before punctuation that ends a sentence: "...?token=x: failed")
    (re.compile(rf"(?i)([?&;]{_SECRET_NAME}=)[^&#\s'\"<>]*[^&#\s'\"<>:;,.!)\]]"), rf"\1{PLACEHOLDER}"),
    # Discord: /interactions/<id>/<token>/callback, /webhooks/<application id>/<token>/...
    (re.compile(r"(/(?:interactions|webhooks)/\d+/)[^/?#\s'\"<>]+"), rf"\1{PLACEHOLDER}"),
    # {'token': '...'} and {"access_token": "..."} in logged payloads
    (re.compile(rf"""(?i)((['"]){_SECRET_NAME}\2\s*:\s*(['"]))(?:\\.|(?!\3).)*"""), rf"\1{PLACEHOLDER}"),
]

_SPECIAL = [0x7F, 0x061C, 0x200E, 0x200F, 0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_ESCAPES = {c: f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}" for c in [*range(0x20), *range(0x80, 0xA0), *_SPECIAL]}
del _ESCAPES[ord("\t")]
_ESCAPE_LINE = str.maketrans(_ESCAPES)  # a message: one line, whatever its values hold
_ESCAPE_BLOCK = str.maketrans({c: e for c, e in _ESCAPES.items() if c != ord("\n")})  # a traceback


def scrub(text: str) -> str:
    """``text`` without URL credentials, secret query values, Discord interaction and webhook
    tokens, or the values of secret-looking keys (control characters are left to the caller)."""
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def escape_controls(text: str, *, keep_newlines: bool = False) -> str:
    """Control and bidirectional-format characters as visible escapes (``\\x1b``, ``\\u202e``)."""
    return text.translate(_ESCAPE_BLOCK if keep_newlines else _ESCAPE_LINE)


def redact(text: str, secrets: Iterable[str | None] = (), *, keep_newlines: bool = False) -> str:
    """``text`` with every secret (of 8 characters or more) replaced by a placeholder, scrubbed of
    credentials and tokens (see ``scrub``), its control characters escaped: fit for a log line or a
    terminal."""
    for secret in secrets:
        if secret and len(secret) >= 8:
            text = text.replace(secret, PLACEHOLDER)
    return escape_controls(scrub(text), keep_newlines=keep_newlines)


class RedactSecrets(logging.Filter):
    """Redacts each record (see the module's docstring): its message with the arguments formatted
    in, its traceback and its stack. Install it on a handler, where every logger's records pass."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s and len(s) >= 8]

    def _clean(self, text: str, *, keep_newlines: bool = False) -> str:
        return redact(text, self.secrets, keep_newlines=keep_newlines)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # arguments that do not fit the format: shown as they are, redacted too
            message = f"{record.msg} {record.args!r}"
        record.msg = self._clean(message)
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
        if record.exc_text:
            record.exc_text = self._clean(record.exc_text, keep_newlines=True)
        if record.stack_info:
            record.stack_info = self._clean(record.stack_info, keep_newlines=True)
        return True


# discord.py's warnings at every start that voice support is missing: the bot has no voice, so
# they say nothing an operator can act on. Only these two records (by logger and message) are
# dropped; every other warning, discord.py's included, is written.
VOICE_NOTICES = frozenset(
    {
        ("discord.client", "PyNaCl is not installed, voice will NOT be supported"),
        ("discord.client", "davey is not installed, voice will NOT be supported"),
    }
)


class NoVoiceNotices(logging.Filter):
    """Drops discord.py's "voice will NOT be supported" start-up warnings (``VOICE_NOTICES``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (isinstance(record.msg, str) and (record.name, record.msg) in VOICE_NOTICES)


def setup_logging(level: str = "INFO", secrets: Iterable[str] = ()) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler.addFilter(NoVoiceNotices())  # before redaction, which rewrites each record's message
    handler.addFilter(RedactSecrets(secrets))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # discord.py's gateway chatter at DEBUG is noise for operators; keep it at INFO unless asked.
    if level != "DEBUG":
        logging.getLogger("discord.gateway").setLevel(logging.WARNING)
