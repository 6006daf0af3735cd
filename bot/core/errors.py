"""The one exception type whose message a user is shown (rendered by the bot's tree error handler)."""

from __future__ import annotations


class UserError(Exception):
    """Something the user can fix or should know; the message is polite and complete."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ArticleFileError(Exception):
    """A file that cannot become an article; the message is the reason, for the log."""
