"""bot/core/errors.py: the one user-facing error type, and the reason a file is refused."""

from __future__ import annotations

import pytest

from bot.core.errors import ArticleFileError, UserError


def test_user_error_keeps_its_message():
    error = UserError("I couldn't find that article. Try /articles.")
    assert error.message == "I couldn't find that article. Try /articles."
    assert str(error) == error.message
    assert error.args == (error.message,)
    assert isinstance(error, Exception)


def test_user_error_is_raised_and_caught_with_its_message():
    with pytest.raises(UserError) as caught:
        raise UserError("That feed is already subscribed.")
    assert caught.value.message == "That feed is already subscribed."


def test_article_file_error_is_an_exception_whose_str_is_the_reason():
    error = ArticleFileError("not UTF-8 text")
    assert isinstance(error, Exception) and not isinstance(error, UserError)
    assert str(error) == "not UTF-8 text"
    with pytest.raises(ArticleFileError, match=r"^empty file$"):
        raise ArticleFileError("empty file")


def test_the_two_errors_are_distinct():
    assert not issubclass(UserError, ArticleFileError)
    assert not issubclass(ArticleFileError, UserError)
