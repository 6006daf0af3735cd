"""Whether Discord would accept a message payload (content, embeds, components, something to send)."""

from __future__ import annotations

from .check_components import component_errors
from .check_embeds import embed_errors
from .forms import Json, Problem, form_error


def validate_message(payload: Json, *, has_files: bool = False, edit: bool = False) -> Json | None:
    """Return a Discord error body if ``payload`` would be rejected as a message, else ``None``."""
    content = payload.get("content")
    if content is not None and not isinstance(content, str):
        content = str(content)
    errors: dict[str, Problem] = {}
    if content is not None and len(content) > 2000:
        errors["content"] = "Must be 2000 or fewer in length."
    errors.update(embed_errors(payload.get("embeds") or []))
    errors.update(component_errors(payload.get("components") or []))
    if errors:
        return form_error(errors)
    if not edit and not (
        content
        or payload.get("embeds")
        or payload.get("components")
        or payload.get("sticker_ids")
        or payload.get("poll")
        or has_files
        or payload.get("attachments")
    ):
        return {"message": "Cannot send an empty message", "code": 50006}
    return None
