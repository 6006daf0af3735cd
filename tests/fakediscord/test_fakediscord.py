"""Demo/self-tests: the real discord.py stack (commands.Bot, app_commands, views) against FakeDiscord."""

from __future__ import annotations

import asyncio

import discord
import pytest
from discord import app_commands
from discord.ext import commands

from tests.fakediscord import FakeDiscord, ResponseType

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
    def __init__(self, guild_id: int | None = None) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned, intents=discord.Intents.default(), guild_ready_timeout=0.05
        )
        self.sync_guild_id = guild_id
        self.guild_creates = 0

    async def setup_hook(self) -> None:
        await self.add_cog(DemoCog())
        if self.sync_guild_id is not None:
            guild = discord.Object(self.sync_guild_id)
            self.tree.copy_global_to(guild=guild)
            await self.tree.sync(guild=guild)

    async def on_guild_available(self, guild: discord.Guild) -> None:
        self.guild_creates += 1


@pytest.mark.asyncio
async def test_bad_token_is_a_login_failure(fake_discord: FakeDiscord) -> None:
    bot = DemoBot()
    try:
        with pytest.raises(discord.LoginFailure):
            await bot.login("not-the-token")
    finally:
        await bot.close()
    (request,) = fake_discord.requests_to("GET", "/users/@me")
    assert request.status == 401 and request.token == "not-the-token"
    assert fake_discord.identify_count == 0


@pytest.mark.asyncio
async def test_slash_command_round_trip(fake_discord: FakeDiscord) -> None:
    bot = DemoBot(fake_discord.guild_id)
    async with fake_discord.run(bot):
        guild = bot.get_guild(fake_discord.guild_id)
        assert guild is not None and bot.guild_creates == 1
        assert guild.get_channel(fake_discord.channel_id) is not None
        assert guild.me.guild_permissions.send_messages
        synced = {c["name"] for c in fake_discord.registered_commands(fake_discord.guild_id)}
        assert synced == {"ping", "topic", "whois", "hello", "confirm"}

        inter = await fake_discord.send_command("ping")
        reply = await inter.response(timeout=2)

    assert reply.type == ResponseType.CHANNEL_MESSAGE
    assert reply.data is not None and reply.data["content"] == "pong"
    assert reply.data["allowed_mentions"] == {"parse": []}
    assert 0 < reply.latency < 2
    assert inter.payload["data"]["guild_id"] == str(fake_discord.guild_id)  # synced as a guild command
    assert [m["content"] for m in fake_discord.channel_messages(fake_discord.channel_id)] == ["pong"]
    assert not fake_discord.unknown_routes


@pytest.mark.asyncio
async def test_autocomplete_and_deferred_followup(fake_discord: FakeDiscord) -> None:
    async with fake_discord.run(DemoBot(fake_discord.guild_id)):
        auto = await fake_discord.send_autocomplete("topic", {"query": "py"}, focused="query")
        choices = await auto.response(timeout=2)
        assert choices.type == ResponseType.AUTOCOMPLETE_RESULT
        assert choices.data == {
            "choices": [{"name": "python", "value": "python"}, {"name": "pytest", "value": "pytest"}]
        }

        inter = await fake_discord.send_command("topic", {"query": "python"})
        assert (await inter.response(timeout=2)).type == ResponseType.DEFERRED_CHANNEL_MESSAGE
        followup = await inter.followup(timeout=2)
    # Like Discord, the first followup after a defer replaces the "thinking..." message.
    assert followup is inter.original and followup["content"] == "topic: python"
    assert [m["content"] for m in fake_discord.channel_messages(fake_discord.channel_id)] == ["topic: python"]


@pytest.mark.asyncio
async def test_button_click_on_a_view(fake_discord: FakeDiscord) -> None:
    async with fake_discord.run(DemoBot(fake_discord.guild_id)):
        inter = await fake_discord.send_command("confirm")
        await inter.response(timeout=2)
        assert inter.original is not None
        assert inter.original["components"][0]["components"][0]["custom_id"] == "confirm"

        click = await fake_discord.send_component(inter.original, "confirm", user=fake_discord.mod)
        update = await click.response(timeout=2)

    assert update.type == ResponseType.UPDATE_MESSAGE
    (message,) = fake_discord.channel_messages(fake_discord.channel_id)
    assert message["content"] == "confirmed by mod" and message["components"] == []
    assert message["edited_timestamp"] is not None


@pytest.mark.asyncio
async def test_typed_options_ephemeral_and_dm(fake_discord: FakeDiscord) -> None:
    async with fake_discord.run(DemoBot(fake_discord.guild_id)):
        # Option types come from the synced command; the member is sent in data.resolved.
        inter = await fake_discord.send_command("whois", {"member": int(fake_discord.mod["id"]), "times": 2})
        reply = await inter.response(timeout=2)
        dm = await fake_discord.send_command("hello", dm=True)
        dm_reply = await dm.response(timeout=2)
    assert reply.data == {**reply.data, "content": "Mod x2 in general", "flags": 64}
    assert fake_discord.channel_messages(fake_discord.channel_id) == []  # ephemeral
    assert dm_reply.data is not None and dm_reply.data["content"] == "hello alice (DMChannel)"
    assert fake_discord.channel_messages(int(dm.payload["channel_id"]))[0]["content"] == "hello alice (DMChannel)"


@pytest.mark.asyncio
async def test_channel_send_with_nonce_is_idempotent(fake_discord: FakeDiscord) -> None:
    async with fake_discord.run(DemoBot()) as bot:
        channel = bot.get_channel(fake_discord.channel_id)
        assert isinstance(channel, discord.TextChannel)
        first = await channel.send("hello", nonce="brief-42")  # discord.py adds enforce_nonce=True
        second = await channel.send("hello", nonce="brief-42")
        third = await channel.send("hello")  # a fresh random nonce
    assert first.id == second.id != third.id
    posts = fake_discord.requests_to("POST", "/channels/{channel_id}/messages")
    assert len(posts) == 3 and posts[0].json["enforce_nonce"] is True
    assert len(fake_discord.channel_messages(fake_discord.channel_id)) == 2


@pytest.mark.asyncio
async def test_dropped_gateway_is_resumed(fake_discord: FakeDiscord) -> None:
    bot = DemoBot(fake_discord.guild_id)
    resumed = asyncio.Event()

    async def on_resumed() -> None:
        resumed.set()

    bot.add_listener(on_resumed)
    async with fake_discord.run(bot):
        await fake_discord.drop_gateway(code=4000)
        # Sent while the bot is disconnected: buffered and replayed on RESUME, as Discord does.
        inter = await fake_discord.send_command("ping")
        await asyncio.wait_for(resumed.wait(), 3)
        reply = await inter.response(timeout=2)
        assert reply.data is not None and reply.data["content"] == "pong"

        later = await fake_discord.send_command("ping")
        assert (await later.response(timeout=2)).type == ResponseType.CHANNEL_MESSAGE
    assert fake_discord.identify_count == 1 and fake_discord.resume_count == 1
    assert fake_discord.gateway.connections[-1].path == "/resume"


@pytest.mark.asyncio
async def test_fault_injection(fake_discord: FakeDiscord) -> None:
    path = f"/channels/{fake_discord.channel_id}/messages"
    async with fake_discord.run(DemoBot()) as bot:
        channel = bot.get_channel(fake_discord.channel_id)
        assert isinstance(channel, discord.TextChannel)

        fake_discord.inject_fault("POST", path, 429, retry_after=0.05)
        await channel.send("after a 429")  # discord.py sleeps retry_after and retries
        assert [r.status for r in fake_discord.requests_to("POST", path)] == [429, 200]

        fake_discord.inject_fault("POST", path, 403)
        with pytest.raises(discord.Forbidden) as forbidden:
            await channel.send("nope")
        assert forbidden.value.code == 50013

        fake_discord.inject_fault("POST", "/channels/{channel_id}/messages", 404)
        with pytest.raises(discord.NotFound):
            await channel.send("gone")

        fake_discord.inject_fault("POST", path, 503)
        with pytest.raises(discord.DiscordServerError):
            await channel.send("down")

        readonly = bot.get_channel(fake_discord.readonly_channel_id)
        assert isinstance(readonly, discord.TextChannel)
        with pytest.raises(discord.Forbidden):  # real permission check: @everyone may not send there
            await readonly.send("hi")


@pytest.mark.asyncio
async def test_session_ended_by_a_non_resumable_close_is_identified_again(fake_discord: FakeDiscord) -> None:
    bot = DemoBot(fake_discord.guild_id)

    async def no_identify_wait(shard_id: int | None, *, initial: bool = False) -> None:
        return None  # discord.py's 5 s pause between IDENTIFYs; the fake does not rate-limit them

    bot.before_identify_hook = no_identify_wait  # type: ignore[method-assign]
    async with fake_discord.run(bot):
        await fake_discord.drop_gateway(code=4009)  # session timed out
        await fake_discord.wait_for(lambda: fake_discord.identify_count == 2, timeout=5)
        await fake_discord.wait_until_ready()
        # discord.py tried to RESUME first and was told the session is gone (op 9, d=false).
        refused = fake_discord.gateway.connections[1]
        assert [p["op"] for p in refused.received if p["op"] != 1] == [6]
        assert {"op": 9, "d": False, "s": None, "t": None} in refused.sent
        inter = await fake_discord.send_command("ping")
        assert (await inter.response(timeout=2)).type == ResponseType.CHANNEL_MESSAGE
    assert fake_discord.resume_count == 0


@pytest.mark.asyncio
async def test_abrupt_drop_is_resumed_with_missed_events_replayed(fake_discord: FakeDiscord) -> None:
    async with fake_discord.run(DemoBot(fake_discord.guild_id)):
        await fake_discord.drop_gateway(abrupt=True)
        assert not fake_discord.gateway.ready  # the session has no socket until the bot resumes it
        inter = await fake_discord.send_command("ping")  # while no socket is open
        await fake_discord.wait_for(lambda: fake_discord.resume_count == 1, timeout=5)
        assert (await inter.response(timeout=2)).type == ResponseType.CHANNEL_MESSAGE
    assert fake_discord.identify_count == 1


@pytest.mark.asyncio
@pytest.mark.parametrize(("status", "code"), [(401, 50027), (404, 10015)])
async def test_expired_interaction_token(fake_discord: FakeDiscord, status: int, code: int) -> None:
    async with fake_discord.run(DemoBot(fake_discord.guild_id)) as bot:
        inter = await fake_discord.send_command("ping")
        await inter.response(timeout=2)
        fake_discord.expire_interaction(inter, status)
        webhook = discord.Webhook.partial(fake_discord.application_id, inter.token, client=bot)
        with pytest.raises(discord.HTTPException) as raised:
            await webhook.send("too late")
        assert (raised.value.status, raised.value.code) == (status, code)
        with pytest.raises(discord.HTTPException) as raised:
            await webhook.edit_message(int(inter.original["id"]), content="too late")
        assert (raised.value.status, raised.value.code) == (status, code)
