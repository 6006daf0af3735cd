"""The interactive views on their own: who may press, what a press changes, what expiry does.
Through the fake Discord, pressed by a user: tests/cogs/test_library.py and tests/cogs/test_records.py
(pages, the confirmation) and tests/cogs/test_summary_and_switcher.py (the article switcher)."""

from __future__ import annotations

from types import SimpleNamespace

import discord
import pytest

from bot.discord_app import errors, views
from bot.discord_app.views import NOT_YOURS, ArticleSwitcher, Confirm, OwnedView, Paginator, PostToChannel

OWNER = 1


class Response:
    def __init__(self) -> None:
        self.sent: list[tuple[tuple, dict]] = []
        self.edits: list[dict] = []

    async def send_message(self, *args, **kwargs) -> None:
        self.sent.append((args, kwargs))

    async def edit_message(self, **kwargs) -> None:
        self.edits.append(kwargs)


def pressed_by(user_id: int) -> SimpleNamespace:
    return SimpleNamespace(user=SimpleNamespace(id=user_id), response=Response())


async def render(page: int) -> discord.Embed:
    return discord.Embed(title=f"page {page + 1}")


async def test_only_the_owner_may_press_and_others_are_told_privately():
    view = OwnedView(OWNER)
    assert await view.interaction_check(pressed_by(OWNER)) is True  # type: ignore[arg-type]
    stranger = pressed_by(2)
    assert await view.interaction_check(stranger) is False  # type: ignore[arg-type]
    [(args, kwargs)] = stranger.response.sent
    assert args == (NOT_YOURS,) and kwargs["ephemeral"] is True


async def test_the_paginator_turns_pages_within_bounds():
    view = Paginator(OWNER, 3, render)
    assert (await view.first_embed()).title == "page 1"
    assert view.previous.disabled and not view.next.disabled
    press = pressed_by(OWNER)
    await view._turn(press, +1)  # type: ignore[arg-type]
    await view._turn(press, +1)  # type: ignore[arg-type]
    await view._turn(press, +1)  # type: ignore[arg-type]  # past the last page: stays there
    assert [e["embed"].title for e in press.response.edits] == ["page 2", "page 3", "page 3"]
    assert view.page == 2 and view.next.disabled and not view.previous.disabled
    await view._turn(press, -5)  # type: ignore[arg-type]
    assert view.page == 0 and view.previous.disabled


@pytest.mark.parametrize("pages", [0, 1])
async def test_a_single_page_has_both_buttons_disabled(pages):
    view = Paginator(OWNER, pages, render)
    assert view.pages == 1 and view.previous.disabled and view.next.disabled


async def test_expiry_disables_every_control_and_edits_the_message():
    edited = []

    class Message:
        async def edit(self, **kwargs):
            edited.append(kwargs)

    view = Paginator(OWNER, 3, render)
    view.message = Message()  # type: ignore[assignment]
    await view.on_timeout()
    assert all(item.disabled for item in view.children)  # type: ignore[attr-defined]
    assert edited == [{"view": view}]


async def test_expiry_when_discord_refuses_the_edit_is_quiet():
    class Message:
        async def edit(self, **kwargs):
            raise discord.HTTPException(SimpleNamespace(status=404, reason="Not Found"), {"code": 10008})

    view = Paginator(OWNER, 3, render)
    view.message = Message()  # type: ignore[assignment]
    await view.on_timeout()  # no exception


async def test_confirm_runs_the_action_and_shows_its_result():
    done = []

    async def on_confirm() -> str:
        done.append(True)
        return "Done: deleted 2 records of you."

    view = Confirm(OWNER, on_confirm)
    press = pressed_by(OWNER)
    await view.confirm.callback(press)  # type: ignore[arg-type]
    assert done == [True] and view.is_finished()
    assert press.response.edits == [
        {"content": "Done: deleted 2 records of you.", "view": None, "allowed_mentions": views.NO_MENTIONS}
    ]


async def test_cancel_deletes_nothing():
    async def on_confirm() -> str:
        raise AssertionError("not confirmed")

    view = Confirm(OWNER, on_confirm)
    press = pressed_by(OWNER)
    await view.cancel.callback(press)  # type: ignore[arg-type]
    assert view.is_finished() and press.response.edits[0]["content"] == "Nothing was deleted."


async def test_the_switcher_offers_at_most_25_articles_and_marks_the_choice():
    async def render_article(article_id: str) -> discord.Embed:
        return discord.Embed(title=article_id)

    options = [(f"a{i}", "T" * 300 if i == 0 else f"Title {i}") for i in range(30)]
    view = ArticleSwitcher(OWNER, options, "a3", render_article)
    assert len(view.select.options) == 25
    assert [o.value for o in view.select.options if o.default] == ["a3"]
    assert len(view.select.options[0].label) <= 100
    view.select._values = ["a7"]  # what discord.py sets from the interaction's data
    press = pressed_by(OWNER)
    await view._chosen(press)  # type: ignore[arg-type]
    assert press.response.edits[0]["embed"].title == "a7"
    assert [o.value for o in view.select.options if o.default] == ["a7"]


async def test_a_controls_error_is_answered_by_the_one_error_handler(monkeypatch):
    reported = []

    async def report(interaction, error):
        reported.append((interaction, error))

    monkeypatch.setattr(errors, "report", report)
    view = Paginator(OWNER, 2, render)
    press, error = pressed_by(OWNER), RuntimeError("render failed")
    await view.on_error(press, error, view.next)  # type: ignore[arg-type]
    assert reported == [(press, error)]


class Pressed(SimpleNamespace):
    """A press of the Post to channel button: the initial response, then edits and followups."""

    def __init__(self, user_id: int) -> None:
        super().__init__(user=SimpleNamespace(id=user_id), response=Response(), edits=[], followups=[])

    async def edit_original_response(self, **kwargs) -> None:
        self.edits.append(kwargs)

    @property
    def followup(self) -> SimpleNamespace:
        async def send(*args, **kwargs) -> None:
            self.followups.append((args, kwargs))

        return SimpleNamespace(send=send)


async def test_post_to_channel_posts_once_then_is_disabled():
    posts = []

    async def post(pressed) -> str | None:
        posts.append(pressed.user.id)
        return None

    view = PostToChannel(OWNER, lambda pressed: None, post)
    press = Pressed(OWNER)
    await view.post_button.callback(press)  # type: ignore[arg-type]
    assert posts == [OWNER] and view.post_button.disabled and view.is_finished()
    assert press.response.edits == [{"view": view}]
    again = Pressed(OWNER)
    await view.post_button.callback(again)  # type: ignore[arg-type]  # a second press that raced the edit
    assert posts == [OWNER]
    [(args, kwargs)] = again.response.sent
    assert args == ("It is posted already.",) and kwargs["ephemeral"] is True


async def test_post_to_channel_refused_or_failed_says_why_privately_and_stays_usable():
    async def post(pressed) -> str | None:
        return "Discord did not take the post."

    refused = PostToChannel(OWNER, lambda pressed: "I can't post here.", post)
    press = Pressed(OWNER)
    await refused.post_button.callback(press)  # type: ignore[arg-type]
    [(args, kwargs)] = press.response.sent
    assert args == ("I can't post here.",) and kwargs["ephemeral"] is True
    assert not refused.post_button.disabled and not press.response.edits

    failing = PostToChannel(OWNER, lambda pressed: None, post)
    press = Pressed(OWNER)
    await failing.post_button.callback(press)  # type: ignore[arg-type]
    assert not failing.post_button.disabled and not failing.posted and not failing.is_finished()
    assert press.edits == [{"view": failing}]  # enabled again
    [(args, kwargs)] = press.followups
    assert args == ("Discord did not take the post.",) and kwargs["ephemeral"] is True


async def test_post_to_channel_expiry_disables_the_button():
    edited = []

    class Message:
        async def edit(self, **kwargs):
            edited.append(kwargs)

    async def post(pressed) -> str | None:
        raise AssertionError("not pressed")

    view = PostToChannel(OWNER, lambda pressed: None, post)
    view.message = Message()  # type: ignore[assignment]
    await view.on_timeout()
    assert view.post_button.disabled and edited == [{"view": view}]
