"""Reading article files (.txt, .md, .json, .html) into raw articles, with a reason for every refusal."""

from __future__ import annotations

import errno
import json
import os
import re
import stat
from pathlib import Path, PurePath

from bot.core.errors import ArticleFileError
from bot.core.models import RawArticle
from bot.core.text import normalise, strip_stray_nuls

HTML_SUFFIXES = frozenset({".html", ".htm"})
SUPPORTED_SUFFIXES = frozenset({".txt", ".md", ".json"}) | HTML_SUFFIXES
MAX_FILE_BYTES = 2_000_000
# Markup is most of a saved page: an HTML file may be this many times the size limit of a text file.
HTML_SIZE_RATIO = 2.5
MIN_TEXT_CHARS = 1


def read_article_file(
    path: Path,
    *,
    max_bytes: int = MAX_FILE_BYTES,
    source_path: str | None = None,
    follow_symlinks: bool = True,
    folder: Path | None = None,
) -> RawArticle:
    """Read and decode one file; raise ArticleFileError saying why when it cannot be an article.

    Only a regular file is read (a named pipe would block for ever, a device never end), and never
    more than ``max_bytes`` + 1 bytes of it. With ``follow_symlinks=False`` a symbolic link is refused
    at the moment of opening, so a file swapped for a link after the folder was scanned is not read.

    With ``folder``, ``path`` is relative to that folder and no symbolic link is followed anywhere
    on the way from the folder to the file: see open_inside.
    """
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ArticleFileError(f"unsupported file type {suffix or '(none)'}")
    limit = size_limit(suffix, max_bytes)
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if folder is not None:
        fd = open_inside(folder, path, flags)
    else:
        if not follow_symlinks:
            flags |= os.O_NOFOLLOW
        try:
            fd = os.open(path, flags)
        except OSError as exc:
            if exc.errno == errno.ELOOP and not follow_symlinks:
                raise ArticleFileError(LINK_REFUSED) from exc
            raise ArticleFileError(f"unreadable: {exc.strerror or exc}") from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ArticleFileError("not a regular file")
        if info.st_size > limit:
            raise ArticleFileError(f"file too large ({info.st_size:,} bytes; the limit is {limit:,})")
        with os.fdopen(os.dup(fd), "rb") as f:
            data = f.read(limit + 1)
    except OSError as exc:
        raise ArticleFileError(f"unreadable: {exc.strerror or exc}") from exc
    finally:
        os.close(fd)
    return parse_article_bytes(data, suffix, source_path=source_path or path.name, max_bytes=max_bytes)


LINK_REFUSED = "symbolic links are not followed"

# POSIX only, as O_NOFOLLOW is (getattr: importing this module works everywhere).
_DIRECTORY_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)


def open_inside(folder: Path, path: PurePath, flags: int) -> int:
    """Open ``path`` (relative to ``folder``) and return the descriptor, one component at a time.

    O_NOFOLLOW alone guards only the last component of a path: a sub-folder swapped for a link to
    somewhere else between the scan and the read would be followed. Here the folder is opened
    (as configured, so the folder itself may be a link), then each sub-folder relative to the one
    before it with O_NOFOLLOW | O_DIRECTORY, then the file with O_NOFOLLOW: the kernel resolves
    one name at a time inside a directory already open, so no link anywhere below the folder is
    followed, whatever is renamed or swapped meanwhile. "..", "." and absolute paths are refused.
    """
    parts = path.parts
    if not parts or path.is_absolute() or any(p in ("", ".", "..") for p in parts):
        raise ArticleFileError("not a path inside the articles folder")
    try:
        fd = os.open(folder, _DIRECTORY_FLAGS)
    except OSError as exc:
        raise ArticleFileError(f"unreadable: the articles folder: {exc.strerror or exc}") from exc
    try:
        for depth, part in enumerate(parts[:-1], start=1):
            try:
                inner = os.open(part, _DIRECTORY_FLAGS | os.O_NOFOLLOW, dir_fd=fd)
            except OSError as exc:
                if exc.errno in (errno.ELOOP, errno.ENOTDIR) and _is_link(part, fd):
                    raise ArticleFileError(f"{LINK_REFUSED} ({'/'.join(parts[:depth])}/ is one)") from exc
                raise ArticleFileError(f"unreadable: {exc.strerror or exc}") from exc
            os.close(fd)
            fd = inner
        try:
            return os.open(parts[-1], flags | os.O_NOFOLLOW, dir_fd=fd)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise ArticleFileError(LINK_REFUSED) from exc
            raise ArticleFileError(f"unreadable: {exc.strerror or exc}") from exc
    finally:
        os.close(fd)


def _is_link(name: str, dir_fd: int) -> bool:
    try:
        return stat.S_ISLNK(os.lstat(name, dir_fd=dir_fd).st_mode)
    except OSError:
        return False


def size_limit(suffix: str, max_bytes: int = MAX_FILE_BYTES) -> int:
    """The largest file of this type that is read: HTML pages get HTML_SIZE_RATIO times more."""
    return int(max_bytes * HTML_SIZE_RATIO) if suffix.lower() in HTML_SUFFIXES else max_bytes


def parse_article_bytes(
    data: bytes, suffix: str, *, source_path: str | None = None, max_bytes: int = MAX_FILE_BYTES
) -> RawArticle:
    limit = size_limit(suffix, max_bytes)
    if len(data) > limit:
        raise ArticleFileError(f"file too large ({len(data):,} bytes; the limit is {limit:,})")
    if suffix.lower() in HTML_SUFFIXES:
        from bot.sources.pages import raw_from_html  # imported here: bot.sources.pages imports this module

        return raw_from_html(data, None, source_path=source_path, max_bytes=limit, max_text_bytes=max_bytes)
    text = decode(data)
    if not text.strip():
        raise ArticleFileError("empty file")
    if suffix == ".json":
        raw = _from_json(text)
    elif suffix == ".md":
        raw = _from_markdown(text)
    else:
        raw = _from_plain(text)
    if not raw.text.strip() and not (raw.title or "").strip():
        raise ArticleFileError("no article text")
    if not raw.text.strip():
        raise ArticleFileError("a title but no article text")
    return RawArticle(
        text=raw.text,
        title=raw.title,
        author=raw.author,
        url=raw.url,
        published=raw.published,
        publication=raw.publication,
        standfirst=raw.standfirst,
        source_path=source_path,
    )


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with a BOM; anything else is refused, not guessed.
    A few stray NULs are dropped (bot.core.text.strip_stray_nuls)."""
    encoding = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ArticleFileError(f"not valid UTF-8 text (byte {exc.start}: {data[exc.start : exc.start + 1]!r})") from exc
    try:
        return normalise(strip_stray_nuls(text))
    except ValueError as exc:
        raise ArticleFileError(str(exc)) from None


def _from_plain(text: str) -> RawArticle:
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.strip():
            return RawArticle(title=line.strip(), text="\n".join(lines[i + 1 :]))
    raise ArticleFileError("empty file")


# Every pattern below runs in time linear in the line: no nested quantifier can split the same
# characters two ways, and no repetition can scan past the delimiter that would end it, so a
# hostile line (thousands of "[", "**" or "<a", a link that never closes) cannot stall the parser.
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---[ \t]*(?:\n|\Z)", re.S)
_MD_HEADING = re.compile(r"^#{1,6}\s+(.*)$")
_MD_CLOSING_HASHES = re.compile(r"(?:^|\s+)#+\s*$")
_MD_LINK = re.compile(r"!?\[([^\[\]]*)\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"]*\")?\)")
_MD_EMPHASIS = re.compile(
    r"\*\*(?=\S)((?:[^*\n]|\*(?!\*))+?)(?<=\S)\*\*"
    r"|__(?=\S)((?:[^_\n]|_(?!_))+?)(?<=\S)__"
    r"|(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])"
)
_MD_HTML_TAG = re.compile(r"</?[a-zA-Z][^<>\n]*>")


def _from_markdown(text: str) -> RawArticle:
    meta: dict[str, str] = {}
    match = _FRONT_MATTER.match(text)
    if match:
        meta = _parse_front_matter(match.group(1))
        text = text[match.end() :]
    body_lines: list[str] = []
    title = meta.get("title")
    for line in text.split("\n"):
        heading = _MD_HEADING.match(line)
        if heading:
            text = _MD_CLOSING_HASHES.sub("", heading.group(1).strip())
            if title is None:
                title = text
                continue
            # Sub-headings become their own short paragraphs.
            body_lines.extend(["", text, ""])
            continue
        if re.fullmatch(r"\s*(?:[-*_]\s*){3,}", line):  # horizontal rule
            body_lines.append("")
            continue
        body_lines.append(_strip_inline_markdown(line))
    body = "\n".join(body_lines)
    if title is None:
        raw = _from_plain(body)
        title, body = raw.title, raw.text
    return RawArticle(
        text=body,
        title=_strip_inline_markdown(title).strip() or None,
        author=meta.get("author") or meta.get("authors") or meta.get("byline"),
        url=meta.get("url") or meta.get("link"),
        published=meta.get("published") or meta.get("date"),
        publication=meta.get("publication") or meta.get("source") or meta.get("site"),
        standfirst=meta.get("dek") or meta.get("standfirst") or meta.get("description") or meta.get("subtitle"),
    )


def _strip_inline_markdown(line: str) -> str:
    line = re.sub(r"^\s{0,3}>\s?", "", line)  # block quote
    line = _MD_LINK.sub(r"\1", line)
    line = _MD_EMPHASIS.sub(lambda m: m.group(1) or m.group(2) or m.group(3) or "", line)
    line = _MD_HTML_TAG.sub("", line)
    return line.replace("`", "")


def _parse_front_matter(block: str) -> dict[str, str]:
    """The simple `key: value` subset of YAML front matter that article files use."""
    meta: dict[str, str] = {}
    last_key: str | None = None
    for line in block.split("\n"):
        item = re.match(r"^\s*-\s+(.*)$", line)
        if item and last_key:  # a YAML list under the previous key: authors
            value = _unquote(item.group(1))
            meta[last_key] = f"{meta[last_key]} and {value}" if meta.get(last_key) else value
            continue
        pair = re.match(r"^([A-Za-z_][\w-]*)\s*:\s*(.*)$", line)
        if not pair:
            continue
        last_key = pair.group(1).lower()
        value = pair.group(2).strip()
        if value.startswith("[") and value.endswith("]"):
            value = " and ".join(_unquote(v) for v in value[1:-1].split(",") if v.strip())
        meta[last_key] = _unquote(value)
    return {k: v for k, v in meta.items() if v}


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def _from_json(text: str) -> RawArticle:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ArticleFileError(f"invalid JSON (line {exc.lineno}: {exc.msg})") from exc
    except RecursionError:
        raise ArticleFileError("invalid JSON (nested too deeply)") from None
    except ValueError as exc:  # e.g. an integer longer than Python converts
        raise ArticleFileError(f"invalid JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise ArticleFileError("JSON article must be an object with 'title' and 'text'")
    body = data.get("text")
    title = data.get("title")
    if not isinstance(body, str) or not body.strip():
        raise ArticleFileError("JSON article has no 'text' string")
    if title is not None and not isinstance(title, str):
        raise ArticleFileError("JSON article 'title' must be a string")
    author = data.get("author")
    if isinstance(author, list):
        author = " and ".join(str(a) for a in author if isinstance(a, str) and a.strip()) or None
    elif not isinstance(author, str):
        author = None

    def text_field(key: str) -> str | None:
        value = data.get(key)
        return normalise(value).strip() or None if isinstance(value, str) else None

    if not title or not title.strip():
        raw = _from_plain(normalise(body))
        title, body = raw.title, raw.text
    return RawArticle(
        text=normalise(body),
        title=normalise(title).strip(),
        author=normalise(author).strip() if author else None,
        url=text_field("url"),
        published=text_field("published"),
        publication=text_field("publication") or text_field("source"),
        standfirst=text_field("dek") or text_field("standfirst"),
    )
