"""Discord's rules for embeds in a message: at most 10, field and total size limits, URL schemes."""

from __future__ import annotations

from collections.abc import Sequence

from .forms import Json, Problem, at_most, between, url_problem  # noqa: F401

_LINK_SCHEMES = ("http", "https")
_IMAGE_SCHEMES = ("http", "https", "attachment")
# Where an embed holds a URL, and which schemes each accepts (Discord's embed object docs: images,
# thumbnails and icons "only support http(s) and attachments").
_EMBED_URLS: tuple[tuple[str | None, str, tuple[str, ...]], ...] = (
    (None, "url", _LINK_SCHEMES),
    ("author", "url", _LINK_SCHEMES),
    ("author", "icon_url", _IMAGE_SCHEMES),
    ("footer", "icon_url", _IMAGE_SCHEMES),
    ("image", "url", _IMAGE_SCHEMES),
    ("thumbnail", "url", _IMAGE_SCHEMES),
    ("video", "url", _LINK_SCHEMES),
)


def _embed_url_errors(embed: Json, path: str) -> dict[str, Problem]:
    errors: dict[str, Problem] = {}
    for part, key, schemes in _EMBED_URLS:
        holder = embed if part is None else embed.get(part)
        if not isinstance(holder, dict) or holder.get(key) is None:
            continue
        if problem := url_problem(holder[key], schemes):
            errors[f"{path}.{key}" if part is None else f"{path}.{part}.{key}"] = problem
    return errors


def embed_errors(embeds: Sequence[Json]) -> dict[str, Problem]:
    errors: dict[str, Problem] = {}
    if len(embeds) > 10:
        errors["embeds"] = "Must be 10 or fewer in length."
    total = 0
    limits = {"title": 256, "description": 4096}
    for i, embed in enumerate(embeds):
        for key, limit in limits.items():
            text = embed.get(key) or ""
            total += len(text)
            if len(text) > limit:
                errors[f"embeds.{i}.{key}"] = f"Must be {limit} or fewer in length."
        fields = embed.get("fields") or []
        if len(fields) > 25:
            errors[f"embeds.{i}.fields"] = "Must be 25 or fewer in length."
        for j, field in enumerate(fields):
            name, value = field.get("name") or "", field.get("value") or ""
            total += len(name) + len(value)
            if not name or len(name) > 256:
                errors[f"embeds.{i}.fields.{j}.name"] = "Must be between 1 and 256 in length."
            if not value or len(value) > 1024:
                errors[f"embeds.{i}.fields.{j}.value"] = "Must be between 1 and 1024 in length."
        footer = (embed.get("footer") or {}).get("text") or ""
        author = (embed.get("author") or {}).get("name") or ""
        total += len(footer) + len(author)
        if len(footer) > 2048:
            errors[f"embeds.{i}.footer.text"] = "Must be 2048 or fewer in length."
        if len(author) > 256:
            errors[f"embeds.{i}.author.name"] = "Must be 256 or fewer in length."
        errors.update(_embed_url_errors(embed, f"embeds.{i}"))
    if total > 6000:
        errors["embeds"] = "Embed size exceeds maximum size of 6000"
    return errors
