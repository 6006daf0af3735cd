"""Demo/self-tests: the real discord.py stack (commands.Bot, app_commands, views) against FakeDiscord."""

from __future__ import annotations

import asyncio
import json
import time

import aiohttp
import discord
import pytest
from discord import app_commands
from discord.ext import commands

from bot.localdiscord import FakeDiscord, ResponseType
from bot.localdiscord.check_commands import command_size, validate_commands
from bot.localdiscord.check_message import validate_message

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


# --------------------------------------------------------------------------- what Discord refuses


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


BAD_LINKS = [
    "https://",
    "https://[::1",
    "http://",
    "https:///path-but-no-host",
    "example.com/no-scheme",
    "//example.com/relative",
    "https://exa mple.com/",
    "https://example.com/\nnext-line",
    "https://example.com:99999/",
    "",
]


@pytest.mark.parametrize("url", BAD_LINKS)
@pytest.mark.parametrize(
    ("where", "path"),
    [
        ({"url": "{}"}, "embeds.0.url"),
        ({"author": {"name": "a", "url": "{}"}}, "embeds.0.author.url"),
        ({"author": {"name": "a", "icon_url": "{}"}}, "embeds.0.author.icon_url"),
        ({"footer": {"text": "f", "icon_url": "{}"}}, "embeds.0.footer.icon_url"),
        ({"image": {"url": "{}"}}, "embeds.0.image.url"),
        ({"thumbnail": {"url": "{}"}}, "embeds.0.thumbnail.url"),
        ({"video": {"url": "{}"}}, "embeds.0.video.url"),
    ],
)
def test_malformed_embed_urls_are_refused_wherever_they_are(url: str, where: dict, path: str) -> None:
    embed = json.loads(json.dumps(where).replace("{}", json.dumps(url)[1:-1]))
    assert form_errors(validate_message({"embeds": [{"title": "t", **embed}]})) == {path: "URL_TYPE_INVALID_URL"}


def test_embed_url_schemes() -> None:
    ok = {
        "url": "https://example.com/a?b=c#d",
        "author": {"name": "a", "url": "http://example.com", "icon_url": "attachment://icon.png"},
        "footer": {"text": "f", "icon_url": "https://cdn.example/i.png"},
        "image": {"url": "attachment://picture.png"},
        "thumbnail": {"url": "HTTPS://EXAMPLE.COM/T.PNG"},
        "video": {"url": "https://example.com/v.mp4"},
    }
    assert validate_message({"embeds": [ok]}) is None
    bad = {
        "url": "attachment://not-a-link.png",
        "author": {"name": "a", "url": "javascript://example.com/%0aalert(1)", "icon_url": "ftp://example.com/i"},
        "image": {"url": "data://example.com/x"},
    }
    assert form_errors(validate_message({"embeds": [bad]})) == {
        "embeds.0.url": "URL_TYPE_INVALID_SCHEME",
        "embeds.0.author.url": "URL_TYPE_INVALID_SCHEME",
        "embeds.0.author.icon_url": "URL_TYPE_INVALID_SCHEME",
        "embeds.0.image.url": "URL_TYPE_INVALID_SCHEME",
    }
    too_long = "https://example.com/" + "a" * 2029
    assert form_errors(validate_message({"embeds": [{"url": too_long}]})) == {"embeds.0.url": "BASE_TYPE_MAX_LENGTH"}
    assert validate_message({"embeds": [{"url": too_long[:-1]}]}) is None


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


@pytest.mark.asyncio
async def test_a_malformed_embed_url_fails_the_whole_message(fake_discord: FakeDiscord) -> None:
    bot = StrictBot(fake_discord.guild_id)
    async with fake_discord.run(bot):
        inter = await fake_discord.send_command("badlink")
        await fake_discord.wait_for(lambda: inter.rejected, timeout=2)
        channel = bot.get_channel(fake_discord.channel_id)
        assert isinstance(channel, discord.TextChannel)
        with pytest.raises(discord.HTTPException) as raised:
            await channel.send(embed=discord.Embed(title="Article", url="https://"))
        await channel.send(embed=discord.Embed(title="Article", url="https://example.com/a"))
    (status, body, _) = inter.rejected[0]
    assert status == 400 and form_errors(body) == {"data.embeds.0.url": "URL_TYPE_INVALID_URL"}
    assert not inter.callbacks
    assert (raised.value.status, raised.value.code) == (400, 50035)
    assert [m["embeds"][0]["url"] for m in fake_discord.channel_messages(fake_discord.channel_id)] == [
        "https://example.com/a"
    ]


@pytest.mark.asyncio
async def test_a_registration_discord_would_refuse_fails(fake_discord: FakeDiscord) -> None:
    bot = DemoBot()
    async with fake_discord.run(bot):
        app_id, guild_id = fake_discord.application_id, fake_discord.guild_id
        choices = [{"name": "x", "value": "y"}]
        bad = command(options=[string_option(autocomplete=True, choices=choices)])
        with pytest.raises(discord.HTTPException) as raised:
            await bot.http.bulk_upsert_guild_commands(app_id, guild_id, [bad])
        (created,) = await bot.http.bulk_upsert_guild_commands(app_id, guild_id, [command()])
        with pytest.raises(discord.HTTPException) as patched:
            await bot.http.edit_guild_command(
                app_id, guild_id, created["id"], {"options": [string_option(), string_option()]}
            )
    assert (raised.value.status, raised.value.code) == (400, 50035)
    assert (patched.value.status, patched.value.code) == (400, 50035)
    assert [c["name"] for c in fake_discord.registered_commands(guild_id)] == ["brief"]
    assert fake_discord.registered_commands(guild_id)[0]["options"] == []


# --------------------------------------------------------------------------- the clock


@pytest.mark.asyncio
async def test_interaction_tokens_expire_after_15_minutes_by_the_clock(fake_discord: FakeDiscord) -> None:
    bot = StrictBot(fake_discord.guild_id)
    async with fake_discord.run(bot):
        fresh = await fake_discord.send_command("ping")
        await fresh.response(timeout=2)
        late = await fake_discord.send_command("deferred")
        await late.response(timeout=2)
        fake_discord.advance_clock(14 * 60 + 59)
        assert fake_discord.token_status(late) is None
        webhook = discord.Webhook.partial(fake_discord.application_id, fresh.token, client=bot)
        await webhook.send("still in time")
        fake_discord.advance_clock(1)
        assert fake_discord.token_status(late) == 401
        bot.strict.release.set()
        await fake_discord.wait_for(lambda: bot.strict.errors, timeout=2)
        with pytest.raises(discord.HTTPException) as raised:
            await webhook.send("too late")
    (error,) = bot.strict.errors
    assert isinstance(error, discord.HTTPException) and (error.status, error.code) == (401, 50027)
    assert (raised.value.status, raised.value.code) == (401, 50027)
    assert late.followups == [] and len(fresh.followups) == 1


@pytest.mark.asyncio
async def test_the_initial_callback_must_come_within_3_seconds_by_the_clock(fake_discord: FakeDiscord) -> None:
    bot = StrictBot(fake_discord.guild_id)
    async with fake_discord.run(bot):
        inter = await fake_discord.send_command("slow")
        fake_discord.advance_clock(3.01)
        bot.strict.release.set()
        await fake_discord.wait_for(lambda: inter.rejected, timeout=2)
        bot.strict.release.clear()
        in_time = await fake_discord.send_command("slow")
        fake_discord.advance_clock(2.5)
        bot.strict.release.set()
        await in_time.response(timeout=2)
    assert inter.rejected[0][:2] == (404, {"message": "Unknown interaction", "code": 10062})
    assert not inter.callbacks
    assert in_time.latency is not None and 2.5 <= in_time.latency < 3
    with pytest.raises(ValueError):
        fake_discord.advance_clock(-1)


# --------------------------------------------------------------------------- rate-limit headers


@pytest.mark.asyncio
async def test_every_response_carries_rate_limit_headers(fake_discord: FakeDiscord) -> None:
    headers = {"Authorization": f"Bot {fake_discord.token}"}
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{fake_discord.api_url}/users/@me", headers=headers) as resp,
    ):
        assert resp.status == 200
        got = {k: resp.headers.get(k) for k in ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Bucket")}
        assert got == {
            "X-RateLimit-Limit": "50",
            "X-RateLimit-Remaining": "49",
            "X-RateLimit-Bucket": got["X-RateLimit-Bucket"],
        }
        assert float(resp.headers["X-RateLimit-Reset-After"]) <= 1.0
        assert float(resp.headers["X-RateLimit-Reset"]) > time.time()


@pytest.mark.asyncio
async def test_discord_py_waits_for_a_used_up_bucket_instead_of_hitting_429() -> None:
    async with FakeDiscord(rate_limit=(2, 0.3)) as fake:
        path = f"/channels/{fake.channel_id}/messages"
        # A client that ignores the headers is refused once the bucket is used up ...
        headers = {"Authorization": f"Bot {fake.token}"}
        async with aiohttp.ClientSession() as session:
            statuses = []
            for i in range(3):
                async with session.post(f"{fake.api_url}{path}", json={"content": f"raw {i}"}, headers=headers) as r:
                    statuses.append((r.status, r.headers.get("X-RateLimit-Remaining")))
        assert statuses == [(200, "1"), (200, "0"), (429, "0")]
        await asyncio.sleep(0.3)
        # ... while discord.py reads them and waits for the bucket to reset before sending more.
        async with fake.run(DemoBot()) as bot:
            channel = bot.get_channel(fake.channel_id)
            assert isinstance(channel, discord.TextChannel)
            started = time.perf_counter()
            for i in range(5):
                await channel.send(f"message {i}")
            elapsed = time.perf_counter() - started
    sent = [r for r in fake.requests_to("POST", path) if r.token == fake.token][3:]
    assert [r.status for r in sent] == [200] * 5  # no 429: the waiting happened before sending
    assert elapsed >= 0.55  # two resets of 0.3 s were waited for
    assert fake.rate_limits is not None and fake.rate_limits.exhausted >= 3
