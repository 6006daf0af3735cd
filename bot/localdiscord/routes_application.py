"""REST routes of the application: the bot's user, DMs, the gateway URL, the application and its commands."""

from __future__ import annotations

from .check_commands import too_many_commands, validate_commands
from .faults import error_body
from .forms import form_error
from .payloads import (
    Json,
    make_self_user,
    snowflake,
)
from .records import RestRequest
from .rest import Reply
from .shards import recommended_shards


class ApplicationRoutes:
    """Users, application, gateway and application-command routes.

    A mixin of ``FakeDiscord`` (server.py): it uses the state ``FakeDiscord.__init__`` sets up.
    """

    async def _get_me(self, rec: RestRequest) -> Reply:
        return 200, make_self_user(self.bot_user)

    async def _get_user(self, rec: RestRequest) -> Reply:
        user = self.users.get(int(rec.params["user_id"])) if rec.params["user_id"].isdigit() else None
        return (200, user) if user else (404, error_body(404, rec.template))

    async def _create_dm(self, rec: RestRequest) -> Reply:
        user = self.users.get(int((rec.json or {}).get("recipient_id", 0)))
        if user is None:
            return 400, form_error({"recipient_id": "Unknown user"})
        return 200, self.dm_channel(user)

    async def _get_gateway(self, rec: RestRequest) -> Reply:
        payload: Json = {"url": self.gateway_url.rstrip("/")}
        if rec.template == "/gateway/bot":
            payload.update(
                shards=recommended_shards(len(self.guilds)),
                session_start_limit={"total": 1000, "remaining": 999, "reset_after": 14_400_000, "max_concurrency": 1},
            )
        return 200, payload

    async def _get_application(self, rec: RestRequest) -> Reply:
        owner = getattr(self, "owner", None) or self.bot_user
        return 200, {
            "id": str(self.application_id),
            "name": self.bot_user["username"],
            "icon": None,
            "description": "",
            "summary": "",
            "type": None,
            "hook": True,
            "bot_public": True,
            "bot_require_code_grant": False,
            "verify_key": "0" * 64,
            "owner": owner,
            "team": None,
            "flags": self.application_flags,
            "bot": make_self_user(self.bot_user),
            "redirect_uris": [],
            "interactions_endpoint_url": None,
            "tags": [],
            "approximate_guild_count": len(self.guilds),
            "integration_types_config": {"0": {}},
        }

    # ================================================================== REST: application commands

    def _app_check(self, rec: RestRequest) -> tuple[int | None, Reply | None]:
        if rec.params["application_id"] != str(self.application_id):
            return None, (403, {"message": "Missing Access", "code": 50001})
        gid = rec.params.get("guild_id")
        if gid is not None and (not gid.isdigit() or int(gid) not in self.guilds):
            return None, (403, {"message": "Missing Access", "code": 50001})
        return (int(gid) if gid else None), None

    def _store_command(self, body: Json, guild_id: int | None, command_id: int | None = None) -> Json:
        cmd: Json = {
            "id": str(command_id or snowflake()),
            "application_id": str(self.application_id),
            "version": str(snowflake()),
            "type": body.get("type", 1),
            "name": body["name"],
            "name_localizations": body.get("name_localizations"),
            "description": body.get("description", ""),
            "description_localizations": body.get("description_localizations"),
            "options": body.get("options") or [],
            "default_member_permissions": body.get("default_member_permissions"),
            "nsfw": body.get("nsfw", False),
            "contexts": body.get("contexts"),
            "integration_types": body.get("integration_types") or [0],
        }
        if guild_id is not None:
            cmd["guild_id"] = str(guild_id)
        else:
            cmd["dm_permission"] = body.get("dm_permission", True)
        return cmd

    async def _list_commands(self, rec: RestRequest) -> Reply:
        gid, err = self._app_check(rec)
        return err or (200, self.registered_commands(gid))

    async def _put_commands(self, rec: RestRequest) -> Reply:
        gid, err = self._app_check(rec)
        if err:
            return err
        body = rec.json if isinstance(rec.json, list) else []
        if problem := validate_commands(body):
            return 400, problem
        if problem := too_many_commands(body):
            return 400, problem
        old = {(c["name"], c["type"]): int(c["id"]) for c in self._commands[gid].values()}
        new = [self._store_command(c, gid, old.get((c["name"], c.get("type", 1)))) for c in body]
        self._commands[gid] = {int(c["id"]): c for c in new}
        self.command_syncs.append((gid, body))
        return 200, new

    async def _post_command(self, rec: RestRequest) -> Reply:
        gid, err = self._app_check(rec)
        if err:
            return err
        if problem := validate_commands([rec.json or {}]):
            return 400, problem
        existing = next(
            (
                c
                for c in self._commands[gid].values()
                if c["name"] == rec.json["name"] and c["type"] == rec.json.get("type", 1)
            ),
            None,
        )
        if existing is None and (problem := too_many_commands([*self._commands[gid].values(), rec.json])):
            return 400, problem
        cmd = self._store_command(rec.json, gid, int(existing["id"]) if existing else None)
        self._commands[gid][int(cmd["id"])] = cmd
        return (200 if existing else 201), cmd

    def _command_or_404(self, rec: RestRequest) -> tuple[int | None, Json | None, Reply | None]:
        gid, err = self._app_check(rec)
        if err:
            return None, None, err
        cid = rec.params["command_id"]
        cmd = self._commands[gid].get(int(cid)) if cid.isdigit() else None
        if cmd is None:
            return gid, None, (404, {"message": "Unknown application command", "code": 10063})
        return gid, cmd, None

    async def _get_command(self, rec: RestRequest) -> Reply:
        _, cmd, err = self._command_or_404(rec)
        return err or (200, cmd)

    async def _patch_command(self, rec: RestRequest) -> Reply:
        gid, cmd, err = self._command_or_404(rec)
        if err or cmd is None:
            return err or (404, None)
        merged = {**cmd, **(rec.json or {})}
        if problem := validate_commands([merged]):
            return 400, problem
        updated = self._store_command(merged, gid, int(cmd["id"]))
        self._commands[gid][int(cmd["id"])] = updated
        return 200, updated

    async def _delete_command(self, rec: RestRequest) -> Reply:
        gid, cmd, err = self._command_or_404(rec)
        if err or cmd is None:
            return err or (404, None)
        del self._commands[gid][int(cmd["id"])]
        return 204, None
