from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from bot.core.errors import ArticleFileError
from bot.sources.files import parse_article_bytes, read_article_file


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_txt_first_non_empty_line_is_title(tmp_path):
    raw = read_article_file(write(tmp_path, "a.txt", "\n\n  The Title  \n\nBody text here.\n"))
    assert raw.title == "The Title"
    assert raw.text.strip() == "Body text here."


def test_txt_with_bom_and_crlf(tmp_path):
    raw = read_article_file(write(tmp_path, "a.txt", "\ufeffTitle\r\n\r\nBody.\r\n".encode()))
    assert raw.title == "Title"
    assert "\r" not in raw.text


def test_md_front_matter(tmp_path):
    md = (
        '---\ntitle: "Front Title"\nauthor: Jane Doe\nurl: https://example.com/a\npublished: 2024-03-01\n---\n'
        "# Heading Ignored As Title\n\nSome **bold** text with a [link](https://x.y/z).\n"
    )
    raw = read_article_file(write(tmp_path, "a.md", md))
    assert raw.title == "Front Title"
    assert raw.author == "Jane Doe"
    assert raw.url == "https://example.com/a"
    assert raw.published == "2024-03-01"
    assert "Some bold text with a link." in raw.text
    assert "Heading Ignored As Title" in raw.text


def test_md_without_front_matter_uses_heading(tmp_path):
    raw = read_article_file(write(tmp_path, "a.md", "# The Heading\n\nBody paragraph.\n"))
    assert raw.title == "The Heading"
    assert raw.author is None


def test_md_author_list(tmp_path):
    raw = read_article_file(
        write(tmp_path, "a.md", "---\ntitle: T\nauthors:\n  - Jane Doe\n  - John Roe\n---\nBody.\n")
    )
    assert raw.author == "Jane Doe and John Roe"


def test_json_article(tmp_path):
    data = {"title": "J Title", "text": "Body one.\n\nBody two.", "author": "Jane Doe", "url": "https://e.com"}
    raw = read_article_file(write(tmp_path, "a.json", json.dumps(data)))
    assert (raw.title, raw.author, raw.url) == ("J Title", "Jane Doe", "https://e.com")
    assert "Body two." in raw.text


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", "", "empty file"),
        ("blank.txt", "   \n\n  \n", "empty file"),
        ("latin1.txt", "Caf\xe9 title\n\nbody".encode("latin-1"), "not valid UTF-8"),
        ("binary.txt", b"Title\n\x00\x01\x02", "binary content"),
        ("bad.json", "{not json", "invalid JSON"),
        ("list.json", "[1, 2]", "must be an object"),
        ("notext.json", '{"title": "T"}', "no 'text' string"),
        ("titleonly.txt", "Just a title\n", "a title but no article text"),
        ("a.pdf", "whatever", "unsupported file type"),
    ],
)
def test_bad_files_give_reasons(tmp_path, name, content, reason):
    with pytest.raises(ArticleFileError, match=reason):
        read_article_file(write(tmp_path, name, content))


def test_oversized_file(tmp_path):
    path = write(tmp_path, "big.txt", "Title\n\n" + "word " * 1000)
    with pytest.raises(ArticleFileError, match="too large"):
        read_article_file(path, max_bytes=1000)


def test_unreadable_file(tmp_path, monkeypatch):
    path = write(tmp_path, "locked.txt", "Title\n\nBody.")
    real_open = os.open

    def denied(name, flags, *args, **kwargs):  # chmod cannot lock root out, so the refusal is simulated
        if Path(name) == path:
            raise PermissionError(13, "Permission denied")
        return real_open(name, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", denied)
    with pytest.raises(ArticleFileError, match="unreadable: Permission denied"):
        read_article_file(path)


HTML_PAGE = (
    '<html><head><meta charset="windows-1252"><title>Caf\xe9 Owners Win Appeal</title>'
    '<meta name="author" content="Jos\xe9 Pe\xf1a and Ana Ruiz"></head><body><article><h1>Caf\xe9 Owners Win Appeal</h1>'
    + "".join(
        f"<p>The caf\xe9 owners said on Tuesday that the court had ruled in their favour, paragraph {i} of the "
        "story going on long enough for an extractor to take it for an article and not a menu.</p>"
        for i in range(4)
    )
    + "</article></body></html>"
)


@pytest.mark.parametrize("name", ["page.html", "page.HTM"])
def test_html_file_is_read_as_an_article_page(tmp_path, name):
    raw = read_article_file(write(tmp_path, name, HTML_PAGE.encode("cp1252")))
    assert raw.title == "Café Owners Win Appeal"
    assert raw.authors == ("José Peña", "Ana Ruiz")
    assert "The café owners said on Tuesday" in raw.text
    assert raw.source_path == name


def test_html_files_may_be_larger_than_text_files(tmp_path):
    padding = "<!-- " + "x" * 1500 + " -->"
    page = write(tmp_path, "a.html", HTML_PAGE.replace("</head>", padding + "</head>"))
    assert read_article_file(page, max_bytes=1000).title == "Café Owners Win Appeal"  # 2.5 times the limit
    with pytest.raises(ArticleFileError, match="too large"):
        read_article_file(write(tmp_path, "b.html", HTML_PAGE + padding * 2), max_bytes=1000)


def test_html_file_without_an_article_gives_a_reason(tmp_path):
    with pytest.raises(ArticleFileError, match="no article text"):
        read_article_file(write(tmp_path, "menu.html", "<html><body><nav><a href='/'>Home</a></nav></body></html>"))


SPANISH = "La biblioteca del barrio\n\n" + "El ayuntamiento abrió de nuevo la biblioteca el lunes por la mañana. " * 6


def test_a_few_stray_nuls_are_dropped():
    data = SPANISH.encode()
    raw = parse_article_bytes(data[:60] + b"\x00" + data[60:] + b"\x00", ".txt")
    assert raw == parse_article_bytes(data, ".txt")
    page = f"<html lang='es'><body><article><p>{SPANISH}</p></article></body></html>".encode()
    assert "\x00" not in parse_article_bytes(page[:70] + b"\x00" + page[70:], ".html").text


@pytest.mark.parametrize(
    "data",
    [
        b"Title\n\n" + b"text\x00" * 40,  # a NUL every few bytes: UTF-16 read as UTF-8, or binary
        b"<html><body>" + b"\x00\x01" * 50 + b"</body></html>",
    ],
)
def test_many_nuls_are_still_binary(data):
    for suffix in (".txt", ".html"):
        with pytest.raises(ArticleFileError, match="binary content"):
            parse_article_bytes(data, suffix)
