"""Discord's rules for components: select menus and buttons."""

from __future__ import annotations

import pytest

from bot.localdiscord.check_message import validate_message
from tests.bot.localdiscord.helpers import form_errors


def select(**fields) -> dict:
    options = [{"label": f"Option {i}", "value": f"v{i}"} for i in range(3)]
    return {"components": [{"type": 1, "components": [{"type": 3, "custom_id": "pick", "options": options, **fields}]}]}


def option(i: int, **fields) -> dict:
    return {"label": f"Option {i}", "value": f"v{i}", **fields}


SELECT_PATH = "components.0.components.0"


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"options": []}, {"options": "BASE_TYPE_BAD_LENGTH"}),
        ({"options": [option(i) for i in range(26)]}, {"options": "BASE_TYPE_BAD_LENGTH"}),
        ({"options": [option(0, label="")]}, {"options.0.label": "BASE_TYPE_BAD_LENGTH"}),
        ({"options": [option(0, label="x" * 101)]}, {"options.0.label": "BASE_TYPE_BAD_LENGTH"}),
        ({"options": [option(0, value="")]}, {"options.0.value": "BASE_TYPE_BAD_LENGTH"}),
        ({"options": [option(0, value="x" * 101)]}, {"options.0.value": "BASE_TYPE_BAD_LENGTH"}),
        ({"options": [option(0, description="x" * 101)]}, {"options.0.description": "BASE_TYPE_MAX_LENGTH"}),
        (
            {"options": [option(0), option(1, value="v0")]},
            {"options.1.value": "SELECT_COMPONENT_OPTION_VALUE_DUPLICATED"},
        ),
        ({"placeholder": "x" * 151}, {"placeholder": "BASE_TYPE_MAX_LENGTH"}),
        ({"min_values": -1}, {"min_values": "NUMBER_TYPE_MAX"}),
        ({"min_values": 26, "max_values": 3}, {"min_values": "NUMBER_TYPE_MAX"}),
        ({"max_values": 0}, {"max_values": "NUMBER_TYPE_MAX"}),
        ({"max_values": 26}, {"max_values": "NUMBER_TYPE_MAX"}),
        ({"min_values": 3, "max_values": 2}, {"min_values": "SELECT_COMPONENT_MIN_VALUES_TOO_HIGH"}),
        ({"max_values": 4}, {"max_values": "SELECT_COMPONENT_MAX_VALUES_TOO_HIGH"}),
        (
            {"options": [option(0, default=True), option(1, default=True)]},
            {"options": "SELECT_COMPONENT_TOO_MANY_DEFAULT_VALUES"},
        ),
        ({"custom_id": "x" * 101}, {"custom_id": "BASE_TYPE_INVALID"}),
        ({"custom_id": None}, {"custom_id": "BASE_TYPE_REQUIRED"}),
    ],
)
def test_select_menu_rules(fields: dict, errors: dict[str, str]) -> None:
    expected = {f"{SELECT_PATH}.{k}": v for k, v in errors.items()}
    assert form_errors(validate_message(select(**fields))) == expected


def test_select_menus_within_the_rules_are_accepted() -> None:
    assert validate_message(select()) is None
    assert validate_message(select(placeholder="x" * 150, min_values=0, max_values=3)) is None
    full = [option(i, label="l" * 100, value=f"{i:02d}" + "v" * 98, description="d" * 100) for i in range(25)]
    assert validate_message(select(options=full, min_values=25, max_values=25)) is None
    assert validate_message(select(options=[option(0, default=True), option(1, default=True)], max_values=2)) is None
    user_select = {"type": 5, "custom_id": "who", "max_values": 2, "default_values": [{"id": "1", "type": "user"}]}
    assert validate_message({"components": [{"type": 1, "components": [user_select]}]}) is None
    three = {**user_select, "default_values": [{"id": str(i), "type": "user"} for i in range(3)]}
    assert form_errors(validate_message({"components": [{"type": 1, "components": [three]}]})) == {
        f"{SELECT_PATH}.default_values": "BASE_TYPE_MAX_LENGTH"
    }


def row(*components: dict) -> dict:
    return {"components": [{"type": 1, "components": list(components)}]}


def test_button_rules() -> None:
    assert validate_message(row({"type": 2, "style": 1, "label": "x" * 80, "custom_id": "a"})) is None
    assert validate_message(row({"type": 2, "style": 5, "label": "Read", "url": "https://example.com/a"})) is None
    refused = {
        "label": ({"type": 2, "style": 1, "label": "x" * 81, "custom_id": "a"}, "BASE_TYPE_MAX_LENGTH"),
        "url": ({"type": 2, "style": 5, "label": "Read", "url": "https://"}, "URL_TYPE_INVALID_URL"),
        "custom_id": ({"type": 2, "style": 2, "label": "No id"}, "BASE_TYPE_REQUIRED"),
        "style": ({"type": 2, "style": 9, "label": "?", "custom_id": "a"}, "BASE_TYPE_CHOICES"),
    }
    for key, (button, code) in refused.items():
        assert form_errors(validate_message(row(button))) == {f"{SELECT_PATH}.{key}": code}, key
    link_with_id = {"type": 2, "style": 5, "label": "Read", "url": "https://example.com", "custom_id": "a"}
    assert form_errors(validate_message(row(link_with_id))) == {
        f"{SELECT_PATH}.custom_id": "COMPONENT_LINK_BUTTON_HAS_CUSTOM_ID"
    }
    long_url = {"type": 2, "style": 5, "label": "Read", "url": "https://example.com/" + "a" * 493}
    assert form_errors(validate_message(row(long_url))) == {f"{SELECT_PATH}.url": "BASE_TYPE_MAX_LENGTH"}
    assert validate_message(row({**long_url, "url": long_url["url"][:-1]})) is None
    with_url = {"type": 2, "style": 1, "label": "x", "custom_id": "b", "url": "https://example.com"}
    assert form_errors(validate_message(row(with_url))) == {f"{SELECT_PATH}.url": "COMPONENT_BUTTON_HAS_URL"}
    # A row holds up to five buttons, or one select menu and nothing else.
    button = {"type": 2, "style": 1, "label": "x", "custom_id": "c"}
    mixed = row(select()["components"][0]["components"][0], button)
    assert form_errors(validate_message(mixed)) == {"components.0.components": "COMPONENT_LAYOUT_WIDTH_EXCEEDED"}
    assert form_errors(validate_message(row())) == {"components.0.components": "BASE_TYPE_BAD_LENGTH"}
