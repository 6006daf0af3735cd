"""Interactive pieces: pages turned with buttons, an article switcher, a confirmation, a button
posting a private brief to the channel.

Each view belongs to the person who ran the command: anyone else pressing its buttons gets a
private note and nothing changes. When a view times out its components are disabled, so no one
presses a button that no longer answers.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import discord

from bot.discord_app import errors
from bot.discord_app.embeds import NO_MENTIONS, choice_name

log = logging.getLogger(__name__)

VIEW_TIMEOUT = 300.0
NOT_YOURS = "Only the person who ran this command can use these controls."


class OwnedView(discord.ui.View):
    def __init__(self, owner_id: int, *, timeout: float = VIEW_TIMEOUT) -> None:
        super().__init__(timeout=timeout)
        self.owner_id = owner_id
        self.message: discord.InteractionMessage | discord.WebhookMessage | None = None

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id != self.owner_id:
            await interaction.response.send_message(NOT_YOURS, ephemeral=True, allowed_mentions=NO_MENTIONS)
            return False
        return True

    async def on_timeout(self) -> None:
        for item in self.children:
            if isinstance(item, discord.ui.Button | discord.ui.Select):
                item.disabled = True
        if self.message is not None:
            try:
                await self.message.edit(view=self)
            except discord.HTTPException:
                log.debug("could not disable an expired view", exc_info=True)

    async def on_error(self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item) -> None:
        # Component errors are answered by the same handler as commands.
        await errors.report(interaction, error)


PageRenderer = Callable[[int], Awaitable[discord.Embed]]


class Paginator(OwnedView):
    """Previous / Next buttons over ``pages`` pages rendered on demand."""

    def __init__(self, owner_id: int, pages: int, render: PageRenderer) -> None:
        super().__init__(owner_id)
        self.pages = max(1, pages)
        self.page = 0
        self.render = render
        self._sync_buttons()

    def _sync_buttons(self) -> None:
        self.previous.disabled = self.page <= 0
        self.next.disabled = self.page >= self.pages - 1

    async def first_embed(self) -> discord.Embed:
        return await self.render(0)

    @discord.ui.button(label="Previous", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction, button: discord.ui.Button[Paginator]) -> None:
        await self._turn(interaction, -1)

    @discord.ui.button(label="Next", style=discord.ButtonStyle.secondary)
    async def next(self, interaction: discord.Interaction, button: discord.ui.Button[Paginator]) -> None:
        await self._turn(interaction, +1)

    async def _turn(self, interaction: discord.Interaction, step: int) -> None:
        self.page = min(self.pages - 1, max(0, self.page + step))
        self._sync_buttons()
        embed = await self.render(self.page)
        await interaction.response.edit_message(embed=embed, view=self, allowed_mentions=NO_MENTIONS)


class ArticleSwitcher(OwnedView):
    """A select menu of articles; choosing one re-renders the message for that article."""

    def __init__(
        self,
        owner_id: int,
        options: list[tuple[str, str]],  # (article id, title)
        current: str,
        render: Callable[[str], Awaitable[discord.Embed]],
    ) -> None:
        super().__init__(owner_id)
        self.render = render
        select: discord.ui.Select[ArticleSwitcher] = discord.ui.Select(
            placeholder="Switch to another article",
            options=[
                discord.SelectOption(label=choice_name(title), value=ident, default=ident == current)
                for ident, title in options[:25]
            ],
        )
        select.callback = self._chosen  # type: ignore[method-assign]
        self.select = select
        self.add_item(select)

    async def _chosen(self, interaction: discord.Interaction) -> None:
        chosen = self.select.values[0]
        for option in self.select.options:
            option.default = option.value == chosen
        embed = await self.render(chosen)
        await interaction.response.edit_message(embed=embed, view=self, allowed_mentions=NO_MENTIONS)


class Confirm(OwnedView):
    """Confirm / Cancel; ``on_confirm`` returns the message shown afterwards."""

    def __init__(self, owner_id: int, on_confirm: Callable[[], Awaitable[str]]) -> None:
        super().__init__(owner_id, timeout=120.0)
        self.on_confirm = on_confirm

    @discord.ui.button(label="Delete my records", style=discord.ButtonStyle.danger)
    async def confirm(self, interaction: discord.Interaction, button: discord.ui.Button[Confirm]) -> None:
        message = await self.on_confirm()
        self.stop()
        await interaction.response.edit_message(content=message, view=None, allowed_mentions=NO_MENTIONS)

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(self, interaction: discord.Interaction, button: discord.ui.Button[Confirm]) -> None:
        self.stop()
        await interaction.response.edit_message(content="Nothing was deleted.", view=None, allowed_mentions=NO_MENTIONS)


class PostToChannel(OwnedView):
    """A private brief's "Post to channel" button: posts the brief for everyone, once, then is
    disabled. ``refusal`` says (without I/O) why it cannot be posted, answered privately with the
    button left as it is, or None; ``post`` posts it and returns None, or why it failed (the button
    is then enabled again, and the presser told privately)."""

    def __init__(
        self,
        owner_id: int,
        refusal: Callable[[discord.Interaction], str | None],
        post: Callable[[discord.Interaction], Awaitable[str | None]],
    ) -> None:
        super().__init__(owner_id)
        self.refusal = refusal
        self.post = post
        self.posted = False

    @discord.ui.button(label="Post to channel", style=discord.ButtonStyle.primary)
    async def post_button(self, interaction: discord.Interaction, button: discord.ui.Button[PostToChannel]) -> None:
        reason = self.refusal(interaction)
        if reason is None and self.posted:
            reason = "It is posted already."
        if reason is not None:
            await interaction.response.send_message(reason, ephemeral=True, allowed_mentions=NO_MENTIONS)
            return
        self.posted = True  # before any await: a second press meanwhile posts nothing
        button.disabled = True
        button.label = "Posted to the channel"
        await interaction.response.edit_message(view=self)  # acknowledged at once, then posted
        failure = await self.post(interaction)
        if failure is None:
            self.stop()
            return
        self.posted = False
        button.disabled = False
        button.label = "Post to channel"
        await interaction.edit_original_response(view=self)
        await interaction.followup.send(failure, ephemeral=True, allowed_mentions=NO_MENTIONS)
