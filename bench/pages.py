"""Briefs on real web pages: article text, title, byline, standfirst and junk in briefs, beside
trafilatura's own extraction; and speaker accuracy on the quotation files, in one run.

    python -m bench.pages ../shared/eval/pages.jsonl.gz [--errors] [--jobs N] [--quotes FILE ...]

Each page goes the way the bot reads it: ``bot.sources.pages.read_page(html, url)`` (trafilatura
plus briefbot's own choices), then ``bot.analysis.parsing.parse_article``, ``analyse`` and
``make_brief`` (3 sentences).

Measures (per page, averaged over the pages that have the expectation; a page the bot cannot read
scores 0):

- Text: token precision, recall and F1 of the text against ``expected.text`` (the mozilla/readability
  pages), multiset overlap. Tokens: NFKC, case-folded, accents removed; runs of letters and digits
  (``\\w+``), except that each Han, Hiragana and Katakana character is a token of its own (those
  scripts put no spaces between words), so CJK pages count. Three texts of ours: the raw text
  (``RawArticle.text``, before parsing), the Article's paragraphs joined (what briefs are made
  from); and trafilatura.extract's text with default settings, favor_precision and favor_recall
  as the baseline, computed in the same run.
- Title: the Article's title against ``expected.title`` after normalising case, accents, quotes,
  punctuation and whitespace (only the word tokens compared): exact, and lenient (one contains the
  other, as when a site name is appended).
- Byline: the Article's writers' names (people credited in another role, "Edited by", "Translated
  by", are counted apart) against ``expected.byline`` (tokens as above). Exact: the
  names' tokens, in order, are the byline's tokens with a leading "by" and the separating "and"
  left out. Lenient: at least one name, and every name is a contiguous run of the byline's tokens
  (no name made up; a byline with a role or a site name still matches the name in it). Pages with
  no expected byline count as right when no name is found.
- Standfirst: how often there is one, its token F1 against ``expected.excerpt`` where both exist.
- Junk: a brief line (the title, the standfirst, each summary sentence) is junk when
  (pattern) it has at most 20 tokens and the word share/subscribe/sign up/newsletter/cookie/
  advertisement, "all rights reserved", "read more", "click here", "photo:", "image:", "credit:" or ©; or most of its
  tokens are digits (a timestamp or date alone); or it has 3 or more separators (| › » · • >),
  as breadcrumbs do; or a summary sentence or standfirst has fewer than 4 tokens;
  (off-text) on pages with ``expected.text``, a summary sentence of which fewer than 60% of the
  token bigrams (tokens, for one-token lines) occur in the expected text.
  The count is of briefs with at least one junk line; --errors lists each line and its rule.
- Quotations: bench.quality's scoring (evaluate_quotes) on each quotation file, one line each:
  recall and precision of direct quotations and the right speaker where the gold speaker is a name.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import sys
import time
import unicodedata
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

SUMMARY_SENTENCES = 3
TRAFILATURA_MODES = {
    "trafilatura.extract, default": {},
    "trafilatura.extract, favor_precision": {"favor_precision": True},
    "trafilatura.extract, favor_recall": {"favor_recall": True},
}

# --- pure helpers (tests/bench/test_pages.py) ----------------------------------------------------

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+")


def tokens(text: str | None) -> list[str]:
    """Lower-cased word tokens, Latin-script accents removed; one token per Han/Hiragana/Katakana character."""
    if not text:
        return []
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    folded = unicodedata.normalize("NFC", "".join(c for c in folded if not "\u0300" <= c <= "\u036f"))
    return [t for t in _TOKEN.findall(folded) if t != "_"]


def prf(expected: list[str], found: list[str]) -> tuple[float, float, float]:
    """Precision, recall and F1 of found tokens against expected ones (multiset overlap)."""
    if not expected or not found:
        return 0.0, 0.0, 0.0
    common = sum((Counter(expected) & Counter(found)).values())
    if not common:
        return 0.0, 0.0, 0.0
    p, r = common / len(found), common / len(expected)
    return p, r, 2 * p * r / (p + r)


def title_match(expected: str, found: str | None) -> tuple[bool, bool]:
    """(exact, lenient): the same word tokens; or one's tokens a contiguous run of the other's."""
    e, f = tokens(expected), tokens(found)
    if not e or not f:
        return False, False
    return e == f, e == f or _contains(e, f) or _contains(f, e)


def _contains(longer: list[str], shorter: list[str]) -> bool:
    n = len(shorter)
    return any(longer[i : i + n] == shorter for i in range(len(longer) - n + 1))


def byline_match(expected: str | None, names: list[str]) -> tuple[bool, bool]:
    """(exact, lenient), as the module docstring states. No expected byline: right when no name."""
    e = tokens(expected)
    found = [t for t in (tokens(n) for n in names) if t]
    if not e:
        return not found, not found
    if not found:
        return False, False
    core = [t for t in (e[1:] if e[0] == "by" else e) if t != "and"]
    exact = core == [t for name in found for t in name]
    return exact, all(_contains(e, name) for name in found)


_JUNK_PHRASES = re.compile(
    r"\b(?:share|subscribe|sign[ -]?up|newsletters?|cookies?|all rights reserved|advertisement|read more|"
    r"click here)\b|\b(?:photo|image|credit)s?:|©",
    re.I,
)
PATTERN_MAX_TOKENS = 20  # a phrase in a longer line is prose ("a photo he shared"), not a site's chrome
_SEPARATORS = re.compile(r"[|›»·•>]")


def junk_rule(line: str, *, short_is_junk: bool = True) -> str | None:
    """The pattern rule (no reference text needed): the rule's name, or None when the line is clean."""
    toks = tokens(line)
    if _JUNK_PHRASES.search(line) and len(toks) <= PATTERN_MAX_TOKENS:
        return "pattern"
    if toks and sum(t.isdigit() for t in toks) * 2 > len(toks):
        return "timestamp"
    if len(_SEPARATORS.findall(line)) >= 3:
        return "breadcrumb"
    if short_is_junk and len(toks) < 4:
        return "short"
    return None


def bigrams(toks: list[str]) -> list[tuple[str, ...]]:
    return [tuple(toks[i : i + 2]) for i in range(len(toks) - 1)] if len(toks) > 1 else [tuple(toks)]


def in_text_share(line: str, text_grams: set[tuple[str, ...]], text_tokens: set[str]) -> float:
    """Share of the line's token bigrams (its tokens, for a one-token line) found in the text."""
    toks = tokens(line)
    if not toks:
        return 1.0
    if len(toks) == 1:
        return float(toks[0] in text_tokens)
    grams = bigrams(toks)
    return sum(g in text_grams for g in grams) / len(grams)


def junk_lines(
    title: str | None, standfirst: str | None, summary: list[str], expected_text: str | None
) -> list[tuple[str, str, str]]:
    """(field, rule, line) for each junk line of a brief."""
    flagged: list[tuple[str, str, str]] = []
    if title and (rule := junk_rule(title, short_is_junk=False)):
        flagged.append(("title", rule, title))
    if standfirst and (rule := junk_rule(standfirst)):
        flagged.append(("standfirst", rule, standfirst))
    ref = tokens(expected_text)
    grams, vocab = set(bigrams(ref)), set(ref)
    for sentence in summary:
        rule = junk_rule(sentence)
        if rule is None and ref and in_text_share(sentence, grams, vocab) < 0.6:
            rule = "off-text"
        if rule:
            flagged.append(("summary", rule, sentence))
    return flagged


def _none(value: Any) -> Any:
    """The eval file writes some missing values as the string 'None'."""
    return None if value in (None, "None", "") else repair(value) if isinstance(value, str) else value


_MOJIBAKE = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]"
)


def repair(text: str) -> str:
    """Undo mojibake: UTF-8 bytes read as latin-1/cp1252 ("FranÃ§ais"), as in about half of the eval
    file's expected texts. Texts without the pattern of such mojibake come back unchanged. Inside a
    multi-byte sequence a plain space stands for a lost non-breaking space (byte A0) and is put back;
    bytes that still do not decode become U+FFFD."""
    if not _MOJIBAKE.search(text):
        return text
    data = bytearray()
    for ch in text:
        if ord(ch) < 256:
            data.append(ord(ch))
        else:
            try:
                data += ch.encode("cp1252")
            except UnicodeError:
                data += ch.encode("utf-8")
    need = 0  # continuation bytes still expected in the current sequence
    for i, byte in enumerate(data):
        if need and (byte == 0x20 or 0x80 <= byte <= 0xBF):
            data[i] = 0xA0 if byte == 0x20 else byte
            need -= 1
            continue
        need = 1 if 0xC2 <= byte <= 0xDF else 2 if 0xE0 <= byte <= 0xEF else 3 if 0xF0 <= byte <= 0xF4 else 0
    return data.decode("utf-8", errors="replace")


# --- one page ------------------------------------------------------------------------------------


def score_page(record: dict[str, Any]) -> dict[str, Any]:
    """Everything measured on one page (run in a worker process)."""
    import trafilatura

    from bot.analysis.engine import analyse, make_brief
    from bot.analysis.parsing import parse_article
    from bot.core.errors import ArticleFileError
    from bot.sources.pages import read_page

    expected = {k: _none(v) for k, v in record["expected"].items()}
    out: dict[str, Any] = {"id": record["id"], "lang": record.get("lang"), "expected": expected}
    start = time.process_time()
    try:
        page = read_page(record["html"], record.get("url"))
    except ArticleFileError as exc:
        out["error"] = str(exc)
        page = None
    if page is not None:
        article = parse_article(page.raw)
        brief = make_brief(article, analyse(article), SUMMARY_SENTENCES)
        out |= {
            "raw_text": page.raw.text,
            "body": article.body,
            "title": article.title,
            "names": [a.name for a in article.authors if not a.credit],
            "credits": [f"{a.name} ({a.credit})" for a in article.authors if a.credit],
            "standfirst": article.standfirst,
            "summary": list(brief.summary),
        }
    out["seconds"] = time.process_time() - start
    if expected.get("text"):
        for name, options in TRAFILATURA_MODES.items():
            try:
                out[name] = trafilatura.extract(record["html"], url=record.get("url"), **options) or ""
            except Exception:  # a baseline failing on broken markup scores 0
                out[name] = ""
    return out


def quote_chunk(records: list[dict[str, Any]]) -> dict[str, Any]:
    from bench.quality import evaluate_quotes

    return evaluate_quotes(records)


# --- aggregation ---------------------------------------------------------------------------------


def summarise(pages: list[dict[str, Any]]) -> dict[str, Any]:
    with_text = [p for p in pages if p["expected"].get("text")]
    text: dict[str, list[float]] = {}
    systems = ["briefbot raw text (before parsing)", "briefbot Article paragraphs", *TRAFILATURA_MODES]
    keys = ["raw_text", "body", *TRAFILATURA_MODES]
    for label, key in zip(systems, keys, strict=True):
        scores = [prf(tokens(p["expected"]["text"]), tokens(p.get(key))) for p in with_text]
        text[label] = [sum(s[i] for s in scores) / len(scores) if scores else 0.0 for i in range(3)]
    read = [p for p in pages if "error" not in p]
    groups = {"all": pages} | {
        g: [p for p in pages if p["id"].startswith(g + "/")] for g in ("readability", "postlight")
    }
    titles = {
        g: _tally([title_match(p["expected"]["title"], p.get("title")) for p in ps if p["expected"].get("title")])
        for g, ps in groups.items()
    }
    bylines = {
        g: _tally(
            [byline_match(p["expected"]["byline"], p.get("names", [])) for p in ps if p["expected"].get("byline")]
        )
        for g, ps in groups.items()
    }
    # readability's expectations say "no byline" (None) where it finds none; postlight's per-site tests
    # often leave the author unchecked, so a missing byline there is no expectation.
    readability = groups["readability"]
    bylines["readability, none expected counts"] = _tally(
        [byline_match(p["expected"].get("byline"), p.get("names", [])) for p in readability]
    )
    with_excerpt = [p for p in pages if p["expected"].get("excerpt")]
    both = [p for p in with_excerpt if p.get("standfirst")]
    junk = {
        p["id"]: junk_lines(p.get("title"), p.get("standfirst"), p.get("summary", []), p["expected"].get("text"))
        for p in read
    }
    rules = Counter(rule for lines in junk.values() for _f, rule, _l in lines)
    fields = Counter(field for lines in junk.values() for field, _r, _l in lines)
    return {
        "pages": len(pages),
        "read": len(read),
        "langs": Counter((p["lang"] or "unknown").split("-")[0].lower() for p in pages),
        "text_pages": len(with_text),
        "text": text,
        "titles": titles,
        "bylines": bylines,
        "byline_none_found": sum(1 for p in pages if p["expected"].get("byline") and not p.get("names")),
        "byline_invented": sum(1 for p in readability if not p["expected"].get("byline") and p.get("names")),
        "credits": (sum(len(p.get("credits", [])) for p in read), sum(1 for p in read if p.get("credits"))),
        "standfirst": (sum(1 for p in read if p.get("standfirst")), len(read)),
        "excerpt_pages": len(with_excerpt),
        "standfirst_with_excerpt": len(both),
        "standfirst_f1": sum(prf(tokens(p["expected"]["excerpt"]), tokens(p["standfirst"]))[2] for p in both)
        / len(both)
        if both
        else 0.0,
        "standfirst_junk": fields["standfirst"],
        "junk_briefs": sum(1 for lines in junk.values() if lines),
        "junk_rules": rules,
        "junk_fields": fields,
        "junk": junk,
        "cpu_seconds": sum(p["seconds"] for p in pages),
    }


def _tally(pairs: list[tuple[bool, bool]]) -> tuple[int, int, int]:
    return sum(e for e, _ in pairs), sum(x for _, x in pairs), len(pairs)


def print_report(s: dict[str, Any], pages: list[dict[str, Any]], errors: bool, out=sys.stdout) -> None:
    def pct(hits: int, total: int) -> str:
        return f"{hits / total:.3f} ({hits}/{total})" if total else "-"

    langs = ", ".join(f"{k} {v}" for k, v in s["langs"].most_common())
    print(f"Pages: {s['pages']}, read by briefbot: {s['read']}. Languages (`lang`): {langs}", file=out)
    print(f"\nArticle text vs expected.text, {s['text_pages']} pages, mean token P / R / F1", file=out)
    print("| system | precision | recall | F1 |\n|---|---|---|---|", file=out)
    for name, (p, r, f) in s["text"].items():
        print(f"| {name} | {p:.3f} | {r:.3f} | {f:.3f} |", file=out)
    print("\n| measure | value |\n|---|---|", file=out)
    for group, (exact, lenient, n) in s["titles"].items():
        print(
            f"| title, {group}: exact (normalised) / lenient (one contains the other) | "
            f"{pct(exact, n)} / {pct(lenient, n)} |",
            file=out,
        )
    for group, (exact, lenient, n) in s["bylines"].items():
        print(
            f"| byline, {group}: exact / lenient (every name found is in the byline) | "
            f"{pct(exact, n)} / {pct(lenient, n)} |",
            file=out,
        )
    print(f"| no name found where a byline is expected | {s['byline_none_found']} |", file=out)
    print(f"| a name found where readability expects no byline | {s['byline_invented']} |", file=out)
    print(
        f"| people credited in another role (editor, translator, ...) | {s['credits'][0]} on {s['credits'][1]} pages |",
        file=out,
    )
    print(f"| standfirst present (pages read) | {pct(*s['standfirst'])} |", file=out)
    print(
        f"| standfirst present where expected.excerpt is | {pct(s['standfirst_with_excerpt'], s['excerpt_pages'])} |",
        file=out,
    )
    print(f"| standfirst token F1 vs expected.excerpt, where both | {s['standfirst_f1']:.3f} |", file=out)
    print(f"| standfirst junk (rule below) | {s['standfirst_junk']} |", file=out)
    rules = ", ".join(f"{k} {v}" for k, v in s["junk_rules"].most_common()) or "none"
    fields = ", ".join(f"{k} {v}" for k, v in s["junk_fields"].most_common()) or "none"
    print(f"| briefs ({SUMMARY_SENTENCES} sentences) with a junk line | {pct(s['junk_briefs'], s['read'])} |", file=out)
    print(f"| junk lines by rule | {rules} |", file=out)
    print(f"| junk lines by field | {fields} |", file=out)
    print(
        "\nJunk rule: a title, standfirst or summary sentence of at most 20 tokens with the word share/subscribe/"
        "sign up/newsletter/cookie/advertisement, 'all rights reserved', 'read more', 'click here', photo:, image:, "
        "credit: or © (pattern); "
        "mostly digit tokens (timestamp); 3+ of | › » · • > (breadcrumb); a standfirst or summary sentence "
        "under 4 tokens (short); on pages with expected.text, a summary sentence with under 60% of its "
        "token bigrams in that text (off-text).",
        file=out,
    )
    print(f"briefbot CPU time for reading, parsing and briefing: {s['cpu_seconds']:.1f} s", file=out)
    if not errors:
        return
    print("\n### Misses", file=out)
    for p in pages:
        e = p["expected"]
        if "error" in p:
            print(f"UNREAD {p['id']}: {p['error']}", file=out)
            continue
        if e.get("title") and not title_match(e["title"], p.get("title"))[0]:
            print(f"TITLE  {p['id']}: expected {e['title']!r} got {p.get('title')!r}", file=out)
        if not byline_match(e.get("byline"), p.get("names", []))[0]:
            print(f"BYLINE {p['id']}: expected {e.get('byline')!r} got {p.get('names')}", file=out)
        if p.get("credits"):
            print(f"CREDITS {p['id']}: {p['credits']}", file=out)
        for field, rule, line in s["junk"].get(p["id"], []):
            print(f"JUNK   {p['id']} {field} [{rule}]: {line[:160]!r}", file=out)
        if e.get("text"):
            f1 = prf(tokens(e["text"]), tokens(p.get("body")))[2]
            if f1 < 0.8:
                print(
                    f"TEXT   {p['id']}: F1 {f1:.3f} ({len(tokens(p.get('body')))} tokens, "
                    f"expected {len(tokens(e['text']))})",
                    file=out,
                )


def read_records(path: Path) -> list[dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def combine_quotes(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """bench.quality's quotation counts summed over chunks of one file."""
    total = {k: sum(p[k] for p in parts) for k in ("direct_gold", "matched", "right", "false_positives")}
    total |= {
        "named": sum(p["speaker_named_n"] for p in parts),
        "named_right": sum(p["speaker_named_right"] for p in parts),
    }
    predicted = total["right"] + total["false_positives"]
    return total | {"precision": total["right"] / predicted if predicted else 0.0}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pages", description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", type=Path, help="pages.jsonl.gz (or .jsonl)")
    parser.add_argument("--errors", action="store_true", help="list title, byline, text misses and junk lines")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes")
    parser.add_argument(
        "--quotes",
        type=Path,
        nargs="*",
        default=None,
        help="quotation files (default: quotes.jsonl and quotes_more.jsonl beside the pages file)",
    )
    args = parser.parse_args(argv)
    start = time.perf_counter()
    records = read_records(args.pages)
    quote_files = (
        args.quotes
        if args.quotes is not None
        else [p for p in (args.pages.parent / "quotes.jsonl", args.pages.parent / "quotes_more.jsonl") if p.is_file()]
    )
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        page_futures = [pool.submit(score_page, r) for r in records]
        quote_futures = {}
        for path in quote_files:
            qs = read_records(path)
            quote_futures[path.name] = [pool.submit(quote_chunk, qs[i : i + 40]) for i in range(0, len(qs), 40)]
        pages = [f.result() for f in page_futures]
        quotes = {name: combine_quotes([f.result() for f in fs]) for name, fs in quote_futures.items()}
    print(f"## {args.pages.name}\n")
    print_report(summarise(pages), pages, args.errors)
    if quotes:
        print("\nQuotations (bench.quality scoring: direct quotations; the speaker where the gold one is a name)")
        for name, q in quotes.items():
            print(
                f"{name}: recall {q['matched'] / q['direct_gold']:.3f} ({q['matched']}/{q['direct_gold']}), "
                f"precision {q['precision']:.3f}, right speaker {q['named_right'] / q['named']:.3f} "
                f"({q['named_right']}/{q['named']})"
            )
    print(f"\nWall clock {time.perf_counter() - start:.0f} s with {args.jobs} worker(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
