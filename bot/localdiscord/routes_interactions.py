"""REST routes of interactions: the initial callback, followups and the interaction's webhook messages."""

from __future__ import annotations

from collections.abc import Sequence

from .check_commands import validate_choices
from .check_message import validate_message
from .faults import INVALID_WEBHOOK_TOKEN, UNKNOWN_WEBHOOK
from .forms import form_error
from .interactions import (
    ALLOWED_RESPONSES,
    InteractionType,
)
from .payloads import (
    Json,
)
from .records import FakeInteraction, InteractionCallback, RestRequest, UploadedFile
from .rest import Reply
from .store import EPHEMERAL, LOADING


class InteractionRoutes:
    """Interaction callback and webhook routes, with Discord's deadlines and token expiry.

    A mixin of ``FakeDiscord`` (server.py): it uses the state ``FakeDiscord.__init__`` sets up.
    """

    def _interaction_message(
        self, inter: FakeInteraction, body: Json, files: Sequence[UploadedFile], extra_flags: int = 0
    ) -> Json:
        channel = self.channels.get(int(inter.payload["channel_id"]), inter.payload["channel"])
        msg = self._build_message(
            channel,
            body,
            files,
            author=self.bot_user,
            webhook=True,
            extra_flags=extra_flags,
            msg_type=20 if inter.type == InteractionType.APPLICATION_COMMAND else 0,
        )
        user = inter.payload.get("user") or inter.payload["member"]["user"]
        msg["interaction_metadata"] = {
            "id": str(inter.id),
            "type": inter.type,
            "user": user,
            "authorizing_integration_owners": inter.payload["authorizing_integration_owners"],
        }
        if inter.type == InteractionType.APPLICATION_COMMAND:
            msg["interaction"] = {
                "id": str(inter.id),
                "type": inter.type,
                "name": inter.payload["data"]["name"],
                "user": user,
            }
        self._store(msg, channel)
        return msg

    async def _callback(self, rec: RestRequest) -> Reply:
        iid = rec.params["interaction_id"]
        inter = self.interactions.get(int(iid)) if iid.isdigit() else None
        if inter is None or inter.token != rec.params["interaction_token"] or self.token_status(inter):
            return 404, {"message": "Unknown interaction", "code": 10062}
        now = self.now()
        body: Json = rec.json if isinstance(rec.json, dict) else {}
        rtype, data = body.get("type"), body.get("data")
        problem: tuple[int, Json] | None = None
        if inter.acknowledged:
            problem = 400, {"message": "Interaction has already been acknowledged.", "code": 40060}
        elif self.callback_deadline is not None and now - inter.sent_at > self.callback_deadline:
            problem = 404, {"message": "Unknown interaction", "code": 10062}
        elif rtype not in ALLOWED_RESPONSES.get(inter.type, frozenset()):
            problem = 400, form_error({"type": f"Interaction response type {rtype} is invalid for this interaction"})
        elif rtype in (6, 7) and "message" not in inter.payload:
            problem = 400, form_error({"type": "This interaction has no message to update"})
        elif err := self._callback_data_error(rtype, data or {}, bool(rec.files)):
            problem = 400, err
        if problem is not None:
            inter.rejected.append((problem[0], problem[1], body))
            self._changed()
            return problem
        assert isinstance(rtype, int)
        inter.callbacks.append(InteractionCallback(rtype, data, now, now - inter.sent_at))
        data = data or {}
        message: Json | None = None
        ephemeral = bool(int(data.get("flags") or 0) & EPHEMERAL)
        if rtype == 4:
            message = inter.original = self._interaction_message(inter, data, rec.files)
            await self._dispatch_message("MESSAGE_CREATE", message, self.channels[int(message["channel_id"])])
        elif rtype == 5:
            message = inter.original = self._interaction_message(
                inter, {"flags": data.get("flags")}, [], extra_flags=LOADING | (EPHEMERAL if ephemeral else 0)
            )
            await self._dispatch_message("MESSAGE_CREATE", message, self.channels[int(message["channel_id"])])
        elif rtype in (6, 7):
            source = inter.payload["message"]
            target = self._message_index.get(int(source["id"]), source)
            inter.original = target
            ephemeral = bool(target["flags"] & EPHEMERAL)
            if rtype == 7:
                self._apply_edit(target, data, rec.files)
                message = target
                channel = self.channels.get(int(target["channel_id"]))
                if channel is not None:
                    await self._dispatch_message("MESSAGE_UPDATE", target, channel)
        self._changed()
        if rec.query.get("with_response", "").lower() not in ("1", "true"):
            return 204, None
        info: Json = {
            "id": str(inter.id),
            "type": inter.type,
            "response_message_loading": rtype == 5,
            "response_message_ephemeral": ephemeral,
        }
        if message is not None:
            info["response_message_id"] = message["id"]
        resource: Json = {"type": rtype}
        if message is not None:
            resource["message"] = message
        return 200, {"interaction": info, "resource": resource}

    @staticmethod
    def _callback_data_error(rtype: int, data: Json, has_files: bool) -> Json | None:
        if rtype in (4, 7):
            problem = validate_message(data, has_files=has_files, edit=rtype == 7)
            if problem is not None and "errors" in problem:  # Discord reports them under "data"
                problem = {**problem, "errors": {"data": problem["errors"]}}
            return problem
        if rtype == 8:
            return validate_choices(data.get("choices") or [])
        if rtype == 9 and not all(data.get(k) for k in ("custom_id", "title", "components")):
            return form_error({"data": "Modals need custom_id, title and components"})
        return None

    def _webhook_interaction(self, rec: RestRequest) -> tuple[FakeInteraction | None, Reply | None]:
        inter = self._by_token.get(rec.params["interaction_token"])
        if inter is None or rec.params["application_id"] != str(self.application_id) or not inter.acknowledged:
            return None, (404, dict(UNKNOWN_WEBHOOK))
        status = self.token_status(inter)
        if status == 401:
            return None, (401, dict(INVALID_WEBHOOK_TOKEN))
        if status == 404:
            return None, (404, dict(UNKNOWN_WEBHOOK))
        return inter, None

    async def _followup(self, rec: RestRequest) -> Reply:
        inter, err = self._webhook_interaction(rec)
        if err or inter is None:
            return err or (404, dict(UNKNOWN_WEBHOOK))
        body: Json = rec.json if isinstance(rec.json, dict) else {}
        if problem := validate_message(body, has_files=bool(rec.files)):
            return 400, problem
        original = inter.original
        if (
            inter.callbacks[0].type == 5
            and original is not None
            and original["flags"] & LOADING
            and not inter.followups
            and not inter.deleted_original
        ):
            # Discord: the first followup after a deferred response edits the loading message, and
            # its ephemeral flag is ignored (deprecated; Edit Original Interaction Response is the
            # way). Once the loading message is deleted, a followup is a new message with its flags.
            self._apply_edit(original, {k: v for k, v in body.items() if k != "flags"}, rec.files)
            msg = original
            await self._dispatch_message("MESSAGE_UPDATE", msg, self.channels[int(msg["channel_id"])])
        else:
            msg = self._interaction_message(inter, body, rec.files)
            msg["interaction_metadata"]["original_response_message_id"] = original["id"] if original else None
            await self._dispatch_message("MESSAGE_CREATE", msg, self.channels[int(msg["channel_id"])])
        inter.followups.append(msg)
        self._changed()
        if rec.query.get("wait", "").lower() in ("1", "true"):
            return 200, msg
        return 204, None

    async def _webhook_message(self, rec: RestRequest) -> Reply:
        inter, err = self._webhook_interaction(rec)
        if err or inter is None:
            return err or (404, dict(UNKNOWN_WEBHOOK))
        mid = rec.params["message_id"]
        if mid == "@original":
            msg = None if inter.deleted_original else inter.original
        else:
            candidates = [m for m in [inter.original, *inter.followups] if m is not None]
            msg = next((m for m in candidates if m["id"] == mid), None)
        if msg is None:
            return 404, {"message": "Unknown Message", "code": 10008}
        channel = self.channels.get(int(msg["channel_id"]))
        if rec.method == "GET":
            return 200, msg
        if rec.method == "DELETE":
            self._remove(msg)
            if msg is inter.original:
                inter.deleted_original = True
            if channel is not None:
                await self._dispatch_message("MESSAGE_DELETE", msg, channel)
            return 204, None
        body: Json = rec.json if isinstance(rec.json, dict) else {}
        if problem := validate_message(body, has_files=bool(rec.files), edit=True):
            return 400, problem
        self._apply_edit(msg, body, rec.files)
        if msg is inter.original:
            inter.edits.append(body)
        if channel is not None:
            await self._dispatch_message("MESSAGE_UPDATE", msg, channel)
        self._changed()
        return 200, msg
