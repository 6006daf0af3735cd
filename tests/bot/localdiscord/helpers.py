"""What the fake's own tests share: small discord.py bots (commands, a view, answers Discord refuses)
and a reader of Discord's "Invalid Form Body" errors."""

from __future__ import annotations

import asyncio

import discord
from discord import app_commands
from discord.ext import commands

TOPICS = ["python", "pytest", "asyncio", "discord", "rust"]


class Confirm(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=30)

    @discord.ui.button(label="Confirm", style=discord.ButtonStyle.green, custom_id="confirm")
    async def confirm(self, interaction: discord.Interaction, button: discord.ui.Button[Confirm]) -> None:
        await interaction.response.edit_message(content=f"confirmed by {interaction.user.name}", view=None)


class DemoCog(commands.Cog):
    @app_commands.command(name="ping", description="Check the bot is alive")
    async def ping(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("pong", allowed_mentions=discord.AllowedMentions.none())

    @app_commands.command(name="topic", description="Pick a topic")
    @app_commands.describe(query="Topic name")
    async def topic(self, interaction: discord.Interaction, query: str) -> None:
        await interaction.response.defer(thinking=True)
        await interaction.followup.send(f"topic: {query}")

    @topic.autocomplete("query")
    async def topic_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=t, value=t) for t in TOPICS if current.lower() in t]

    @app_commands.command(name="whois", description="Describe a member")
    async def whois(self, interaction: discord.Interaction, member: discord.Member, times: int = 1) -> None:
        where = getattr(interaction.channel, "name", None) or "dm"
        await interaction.response.send_message(f"{member.display_name} x{times} in {where}", ephemeral=True)

    @app_commands.command(name="hello", description="Say hello")
    async def hello(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"hello {interaction.user.name} ({type(interaction.channel).__name__})")

    @app_commands.command(name="confirm", description="Ask for confirmation")
    async def confirm(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("are you sure?", view=Confirm())


class DemoBot(commands.Bot):
    def __init__(self, guild_id: int | None = None, *, sync_global: bool = False) -> None:
        """``guild_id``: sync the commands to that guild; ``sync_global``: sync them globally too. The
        fake sends interactions only for commands a bot registered (as Discord does)."""
        super().__init__(
            command_prefix=commands.when_mentioned, intents=discord.Intents.default(), guild_ready_timeout=0.05
        )
        self.sync_guild_id = guild_id
        self.sync_global = sync_global
        self.guild_creates = 0

    async def setup_hook(self) -> None:
        await self.add_cog(DemoCog())
        if self.sync_guild_id is not None:
            guild = discord.Object(self.sync_guild_id)
            self.tree.copy_global_to(guild=guild)
            await self.tree.sync(guild=guild)
        if self.sync_global:
            await self.tree.sync()

    async def on_guild_available(self, guild: discord.Guild) -> None:
        self.guild_creates += 1


class StrictCog(commands.Cog):
    """Commands whose answers Discord refuses, and one that waits before answering."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.errors: list[BaseException] = []

    @app_commands.command(name="badlink", description="An embed with a malformed URL")
    async def badlink(self, interaction: discord.Interaction) -> None:
        try:
            await interaction.response.send_message(embed=discord.Embed(title="Article", url="https://[::1"))
        except discord.HTTPException as exc:
            self.errors.append(exc)

    @app_commands.command(name="slow", description="Waits, then answers")
    async def slow(self, interaction: discord.Interaction) -> None:
        await self.release.wait()
        try:
            await interaction.response.send_message("late")
        except discord.HTTPException as exc:
            self.errors.append(exc)

    @app_commands.command(name="deferred", description="Defers, then waits, then answers")
    async def deferred(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer()
        await self.release.wait()
        try:
            await interaction.followup.send("late")
        except discord.HTTPException as exc:
            self.errors.append(exc)


class StrictBot(DemoBot):
    def __init__(self, guild_id: int) -> None:
        super().__init__(guild_id)
        self.strict = StrictCog()

    async def setup_hook(self) -> None:
        await self.add_cog(self.strict)
        await super().setup_hook()


def form_errors(body: dict | None) -> dict[str, str]:
    """A 50035 body's error tree flattened to ``{"embeds.0.url": "URL_TYPE_INVALID_URL", ...}``."""
    assert body is not None and body["code"] == 50035 and body["message"] == "Invalid Form Body"
    flat: dict[str, str] = {}

    def walk(node: dict, path: str) -> None:
        for key, child in node.items():
            if key == "_errors":
                flat[path] = child[0]["code"]
            else:
                walk(child, f"{path}.{key}" if path else key)

    walk(body["errors"], "")
    return flat


class Rest:
    """Raw REST calls to a fake, as a bot would make them (no discord.py in between)."""

    def __init__(self, fake, session, token: str | None = None) -> None:
        self.fake, self.session = fake, session
        self.token = fake.token if token is None else token

    async def call(self, method: str, path: str, json=None, *, data=None, auth: bool = True):
        """``(status, parsed body or None, headers)``."""
        headers = {"Authorization": f"Bot {self.token}"} if auth else {}
        async with self.session.request(method, self.fake.api_url + path, json=json, data=data, headers=headers) as r:
            body = await r.json() if r.content_type == "application/json" else None
            return r.status, body, r.headers
