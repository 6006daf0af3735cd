"""INTERACTION_CREATE payloads: options typed from the synced command (or guessed), guild and DM shapes."""

from __future__ import annotations

from bot.localdiscord.interactions import (
    ALLOWED_RESPONSES,
    InteractionType,
    OptionType,
    build_options,
    guess_option_type,
    interaction_payload,
)
from bot.localdiscord.payloads import make_dm_channel, make_member, make_text_channel, make_user


def test_option_types_are_guessed_from_python_values():
    assert guess_option_type(True) == OptionType.BOOLEAN
    assert guess_option_type(3) == OptionType.INTEGER
    assert guess_option_type(0.5) == OptionType.NUMBER
    assert guess_option_type("x") == OptionType.STRING


def test_options_take_the_declared_types_and_entities_are_sent_as_strings():
    declared = [{"name": "member", "type": OptionType.USER}, {"name": "count", "type": OptionType.NUMBER}]
    options = build_options({"member": 42, "count": 2, "flag": True}, declared)
    assert options == [
        {"name": "member", "type": 6, "value": "42"},
        {"name": "count", "type": 10, "value": 2},
        {"name": "flag", "type": 5, "value": True},
    ]


def test_the_focused_option_is_the_raw_typed_text():
    (opt,) = build_options({"count": 12}, [], focused="count")
    assert opt == {"name": "count", "type": 4, "value": "12", "focused": True}


def test_raw_options_pass_through_and_none_is_no_options():
    raw = [{"name": "add", "type": 1, "options": []}]
    assert build_options(raw) == raw and build_options(raw)[0] is not raw[0]
    assert build_options(None) == []


def test_a_guild_interaction_has_the_member_with_permissions():
    user = make_user(username="alice")
    channel = make_text_channel(guild_id=7)
    guild = {"id": "7", "features": []}
    payload = interaction_payload(
        type=InteractionType.APPLICATION_COMMAND,
        application_id=99,
        data={"name": "ping"},
        channel=channel,
        user=user,
        guild=guild,
        member=make_member(user),
        permissions=1024,
        app_permissions=2048,
    )
    assert payload["guild_id"] == "7" and payload["member"]["permissions"] == "1024"
    assert payload["app_permissions"] == "2048" and payload["context"] == 0 and "user" not in payload
    assert payload["data"] == {"name": "ping"} and payload["token"] and payload["application_id"] == "99"


def test_a_dm_interaction_has_the_user_and_no_guild():
    user = make_user(username="alice")
    payload = interaction_payload(
        type=InteractionType.APPLICATION_COMMAND,
        application_id=99,
        data=None,
        channel=make_dm_channel(5, user),
        user=user,
    )
    assert payload["user"] == user and payload["context"] == 1 and "guild_id" not in payload and "data" not in payload


def test_which_callbacks_each_interaction_allows():
    assert ALLOWED_RESPONSES[InteractionType.AUTOCOMPLETE] == {8}
    assert 7 not in ALLOWED_RESPONSES[InteractionType.APPLICATION_COMMAND]
    assert 7 in ALLOWED_RESPONSES[InteractionType.MESSAGE_COMPONENT]
