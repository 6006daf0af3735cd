"""Discord's rules for message components: action rows, buttons, select menus, unique custom ids."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any  # noqa: F401

from .forms import BUTTON_URL_LIMIT, Json, Problem, at_most, between, int_in, url_problem

_SELECT_TYPES = frozenset({3, 5, 6, 7, 8})  # string, user, role, mentionable and channel selects


def _button_errors(comp: Json, here: str) -> dict[str, Problem]:
    """Discord's button rules: a link button (style 5) has a url and no custom_id; a premium button
    (style 6) a sku_id; every other style a custom_id and no url; labels of at most 80 characters."""
    errors: dict[str, Problem] = {}
    style = comp.get("style")
    if not int_in(style, 1, 6):
        errors[f"{here}.style"] = ("BASE_TYPE_CHOICES", "Value must be one of (1, 2, 3, 4, 5, 6).")
    if len(comp.get("label") or "") > 80:
        errors[f"{here}.label"] = at_most(80)
    if style == 5:
        if comp.get("custom_id") is not None:
            errors[f"{here}.custom_id"] = (
                "COMPONENT_LINK_BUTTON_HAS_CUSTOM_ID",
                "A link button cannot have a custom id",
            )
        if comp.get("url") is None:
            errors[f"{here}.url"] = ("BASE_TYPE_REQUIRED", "This field is required")
        elif problem := url_problem(comp["url"], ("http", "https", "discord"), BUTTON_URL_LIMIT):
            errors[f"{here}.url"] = problem
    elif style == 6:
        if not comp.get("sku_id"):
            errors[f"{here}.sku_id"] = ("BASE_TYPE_REQUIRED", "This field is required")
    else:
        if comp.get("url") is not None:
            errors[f"{here}.url"] = ("COMPONENT_BUTTON_HAS_URL", "Only link buttons can have a url")
        if comp.get("custom_id") is None:
            errors[f"{here}.custom_id"] = ("BASE_TYPE_REQUIRED", "This field is required")
    return errors


def _select_errors(comp: Json, here: str) -> dict[str, Problem]:
    """Discord's select menu rules: a custom_id; a placeholder of at most 150 characters;
    min_values 0-25, max_values 1-25 and min <= max; a string select (type 3) has 1-25 options
    with labels and values of 1-100 characters, distinct values, descriptions of at most 100,
    max_values no more than its options and no more defaults than max_values."""
    errors: dict[str, Problem] = {}
    if comp.get("custom_id") is None:
        errors[f"{here}.custom_id"] = ("BASE_TYPE_REQUIRED", "This field is required")
    placeholder = comp.get("placeholder")
    if placeholder is not None and len(str(placeholder)) > 150:
        errors[f"{here}.placeholder"] = at_most(150)
    low, high = comp.get("min_values", 1), comp.get("max_values", 1)
    if not int_in(low, 0, 25):
        errors[f"{here}.min_values"] = ("NUMBER_TYPE_MAX", "int value should be between 0 and 25.")
    if not int_in(high, 1, 25):
        errors[f"{here}.max_values"] = ("NUMBER_TYPE_MAX", "int value should be between 1 and 25.")
    elif int_in(low, 0, 25) and low > high:
        errors[f"{here}.min_values"] = (
            "SELECT_COMPONENT_MIN_VALUES_TOO_HIGH",
            "min_values must be less than or equal to max_values.",
        )
    if comp.get("type") == 3:
        options = comp.get("options") or []
        if not 1 <= len(options) <= 25:
            errors[f"{here}.options"] = between(1, 25)
        elif int_in(high, 1, 25) and high > len(options):
            errors[f"{here}.max_values"] = (
                "SELECT_COMPONENT_MAX_VALUES_TOO_HIGH",
                f"max_values must be less than or equal to the number of options ({len(options)}).",
            )
        values: set[str] = set()
        for k, option in enumerate(options):
            at = f"{here}.options.{k}"
            for key in ("label", "value"):
                if not 1 <= len(str(option.get(key) or "")) <= 100:
                    errors[f"{at}.{key}"] = between(1, 100)
            if len(str(option.get("description") or "")) > 100:
                errors[f"{at}.description"] = at_most(100)
            if option.get("value") in values:
                errors[f"{at}.value"] = ("SELECT_COMPONENT_OPTION_VALUE_DUPLICATED", "Option values must be unique")
            values.add(option.get("value"))
        defaults = sum(1 for o in options if o.get("default"))
        if int_in(high, 1, 25) and defaults > high:
            errors[f"{here}.options"] = (
                "SELECT_COMPONENT_TOO_MANY_DEFAULT_VALUES",
                f"The number of default options must be {high} (max_values) or fewer.",
            )
    else:
        defaults_given = comp.get("default_values") or []
        if int_in(high, 1, 25) and len(defaults_given) > high:
            errors[f"{here}.default_values"] = at_most(high)
    return errors


def component_errors(components: Sequence[Json]) -> dict[str, Problem]:
    errors: dict[str, Problem] = {}
    if len(components) > 5 and all(c.get("type", 1) == 1 for c in components):
        errors["components"] = "Must be 5 or fewer in length."
    seen: set[str] = set()

    def walk(items: Sequence[Json], path: str) -> None:
        for i, comp in enumerate(items):
            here = f"{path}.{i}"
            ctype = comp.get("type")
            custom_id = comp.get("custom_id")
            if custom_id is not None:
                if not 1 <= len(custom_id) <= 100:
                    errors[f"{here}.custom_id"] = "Must be between 1 and 100 in length."
                if custom_id in seen:
                    errors[f"{here}.custom_id"] = "Component custom id cannot be duplicated"
                seen.add(custom_id)
            if ctype == 2:
                errors.update(_button_errors(comp, here))
            elif ctype in _SELECT_TYPES:
                errors.update(_select_errors(comp, here))
            elif len(comp.get("label") or "") > 80:
                errors[f"{here}.label"] = "Must be 80 or fewer in length."
            children = comp.get("components")
            if ctype == 1 and children is not None:
                if not 1 <= len(children) <= 5:
                    errors[f"{here}.components"] = between(1, 5)
                elif any(c.get("type") in _SELECT_TYPES for c in children) and len(children) > 1:
                    errors[f"{here}.components"] = (
                        "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                        "An action row holding a select menu holds nothing else.",
                    )
            if children:
                walk(children, f"{here}.components")

    walk(components, "components")
    return errors
