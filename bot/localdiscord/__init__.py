"""An in-process fake of Discord's REST API and gateway, for driving the real discord.py stack.

It ships with the bot: the tests, the benchmarks and the offline demo run the real bot against it.
It refuses what Discord refuses (the ``check_*`` modules hold Discord's documented payload rules).
It uses discord.py only to point it at the fake (``patching``) and nothing of the bot itself, and
never imports pytest.

Usage::

    from bot.localdiscord import FakeDiscord

    async def test_ping() -> None:
        async with FakeDiscord() as fake:               # starts the server, patches discord.py
            bot = MyBot(intents=discord.Intents.default(), guild_ready_timeout=0.05)
            async with fake.run(bot):                   # bot.start(fake.token) ... bot.close()
                inter = await fake.send_command("ping")
                reply = await inter.response(timeout=2)
                assert reply.type == 4 and reply.data["content"] == "pong"

The ``fake_discord`` pytest fixture (``tests/support/localdiscord.py``) does the ``async with``.
"""

from .faults import Fault, RouteLimit
from .interactions import InteractionType, OptionType, ResponseType
from .patching import patch_discord
from .payloads import (
    ChannelType,
    Intent,
    Json,
    make_dm_channel,
    make_guild,
    make_member,
    make_message,
    make_overwrite,
    make_role,
    make_text_channel,
    make_thread,
    make_user,
    snowflake,
)
from .permissions import (
    ALL_PERMISSIONS,
    DEFAULT_BOT_PERMISSIONS,
    DEFAULT_EVERYONE_PERMISSIONS,
    Perm,
    compute_permissions,
)
from .records import FakeInteraction, InteractionCallback, RestRequest, UploadedFile
from .server import FakeDiscord
from .shards import make_guild_on_shard, shard_of, snowflake_on_shard

__all__ = [
    "ALL_PERMISSIONS",
    "DEFAULT_BOT_PERMISSIONS",
    "DEFAULT_EVERYONE_PERMISSIONS",
    "ChannelType",
    "FakeDiscord",
    "FakeInteraction",
    "Fault",
    "Intent",
    "InteractionCallback",
    "InteractionType",
    "Json",
    "OptionType",
    "Perm",
    "ResponseType",
    "RestRequest",
    "RouteLimit",
    "UploadedFile",
    "compute_permissions",
    "make_dm_channel",
    "make_guild",
    "make_guild_on_shard",
    "make_member",
    "make_message",
    "make_overwrite",
    "make_role",
    "make_text_channel",
    "make_thread",
    "make_user",
    "patch_discord",
    "shard_of",
    "snowflake",
    "snowflake_on_shard",
]
