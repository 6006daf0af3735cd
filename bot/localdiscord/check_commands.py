"""Discord's rules for application commands (names, descriptions, options, choices, the 8,000-character
size) and for autocomplete choices."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from .forms import Json, Problem, at_most, between, form_error, int_in

_CMD_NAME = re.compile(r"^[-_'\w]{1,32}$")


def validate_choices(choices: Sequence[Json]) -> Json | None:
    errors: dict[str, Problem] = {}
    if len(choices) > 25:
        errors["data.choices"] = "Must be 25 or fewer in length."
    for i, choice in enumerate(choices):
        if not 1 <= len(str(choice.get("name", ""))) <= 100:
            errors[f"data.choices.{i}.name"] = "Must be between 1 and 100 in length."
        value = choice.get("value")
        if isinstance(value, str) and len(value) > 100:
            errors[f"data.choices.{i}.value"] = "Must be 100 or fewer in length."
    return form_error(errors) if errors else None


COMMAND_SIZE_LIMIT = 8000  # name, description and choice name/value characters in a whole command
_CHOICE_TYPES = frozenset({3, 4, 10})  # STRING, INTEGER, NUMBER
_CONTEXT_MENU_TYPES = frozenset({2, 3})  # USER, MESSAGE


def _longest(holder: Json, key: str) -> int:
    """A field's size as Discord counts it: the longest of its default and its localizations."""
    sizes = [len(str(holder.get(key) or ""))]
    sizes += [len(str(v or "")) for v in (holder.get(f"{key}_localizations") or {}).values()]
    return max(sizes)


def command_size(cmd: Json) -> int:
    """Characters counted toward the 8,000 limit: the name and description of the command and of
    every option (subcommands and groups included), and every choice's name and value."""

    def options_size(options: Sequence[Json]) -> int:
        total = 0
        for opt in options:
            total += _longest(opt, "name") + _longest(opt, "description")
            for choice in opt.get("choices") or []:
                total += _longest(choice, "name") + len(str(choice.get("value", "")))
            total += options_size(opt.get("options") or [])
        return total

    return _longest(cmd, "name") + _longest(cmd, "description") + options_size(cmd.get("options") or [])


def _localized_errors(holder: Json, key: str, path: str, check: Any) -> dict[str, Problem]:
    errors: dict[str, Problem] = {}
    for locale, value in (holder.get(f"{key}_localizations") or {}).items():
        if problem := check(str(value or "")):
            errors[f"{path}.{key}_localizations.{locale}"] = problem
    return errors


def _slash_name_problem(name: str) -> Problem | None:
    if not _CMD_NAME.match(name) or name != name.lower():
        return "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid"
    return None


def _description_problem(text: str) -> Problem | None:
    return None if 1 <= len(text) <= 100 else between(1, 100)


def _command_errors(cmd: Json, here: str) -> dict[str, Problem]:
    errors: dict[str, Problem] = {}
    ctype = cmd.get("type", 1)
    name = str(cmd.get("name", ""))
    if ctype not in (1, 2, 3, 4):
        errors[f"{here}.type"] = ("BASE_TYPE_CHOICES", "Value must be one of (1, 2, 3, 4).")
    if ctype in _CONTEXT_MENU_TYPES:
        # USER and MESSAGE commands: 1-32 characters, mixed case and spaces allowed, no description
        # (an empty string at most) and no options.
        def menu_name(text: str) -> Problem | None:
            return None if 1 <= len(text) <= 32 else between(1, 32)

        if problem := menu_name(name):
            errors[f"{here}.name"] = problem
        errors.update(_localized_errors(cmd, "name", here, menu_name))
        if cmd.get("description"):
            errors[f"{here}.description"] = (
                "APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION",
                "Context menu commands cannot have a description",
            )
        if cmd.get("options"):
            errors[f"{here}.options"] = (
                "APPLICATION_COMMAND_OPTIONS_NOT_ALLOWED",
                "Only chat input commands can have options",
            )
        return errors
    if problem := _slash_name_problem(name):
        errors[f"{here}.name"] = problem
    errors.update(_localized_errors(cmd, "name", here, _slash_name_problem))
    if problem := _description_problem(str(cmd.get("description", ""))):
        errors[f"{here}.description"] = problem
    errors.update(_localized_errors(cmd, "description", here, _description_problem))
    errors.update(_option_errors(cmd.get("options") or [], f"{here}.options"))
    if (size := command_size(cmd)) > COMMAND_SIZE_LIMIT:
        errors[here] = (
            "APPLICATION_COMMAND_TOO_LARGE",
            f"Command exceeds maximum size ({COMMAND_SIZE_LIMIT}): {size} characters",
        )
    return errors


# The most commands of each type an application may have in one scope (global, or one guild), as
# Discord's docs give them: 100 chat input (slash), 5 user and 5 message commands.
COMMAND_LIMITS = {1: 100, 2: 5, 3: 5}


def too_many_commands(commands: Sequence[Json]) -> Json | None:
    """Discord's error for a scope that would hold more commands of a type than it allows
    (30032, "Maximum number of application commands reached"), else None."""
    for ctype, limit in COMMAND_LIMITS.items():
        if sum(1 for c in commands if c.get("type", 1) == ctype) > limit:
            return {"message": f"Maximum number of application commands reached ({limit})", "code": 30032}
    return None


def validate_commands(commands: Sequence[Json]) -> Json | None:
    """Application-command registration rules, per Discord's docs: names and descriptions (chat
    input and context menu), options, choices, ranges and lengths, and the 8,000-character total.
    (How many commands a scope holds is ``too_many_commands``'s.)"""
    errors: dict[str, Problem] = {}
    seen: set[tuple[str, int]] = set()
    for i, cmd in enumerate(commands):
        ctype = cmd.get("type", 1)
        name = cmd.get("name", "")
        key = (name, ctype)
        errors.update(_command_errors(cmd, str(i)))
        if key in seen:
            errors[f"{i}.name"] = ("APPLICATION_COMMANDS_DUPLICATE_NAME", "Application command names must be unique")
        seen.add(key)
    return form_error(errors) if errors else None


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _choice_errors(opt: Json, here: str) -> dict[str, Problem]:
    errors: dict[str, Problem] = {}
    otype = opt.get("type")
    choices = opt.get("choices") or []
    if len(choices) > 25:
        errors[f"{here}.choices"] = at_most(25)
    if choices and otype not in _CHOICE_TYPES:
        errors[f"{here}.choices"] = ("APPLICATION_COMMAND_OPTION_CHOICES_NOT_ALLOWED", "Choices are not allowed")
    if choices and opt.get("autocomplete"):
        errors[f"{here}.autocomplete"] = (
            "APPLICATION_COMMAND_AUTOCOMPLETE_WITH_CHOICES",
            "Autocomplete cannot be enabled on an option that has choices",
        )
    for k, choice in enumerate(choices):
        at = f"{here}.choices.{k}"
        if not 1 <= len(str(choice.get("name") or "")) <= 100:
            errors[f"{at}.name"] = between(1, 100)
        errors.update(_localized_errors(choice, "name", at, lambda t: None if 1 <= len(t) <= 100 else between(1, 100)))
        value = choice.get("value")
        if otype == 3 and not (isinstance(value, str) and 1 <= len(value) <= 100):
            errors[f"{at}.value"] = between(1, 100) if isinstance(value, str) else "Must be a string."
        elif otype == 4 and not (isinstance(value, int) and not isinstance(value, bool)):
            errors[f"{at}.value"] = ("NUMBER_TYPE_COERCE", "Value is not int.")
        elif otype == 10 and not _number(value):
            errors[f"{at}.value"] = ("NUMBER_TYPE_COERCE", "Value is not a number.")
    return errors


def _range_errors(opt: Json, here: str) -> dict[str, Problem]:
    errors: dict[str, Problem] = {}
    otype = opt.get("type")
    low, high = opt.get("min_value"), opt.get("max_value")
    if (low is not None or high is not None) and otype not in (4, 10):
        errors[f"{here}.min_value"] = ("APPLICATION_COMMAND_OPTION_RANGE_NOT_ALLOWED", "Only numbers have a range")
    elif _number(low) and _number(high) and low > high:
        errors[f"{here}.min_value"] = (
            "APPLICATION_COMMAND_OPTION_MIN_GREATER_THAN_MAX",
            "min_value must be less than or equal to max_value",
        )
    short, long = opt.get("min_length"), opt.get("max_length")
    if (short is not None or long is not None) and otype != 3:
        errors[f"{here}.min_length"] = ("APPLICATION_COMMAND_OPTION_LENGTH_NOT_ALLOWED", "Only strings have a length")
        return errors
    if short is not None and not int_in(short, 0, 6000):
        errors[f"{here}.min_length"] = ("NUMBER_TYPE_MAX", "int value should be between 0 and 6000.")
    if long is not None and not int_in(long, 1, 6000):
        errors[f"{here}.max_length"] = ("NUMBER_TYPE_MAX", "int value should be between 1 and 6000.")
    if int_in(short, 0, 6000) and int_in(long, 1, 6000) and short > long:
        errors[f"{here}.min_length"] = (
            "APPLICATION_COMMAND_OPTION_MIN_GREATER_THAN_MAX",
            "min_length must be less than or equal to max_length",
        )
    return errors


def _option_errors(options: Sequence[Json], path: str, parent: int = 0) -> dict[str, Problem]:
    """``parent``: 0 for a command's own options, else the type of the subcommand (group) holding them."""
    errors: dict[str, Problem] = {}
    if len(options) > 25:
        errors[path] = at_most(25)
    kinds = {opt.get("type") in (1, 2) for opt in options}
    if len(kinds) > 1:
        errors[path] = (
            "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
            "Subcommands and subcommand groups cannot be mixed with other options",
        )
    names: set[str] = set()
    optional_seen = False
    for j, opt in enumerate(options):
        here = f"{path}.{j}"
        name = str(opt.get("name", ""))
        otype = opt.get("type")
        if problem := _slash_name_problem(name):
            errors[f"{here}.name"] = problem
        elif name in names:
            errors[f"{here}.name"] = (
                "APPLICATION_COMMAND_OPTIONS_DUPLICATE_NAME",
                "Option names must be unique within their array",
            )
        names.add(name)
        errors.update(_localized_errors(opt, "name", here, _slash_name_problem))
        if problem := _description_problem(str(opt.get("description", ""))):
            errors[f"{here}.description"] = problem
        errors.update(_localized_errors(opt, "description", here, _description_problem))
        if not int_in(otype, 1, 11):
            errors[f"{here}.type"] = ("BASE_TYPE_CHOICES", "Value must be one of (1, 2, ..., 11).")
        elif (parent == 1 and otype in (1, 2)) or (parent == 2 and otype != 1):
            errors[f"{here}.type"] = (
                "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
                "A subcommand group holds only subcommands, and a subcommand no subcommands",
            )
        if opt.get("autocomplete") and otype not in _CHOICE_TYPES:
            errors[f"{here}.autocomplete"] = (
                "APPLICATION_COMMAND_AUTOCOMPLETE_NOT_ALLOWED",
                "Autocomplete is only for string, integer and number options",
            )
        errors.update(_choice_errors(opt, here))
        errors.update(_range_errors(opt, here))
        if otype in (1, 2):
            errors.update(_option_errors(opt.get("options") or [], f"{here}.options", otype))
            continue
        if opt.get("required"):
            if optional_seen:
                errors[f"{here}.required"] = (
                    "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                    "Required options must be placed before non-required options",
                )
        else:
            optional_seen = True
    return errors
