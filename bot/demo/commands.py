"""A slash command typed as in Discord's message box, ``/brief article:china pivot length:short``,
read against the commands the bot registered (their JSON, as Discord holds them): which command,
which subcommand, which options with which values. Anything Discord's client would not let a person
send (an unknown command or option, a missing required option, a value that is not one of the
choices or not a number) is a ``CommandError`` whose message is one line saying what is wrong."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

Json = dict[str, Any]

SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER = 3, 4, 5, 6, 7, 8, 9, 10
_TRUE, _FALSE = ("true", "yes", "1", "on"), ("false", "no", "0", "off")
_OPTION = re.compile(r"^([\w-]+):(.*)$")


class CommandError(ValueError):
    """A command Discord's client would refuse to send; the message says why, in one line."""


@dataclass
class Typed:
    """A command as typed: its name, the subcommand path (``["add"]`` for ``/feeds add``), and each
    option's text in the order typed."""

    name: str
    path: list[str] = field(default_factory=list)
    options: list[tuple[str, str]] = field(default_factory=list)

    @property
    def label(self) -> str:
        return " ".join(["/" + self.name, *self.path])


def _names(options: Sequence[Json]) -> str:
    return ", ".join(o["name"] for o in options) or "none"


def split(text: str, commands: Sequence[Json]) -> tuple[Typed, Json, list[Json]]:
    """The typed command, its registered JSON, and the options declared where the typed options
    belong (the subcommand's, for a command with subcommands)."""
    words = text.split()
    if not words or not words[0].startswith("/") or len(words[0]) < 2:
        raise CommandError(f"{text.strip()!r} is not a slash command: start it with / (e.g. /brief article:china)")
    name = words[0][1:].lower()
    by_name = {c["name"]: c for c in commands if c.get("type", 1) == 1}
    if name not in by_name:
        raise CommandError(f"no command /{name}; the commands are " + ", ".join(f"/{n}" for n in sorted(by_name)))
    command = by_name[name]
    typed = Typed(name)
    declared: list[Json] = list(command.get("options") or [])
    rest = words[1:]
    while declared and any(o["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP) for o in declared):
        subs = {o["name"]: o for o in declared}
        if not rest or rest[0].lower() not in subs:
            raise CommandError(f"{typed.label} needs one of: " + ", ".join(sorted(subs)))
        chosen = subs[rest.pop(0).lower()]
        typed.path.append(chosen["name"])
        declared = list(chosen.get("options") or [])
    known = {o["name"] for o in declared}
    for word in rest:
        match = _OPTION.match(word)
        if match and match.group(1).lower() in known:
            typed.options.append((match.group(1).lower(), match.group(2)))
        elif match and not typed.options:
            raise CommandError(f"{typed.label} has no option {match.group(1)!r}; its options: {_names(declared)}")
        elif typed.options:  # the option's value goes on, spaces and all, until the next option
            key, value = typed.options[-1]
            typed.options[-1] = (key, f"{value} {word}".strip())
        else:
            raise CommandError(f"{word!r}: give {typed.label}'s options as name:value; its options: {_names(declared)}")
    seen = [key for key, _ in typed.options]
    twice = sorted({key for key in seen if seen.count(key) > 1})
    if twice:
        raise CommandError(f"{typed.label}: option {twice[0]!r} is given twice")
    missing = [o["name"] for o in declared if o.get("required") and o["name"] not in seen]
    if missing:
        raise CommandError(f"{typed.label} needs {', '.join(m + ':' for m in missing)}")
    return typed, command, declared


def convert(
    option: Json, text: str, label: str, *, channel: Callable[[str], int | None], user: Callable[[str], int | None]
) -> Any:
    """The value Discord would send for ``text`` typed into ``option``."""
    name, kind = option["name"], option["type"]
    text = text.strip()
    choices = option.get("choices") or []
    if choices:
        for c in choices:
            if text.lower() in (str(c["value"]).lower(), str(c["name"]).lower()):
                return c["value"]
        starts = [c for c in choices if str(c["name"]).lower().startswith(text.lower())] if text else []
        if len(starts) == 1:
            return starts[0]["value"]
        listed = ", ".join(str(c["value"]) for c in choices)
        raise CommandError(f"{label} {name}: {text!r} is not one of {listed}")
    if kind in (INTEGER, NUMBER):
        try:
            number = int(text) if kind == INTEGER else float(text)
        except ValueError:
            raise CommandError(
                f"{label} {name}: {text!r} is not a {'whole ' if kind == INTEGER else ''}number"
            ) from None
        low, high = option.get("min_value"), option.get("max_value")
        if (low is not None and number < low) or (high is not None and number > high):
            raise CommandError(f"{label} {name}: {text} is out of range ({low} to {high})")
        return number
    if kind == BOOLEAN:
        if text.lower() not in _TRUE + _FALSE:
            raise CommandError(f"{label} {name}: {text!r} is not true or false")
        return text.lower() in _TRUE
    if kind == CHANNEL:
        found = channel(text.lstrip("#"))
        if found is None:
            raise CommandError(f"{label} {name}: no channel #{text.lstrip('#')}")
        return found
    if kind in (USER, MENTIONABLE):
        found = user(text.lstrip("@"))
        if found is None:
            raise CommandError(f"{label} {name}: no member @{text.lstrip('@')}")
        return found
    if kind == ROLE:
        raise CommandError(f"{label} {name}: roles cannot be given in the demo")
    return text


def raw_options(typed: Typed, values: dict[str, Any], declared: Sequence[Json]) -> list[Json] | dict[str, Any]:
    """The interaction's options: ``{name: value}`` for a plain command, nested raw option
    dicts (each with its type) under the subcommand path otherwise."""
    if not typed.path:
        return values
    types = {o["name"]: o["type"] for o in declared}
    inner: list[Json] = [{"name": k, "type": types[k], "value": v} for k, v in values.items()]
    for depth, sub in reversed(list(enumerate(typed.path))):
        kind = SUB_COMMAND if depth == len(typed.path) - 1 else SUB_COMMAND_GROUP
        inner = [{"name": sub, "type": kind, "options": inner}]
    return inner
