"""What users do: interactions (slash and message commands, autocomplete, buttons, modals) and messages they post."""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

from .interactions import (
    InteractionType,
    OptionType,
    build_options,
    interaction_payload,
)
from .payloads import (
    Json,
    make_message,
    snowflake,
)
from .permissions import compute_permissions
from .records import FakeInteraction


class UserActions:
    """Users acting on the bot: every ``send_*`` method.

    A mixin of ``FakeDiscord`` (server.py): it uses the state ``FakeDiscord.__init__`` sets up.
    """

    def _user(self, user: Json | int | None) -> Json:
        if user is None:
            return self.alice
        return self.users[user] if isinstance(user, int) else user

    def _context(self, user: Json | int | None, channel_id: int | None, dm: bool) -> tuple[Json, Json, Json | None]:
        user = self._user(user)
        channel = self.dm_channel(user) if dm else self.channels[channel_id or self.channel_id]
        guild = self.guilds[int(channel["guild_id"])] if "guild_id" in channel else None
        return user, channel, guild

    def _find_command(self, name: str, ctype: int, guild: Json | None) -> tuple[Json | None, int | None]:
        scopes: list[int | None] = [int(guild["id"])] if guild else []
        for scope in [*scopes, None]:
            for cmd in self._commands.get(scope, {}).values():
                if cmd["name"] == name and cmd.get("type", 1) == ctype:
                    return cmd, scope
        return None, None

    def _check_registered(self, data: Json, guild: Json | None) -> None:
        """Raise ValueError unless the bot registered the command that ``data`` invokes (its name and
        type), globally or in this guild: Discord only shows a member the commands an application
        registered, so it never sends an interaction for any other. In a DM only global commands
        exist, and not those the bot kept out of DMs (``contexts`` without 1, or ``dm_permission``
        false)."""
        name, ctype = data.get("name"), data.get("type", 1)
        cmd, _scope = self._find_command(str(name), int(ctype), guild)
        if cmd is None:
            where = f"guild {guild['id']} or globally" if guild else "globally (the only commands in a DM)"
            raise ValueError(f"localdiscord: the bot registered no command {name!r} of type {ctype} {where}")
        if guild is None:
            contexts = cmd.get("contexts")
            if (contexts is not None and 1 not in contexts) or cmd.get("dm_permission") is False:
                raise ValueError(f"localdiscord: command {name!r} is not available in DMs")

    def _resolved(self, options: list[Json], guild: Json | None) -> Json:
        resolved: Json = {}
        flat: list[Json] = []
        stack = list(options)
        while stack:  # subcommand (group) options nest their own options
            opt = stack.pop()
            flat.append(opt)
            stack.extend(opt.get("options") or [])
        for opt in flat:
            otype, value = opt.get("type"), opt.get("value")
            entity = (OptionType.USER, OptionType.CHANNEL, OptionType.ROLE, OptionType.MENTIONABLE)
            if opt.get("focused") or otype not in entity or not str(value).isdigit():
                continue
            vid = int(str(value))
            if otype in (OptionType.USER, OptionType.MENTIONABLE) and vid in self.users:
                resolved.setdefault("users", {})[str(vid)] = self.users[vid]
                member = self.member(int(guild["id"]), vid) if guild else None
                if member is not None:
                    channel_perms = compute_permissions(guild, member) if guild else 0
                    partial = {k: v for k, v in member.items() if k != "user"}
                    resolved.setdefault("members", {})[str(vid)] = {**partial, "permissions": str(channel_perms)}
            elif otype in (OptionType.ROLE, OptionType.MENTIONABLE) and guild:
                role = next((r for r in guild["roles"] if r["id"] == str(vid)), None)
                if role is not None:
                    resolved.setdefault("roles", {})[str(vid)] = role
            elif otype == OptionType.CHANNEL and vid in self.channels:
                ch = self.channels[vid]
                partial_channel = {
                    "id": ch["id"],
                    "name": ch.get("name"),
                    "type": ch["type"],
                    "parent_id": ch.get("parent_id"),
                    "permissions": str(self.bot_permissions_in(vid)),
                    "guild_id": ch.get("guild_id"),
                }
                if "thread_metadata" in ch:  # a thread's partial object also has its thread fields
                    for key in ("owner_id", "member_count", "message_count", "last_message_id", "flags"):
                        partial_channel[key] = ch.get(key)
                    partial_channel["thread_metadata"] = dict(ch["thread_metadata"])
                resolved.setdefault("channels", {})[str(vid)] = partial_channel
        return resolved

    def _command_data(
        self,
        name: str,
        options: Mapping[str, Any] | Sequence[Json] | None,
        guild: Json | None,
        guild_command: bool | None,
        focused: str | None = None,
    ) -> Json:
        cmd, scope = self._find_command(name, 1, guild)
        opts = build_options(options, (cmd or {}).get("options", []), focused)
        data: Json = {"id": cmd["id"] if cmd else str(snowflake()), "name": name, "type": 1}
        if opts:
            data["options"] = opts
        if guild is not None and (guild_command or (guild_command is None and scope is not None)):
            data["guild_id"] = guild["id"]
        if resolved := self._resolved(opts, guild):
            data["resolved"] = resolved
        return data

    async def send_interaction(
        self,
        type: int,
        data: Json | None,
        *,
        user: Json | int | None = None,
        channel_id: int | None = None,
        dm: bool = False,
        message: Json | None = None,
        locale: str = "en-US",
    ) -> FakeInteraction:
        """Send a raw INTERACTION_CREATE of ``type`` with ``data`` from ``user`` (default: ``alice``)
        in ``channel_id`` (default: #general) or in the user's DM with the bot (``dm=True``)."""
        user, channel, guild = self._context(user, channel_id, dm)
        return await self._send_interaction(type, data, user, channel, guild, message, locale)

    async def _send_interaction(
        self,
        type: int,
        data: Json | None,
        user: Json,
        channel: Json,
        guild: Json | None,
        message: Json | None,
        locale: str,
    ) -> FakeInteraction:
        member = permissions = None
        if guild is not None:
            member = self.member(int(guild["id"]), int(user["id"]))
            if member is None:
                raise ValueError(f"user {user['username']} is not a member of guild {guild['id']}")
            permissions = self.permissions_in(int(user["id"]), int(channel["id"]))
        if type in (InteractionType.APPLICATION_COMMAND, InteractionType.AUTOCOMPLETE):
            self._check_registered(data or {}, guild)
            if (channel.get("thread_metadata") or {}).get("archived"):
                raise ValueError("localdiscord: no commands in an archived thread (Discord's clients offer none there)")
        payload = interaction_payload(
            type=type,
            application_id=self.application_id,
            data=data,
            channel=channel,
            user=user,
            guild=guild,
            member=member,
            permissions=permissions or 0,
            app_permissions=self.bot_permissions_in(int(channel["id"])),
            message=copy.deepcopy(message) if message is not None else None,
            locale=locale,
        )
        if not self.gateway.receivers("INTERACTION_CREATE", payload):
            where = f"the shard of guild {guild['id']}" if guild is not None else "shard 0 (direct messages)"
            raise RuntimeError(f"localdiscord: no bot session on the gateway ({where}) to receive the interaction")
        inter = FakeInteraction(payload, self._signal)
        self.interactions[inter.id] = inter
        self._by_token[inter.token] = inter
        inter.sent_at = self.now()
        sessions = await self.gateway.dispatch("INTERACTION_CREATE", payload, single=True)
        inter.shard = sessions[0].shard if sessions else None
        return inter

    async def send_command(
        self,
        name: str,
        options: Mapping[str, Any] | Sequence[Json] | None = None,
        *,
        user: Json | int | None = None,
        channel_id: int | None = None,
        dm: bool = False,
        guild_command: bool | None = None,
        locale: str = "en-US",
    ) -> FakeInteraction:
        """Invoke slash command ``/name`` with ``options`` (``{name: value}``; option types come from
        the synced command if the bot synced it, else are guessed from the Python values; pass a list
        of raw option dicts for subcommands). ``data.guild_id`` is set when the command was synced to
        the guild, or when ``guild_command=True``."""
        user, channel, guild = self._context(user, channel_id, dm)
        data = self._command_data(name, options, guild, guild_command)
        return await self._send_interaction(
            InteractionType.APPLICATION_COMMAND, data, user, channel, guild, None, locale
        )

    async def send_message_command(
        self,
        name: str,
        message: Json | int,
        *,
        user: Json | int | None = None,
        guild_command: bool | None = None,
        locale: str = "en-US",
    ) -> FakeInteraction:
        """Invoke message command ``name`` (application command type 3, from a message's Apps menu)
        on ``message`` (a message dict or id), in the message's channel: ``data.target_id`` names the
        message and ``data.resolved.messages`` carries it, as Discord sends them."""
        if isinstance(message, int):
            message = self._message_index[message]
        else:
            message = self._message_index.get(int(message["id"]), message)
        channel = self.channels[int(message["channel_id"])]
        guild = self.guilds[int(channel["guild_id"])] if "guild_id" in channel else None
        cmd, scope = self._find_command(name, 3, guild)
        data: Json = {
            "id": cmd["id"] if cmd else str(snowflake()),
            "name": name,
            "type": 3,
            "target_id": str(message["id"]),
            "resolved": {"messages": {str(message["id"]): copy.deepcopy(message)}},
        }
        if guild is not None and (guild_command or (guild_command is None and scope is not None)):
            data["guild_id"] = guild["id"]
        return await self._send_interaction(
            InteractionType.APPLICATION_COMMAND, data, self._user(user), channel, guild, None, locale
        )

    async def send_autocomplete(
        self,
        name: str,
        options: Mapping[str, Any] | Sequence[Json],
        focused: str | None = None,
        *,
        user: Json | int | None = None,
        channel_id: int | None = None,
        dm: bool = False,
        guild_command: bool | None = None,
        locale: str = "en-US",
    ) -> FakeInteraction:
        """Autocomplete for ``/name`` while the user types in option ``focused`` (default: the last)."""
        user, channel, guild = self._context(user, channel_id, dm)
        if focused is None and isinstance(options, Mapping):
            focused = list(options)[-1]
        data = self._command_data(name, options, guild, guild_command, focused)
        return await self._send_interaction(InteractionType.AUTOCOMPLETE, data, user, channel, guild, None, locale)

    async def send_component(
        self,
        message: Json | int,
        custom_id: str,
        *,
        values: Sequence[str] | None = None,
        user: Json | int | None = None,
        locale: str = "en-US",
    ) -> FakeInteraction:
        """Click a button (or pick ``values`` in a select) with ``custom_id`` on ``message`` (a message
        dict, e.g. ``inter.original``, or a message id). The component must exist and be enabled."""
        if isinstance(message, int):
            message = self._message_index[message]
        else:
            message = self._message_index.get(int(message["id"]), message)
        component = self._find_component(message.get("components") or [], custom_id)
        if component is None:
            raise ValueError(f"no component with custom_id {custom_id!r} on message {message['id']}")
        if component.get("disabled"):
            raise ValueError(f"component {custom_id!r} is disabled")
        data: Json = {"custom_id": custom_id, "component_type": component["type"]}
        if values is not None:
            data["values"] = list(values)
        channel = self.channels[int(message["channel_id"])]
        guild = self.guilds[int(channel["guild_id"])] if "guild_id" in channel else None
        return await self._send_interaction(
            InteractionType.MESSAGE_COMPONENT, data, self._user(user), channel, guild, message, locale
        )

    async def send_modal_submit(
        self,
        custom_id: str,
        values: Mapping[str, str],
        *,
        user: Json | int | None = None,
        channel_id: int | None = None,
        dm: bool = False,
        message: Json | None = None,
        locale: str = "en-US",
    ) -> FakeInteraction:
        """Submit modal ``custom_id`` with text inputs ``{input_custom_id: value}``."""
        user, channel, guild = self._context(user, channel_id, dm)
        rows = [{"type": 1, "components": [{"type": 4, "custom_id": k, "value": v}]} for k, v in values.items()]
        return await self._send_interaction(
            InteractionType.MODAL_SUBMIT,
            {"custom_id": custom_id, "components": rows},
            user,
            channel,
            guild,
            message,
            locale,
        )

    @staticmethod
    def _find_component(components: Sequence[Json], custom_id: str) -> Json | None:
        for comp in components:
            if comp.get("custom_id") == custom_id:
                return comp
            for key in ("components", "accessory"):
                child = comp.get(key)
                children = [child] if isinstance(child, dict) else (child or [])
                if found := UserActions._find_component(children, custom_id):
                    return found
        return None

    async def send_message(
        self, channel_id: int, content: str, *, author: Json | int | None = None, **fields: Any
    ) -> Json:
        """A user posts a message (MESSAGE_CREATE; content blanked for sessions without the
        MESSAGE_CONTENT intent unless it is a DM or mentions the bot, as on Discord)."""
        user, channel, guild = self._context(author, channel_id, False)
        msg = make_message(
            channel_id=channel_id, author=user, content=content, guild_id=int(guild["id"]) if guild else None, **fields
        )
        msg["mentions"] = self._mentions(content, None)
        self._store(msg, channel)
        await self._dispatch_message("MESSAGE_CREATE", msg, channel)
        return msg
