"""Discord's rules for application commands: options, choices, names and the 8,000-character size."""

from __future__ import annotations

import pytest

from bot.localdiscord.check_commands import command_size, too_many_commands, validate_commands
from tests.bot.localdiscord.helpers import form_errors


def command(**fields) -> dict:
    return {"name": "brief", "description": "Brief an article", "type": 1, **fields}


def string_option(name: str = "article", **fields) -> dict:
    return {"name": name, "description": "Which article", "type": 3, **fields}


@pytest.mark.parametrize(
    ("cmd", "errors"),
    [
        (
            command(options=[string_option(choices=[{"name": "", "value": "a"}])]),
            {"0.options.0.choices.0.name": "BASE_TYPE_BAD_LENGTH"},
        ),
        (
            command(options=[string_option(choices=[{"name": "n" * 101, "value": "a"}])]),
            {"0.options.0.choices.0.name": "BASE_TYPE_BAD_LENGTH"},
        ),
        (
            command(options=[string_option(choices=[{"name": "n", "value": "v" * 101}])]),
            {"0.options.0.choices.0.value": "BASE_TYPE_BAD_LENGTH"},
        ),
        (
            command(options=[string_option(choices=[{"name": "n", "value": ""}])]),
            {"0.options.0.choices.0.value": "BASE_TYPE_BAD_LENGTH"},
        ),
        (
            command(options=[string_option(autocomplete=True, choices=[{"name": "n", "value": "v"}])]),
            {"0.options.0.autocomplete": "APPLICATION_COMMAND_AUTOCOMPLETE_WITH_CHOICES"},
        ),
        (
            command(options=[string_option(), string_option()]),
            {"0.options.1.name": "APPLICATION_COMMAND_OPTIONS_DUPLICATE_NAME"},
        ),
        (
            command(options=[{"name": "n", "description": "d", "type": 4, "min_value": 5, "max_value": 4}]),
            {"0.options.0.min_value": "APPLICATION_COMMAND_OPTION_MIN_GREATER_THAN_MAX"},
        ),
        (
            command(options=[string_option(min_length=10, max_length=5)]),
            {"0.options.0.min_length": "APPLICATION_COMMAND_OPTION_MIN_GREATER_THAN_MAX"},
        ),
        (command(options=[string_option(max_length=6001)]), {"0.options.0.max_length": "NUMBER_TYPE_MAX"}),
        (command(options=[string_option(max_length=0)]), {"0.options.0.max_length": "NUMBER_TYPE_MAX"}),
        (command(options=[string_option(min_length=-1)]), {"0.options.0.min_length": "NUMBER_TYPE_MAX"}),
        (
            command(options=[string_option(min_value=1)]),
            {"0.options.0.min_value": "APPLICATION_COMMAND_OPTION_RANGE_NOT_ALLOWED"},
        ),
        (
            command(options=[string_option("first"), string_option("second", required=True)]),
            {"0.options.1.required": "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID"},
        ),
        (
            command(options=[{"name": "n", "description": "d", "type": 4, "choices": [{"name": "a", "value": "1"}]}]),
            {"0.options.0.choices.0.value": "NUMBER_TYPE_COERCE"},
        ),
        (
            command(options=[{"name": "u", "description": "d", "type": 6, "autocomplete": True}]),
            {"0.options.0.autocomplete": "APPLICATION_COMMAND_AUTOCOMPLETE_NOT_ALLOWED"},
        ),
        (
            command(options=[{"name": "sub", "description": "d", "type": 1}, string_option()]),
            {"0.options": "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID"},
        ),
        (
            command(name_localizations={"fr": "Résumé"}),
            {"0.name_localizations.fr": "APPLICATION_COMMAND_INVALID_NAME"},
        ),
        (
            {"name": "Brief this", "type": 2, "description": "no"},
            {"0.description": "APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION"},
        ),
        ({"name": "x" * 33, "type": 3}, {"0.name": "BASE_TYPE_BAD_LENGTH"}),
        ({"name": "", "type": 3}, {"0.name": "BASE_TYPE_BAD_LENGTH"}),
        (
            {"name": "Brief", "type": 3, "options": [string_option()]},
            {"0.options": "APPLICATION_COMMAND_OPTIONS_NOT_ALLOWED"},
        ),
    ],
)
def test_command_registration_rules(cmd: dict, errors: dict[str, str]) -> None:
    assert form_errors(validate_commands([cmd])) == errors


def test_command_registrations_within_the_rules_are_accepted() -> None:
    choices = [{"name": f"Choice {i}", "value": f"c{i}"} for i in range(25)]
    good = [
        command(
            options=[
                string_option(required=True, min_length=0, max_length=6000),
                string_option("length", choices=choices),
                {"name": "count", "description": "How many", "type": 4, "min_value": 1, "max_value": 1},
                {"name": "ratio", "description": "Ratio", "type": 10, "choices": [{"name": "half", "value": 0.5}]},
                string_option("topic", autocomplete=True),
            ]
        ),
        {"name": "Brief this message", "type": 3},
        {"name": "Brief This User", "type": 2, "description": ""},
        command(name="feeds", options=[{"name": "add", "description": "Add", "type": 1, "options": [string_option()]}]),
    ]
    assert validate_commands(good) is None


def test_command_size_is_limited_to_8000_characters_in_all() -> None:
    def sized(description: int) -> dict:
        # "brief" (5) + description + 25 options of 2 + 100 + 53 choices of 2 + 100 characters
        choices = [{"name": f"{j:02d}", "value": f"{j:02d}" + "v" * 98} for j in range(53)]
        options = [
            {"name": chr(97 + i) * 2, "description": "d" * 100, "type": 3, "choices": choices[25 * i : 25 * i + 25]}
            for i in range(25)
        ]
        return command(description="x" * description, options=[{k: v for k, v in o.items() if v} for o in options])

    exact = sized(39)
    assert command_size(exact) == 8000 and validate_commands([exact]) is None
    over = sized(40)
    assert command_size(over) == 8001
    assert form_errors(validate_commands([over])) == {"0": "APPLICATION_COMMAND_TOO_LARGE"}
    # The longest localization of a field is what counts.
    localized = {**exact, "description_localizations": {"fr": "x" * 40}}
    assert command_size(localized) == 8001
    assert form_errors(validate_commands([localized])) == {"0": "APPLICATION_COMMAND_TOO_LARGE"}


def menu(name: str, ctype: int = 3) -> dict:
    return {"name": name, "type": ctype}


def test_a_scope_holds_at_most_5_message_commands_5_user_commands_and_100_slash_commands():
    five = [menu(f"Menu {i}") for i in range(5)] + [menu(f"User {i}", 2) for i in range(5)]
    slash = [command(name=f"c{i}") for i in range(100)]
    assert too_many_commands(five + slash) is None
    for extra in (menu("Menu 6"), menu("User 6", 2), command(name="c100")):
        problem = too_many_commands([*five, *slash, extra])
        assert problem is not None and problem["code"] == 30032, extra
    assert too_many_commands([menu(f"Menu {i}") for i in range(6)])["message"].endswith("(5)")
    assert validate_commands([menu("Brief this article")]) is None  # mixed case and spaces: allowed
