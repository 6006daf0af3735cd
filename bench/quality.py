"""Brief quality on evaluation files: summaries (ROUGE vs Lead-3), quotations (precision, recall, speakers),
authors of web pages (accuracy vs trafilatura's own author metadata, and extraction speed).

    python -m bench.quality ../shared/eval/summaries.jsonl ../shared/eval/quotes.jsonl [--sentences 3]
    python -m bench.quality ../shared/eval/authors.jsonl [--errors]

The kind of each file is told by its records: `article` + `reference` is a summary set, `quotes` a
quotation set, `expected_authors` + `text_or_html` an author set. Lead-3 is computed in the same run
from the same sentence splitting, and trafilatura's author from the same extraction, so each
comparison is like for like. Needs the `bench` extra (rouge-score).
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bot.analysis.engine import analyse
from bot.analysis.parsing import parse_article
from bot.core.errors import ArticleFileError
from bot.core.models import RawArticle
from bot.core.text import fold, normalise, split_sentences
from bot.library.ingest import analyse_raw

PRONOUNS = {"he", "she", "they", "i", "we", "it", "him", "her", "you"}


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Records of a JSON Lines file, gzipped when its name ends in .gz."""
    with gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


# --- summaries -----------------------------------------------------------------------------------


def summary_article(record: dict[str, Any]):
    """The eval article has one sentence or paragraph per line and no title: all of it is body."""
    text = "\n\n".join(line for line in record["article"].split("\n") if line.strip())
    return parse_article(RawArticle(text=normalise(text), title=None))


def evaluate_summaries(records: list[dict[str, Any]], n: int) -> dict[str, dict[str, float]]:
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL", "rougeLsum"], use_stemmer=True)
    totals: dict[str, Counter[str]] = {"briefbot": Counter(), "Lead-3": Counter()}
    for record in records:
        reference = "\n".join(record["reference_sentences"])
        article = summary_article(record)
        ours = analyse(article).summary(n)
        lead = [s for line in record["article"].split("\n") for s in split_sentences(line)][:n]
        for name, sents in (("briefbot", ours), (f"Lead-{n}", lead)):
            scores = scorer.score(reference, "\n".join(sents))
            bucket = totals.setdefault(name, Counter())
            for key, value in scores.items():
                bucket[key] += value.fmeasure
    return {name: {k: 100 * v / len(records) for k, v in t.items()} for name, t in totals.items()}


# --- quotations ----------------------------------------------------------------------------------

_TOKEN = re.compile(r"\w+")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(fold(text))


def overlap(gold: str, predicted: str) -> float:
    """Share of the gold content's tokens that the prediction contains (multiset)."""
    g = Counter(tokens(gold))
    p = Counter(tokens(predicted))
    if not g:
        return 0.0
    return sum((g & p).values()) / sum(g.values())


def strip_marks(text: str) -> str:
    return text.strip().strip("“”\"‘’'«» ,.")


def same_speaker(gold: str, predicted: str | None) -> bool:
    if not predicted:
        return False
    g, p = tokens(gold), tokens(predicted)
    if not g or not p:
        return False
    # Gold mentions often carry a title or description ("Mr. Morgan of the Sierra Club"): the
    # prediction is right when its surname is among the gold mention's words, or the names nest.
    return g == p or set(g) <= set(p) or set(p) <= set(g) or p[-1] in g


def is_name(mention: str) -> bool:
    """Whether a gold speaker mention is headed by a proper name ("Mr. Morgan of the Sierra Club",
    "Scott Pruitt, the attorney general") rather than a pronoun or a description ("the union",
    "a narrator in the Clinton ad", "Obama's former campaign strategist")."""
    head = re.split(r",|\(|\s(?:of|in|at|from|for|who|with)\s", mention.strip())[0].split()
    if not head or head[0].lower() in PRONOUNS:
        return False
    return head[-1][:1].isupper()


def quote_article(record: dict[str, Any]):
    text = record["text"]
    first, _, rest = text.partition("\n")
    if rest.strip() and len(first.split()) <= 30:
        return parse_article(RawArticle(text=normalise(rest), title=normalise(first).strip()))
    return parse_article(RawArticle(text=normalise(text), title=None))


def evaluate_quotes(records: list[dict[str, Any]], show_errors: bool = False) -> dict[str, Any]:
    tp = fp = fn = fp_mixed = right = 0  # tp, fn: gold quotations; right, fp, fp_mixed: predictions
    named = named_right = pronoun = pronoun_right = 0
    mixed_found = mixed_total = 0
    errors: list[str] = []
    for record in records:
        predicted = list(analyse(quote_article(record)).quotes)
        direct = [q for q in record["quotes"] if q["type"] == "direct"]
        mixed = [q for q in record["quotes"] if q["type"] == "mixed"]
        used: set[int] = set()
        for g in direct:
            best = max(range(len(predicted)), key=lambda i: overlap(g["content"], predicted[i].text), default=None)
            if best is None or overlap(g["content"], predicted[best].text) < 0.5:
                fn += 1
                if show_errors:
                    errors.append(f"MISS  {record['id'][:40]}: {strip_marks(g['content'])[:120]!r}")
                continue
            tp += 1
            used.add(best)
            speaker = g.get("speaker")
            if speaker and is_name(speaker):
                named += 1
                ok = same_speaker(speaker, predicted[best].speaker)
                named_right += ok
                if show_errors and not ok:
                    s, e = g["content_spans"][0]
                    around = record["text"][max(0, s - 120) : e + 100].replace("\n", " / ")
                    errors.append(f"WHO   gold {speaker!r} got {predicted[best].speaker!r}: {around!r}")
            elif speaker and tokens(speaker) and tokens(speaker)[0] in PRONOUNS:
                pronoun += 1
                pronoun_right += predicted[best].speaker is not None
        for g in mixed:
            mixed_total += 1
            mixed_found += any(overlap(strip_marks(p.text), g["content"]) >= 0.5 for p in predicted)
        # A prediction is right when it is the best match of a gold direct quotation or when at least
        # half of its own tokens lie inside one (the gold may split or join quotes differently).
        for i, p in enumerate(predicted):
            if i in used or any(overlap(strip_marks(p.text), g["content"]) >= 0.5 for g in direct):
                right += 1
                continue
            if any(overlap(strip_marks(p.text), g["content"]) >= 0.5 for g in mixed):
                fp_mixed += 1
                continue
            fp += 1
            if show_errors:
                errors.append(f"EXTRA {p.text[:100]!r} ({p.speaker}) in: {p.context[:160]!r}")
    return {
        "direct_gold": tp + fn,
        "matched": tp,
        "recall": tp / (tp + fn) if tp + fn else 0.0,
        # Precision counts predictions (recall counts gold quotations): of the predicted quotations,
        # the share that are direct quotations of the gold.
        "precision": right / (right + fp) if right + fp else 0.0,
        "precision_strict": right / (right + fp + fp_mixed) if right + fp + fp_mixed else 0.0,
        "false_positives": fp,
        "right": right,
        "speaker_named_right": named_right,
        "mixed_predictions": fp_mixed,
        "speaker_named": named_right / named if named else 0.0,
        "speaker_named_n": named,
        "pronoun_resolved": pronoun_right / pronoun if pronoun else 0.0,
        "pronoun_n": pronoun,
        "mixed_found": mixed_found,
        "mixed_total": mixed_total,
        "errors": errors,
    }


def _matches_direct(text: str, direct: list[dict[str, Any]]) -> bool:
    return any(overlap(g["content"], text) >= 0.5 for g in direct)


# --- authors of web pages ------------------------------------------------------------------------


def name_key(name: str) -> tuple[str, ...]:
    return tuple(tokens(name))


def same_authors(expected: list[str], found: list[str]) -> bool:
    """The same people: names compared as words (case, accents and punctuation ignored), any order."""
    got = sorted(k for k in map(name_key, found) if k)
    return bool(got) and got == sorted(map(name_key, expected))


def evaluate_authors(records: list[dict[str, Any]], show_errors: bool = False) -> dict[str, Any]:
    """Authors as the engine names them (page -> raw_from_html -> parsing and analysis -> the
    Article's authors) beside trafilatura's own author metadata from the same extraction.
    Records flagged `noisy` are left out. Halves are even and odd positions among the scored
    records (0-based), so a figure on one half can be checked against the other."""
    from bot.sources.pages import read_page

    scored = [r for r in records if not r.get("noisy")]
    ours = [False] * len(scored)
    theirs = [False] * len(scored)
    none_found = 0
    seconds: list[float] = []
    errors: list[str] = []
    start = time.perf_counter()
    if scored:  # the first call imports trafilatura: timed apart
        with contextlib.suppress(ArticleFileError):
            read_page(scored[0]["text_or_html"], scored[0].get("url"))
    first_call = time.perf_counter() - start
    cpu = 0.0
    for i, record in enumerate(scored):
        start, start_cpu = time.perf_counter(), time.process_time()
        try:
            page = read_page(record["text_or_html"], record.get("url"))
        except ArticleFileError as exc:
            page = None
            errors.append(f"SKIP  {i:3d} {record['id']}: {exc}")
        seconds.append(time.perf_counter() - start)
        cpu += time.process_time() - start_cpu
        if page is None:
            none_found += 1
            continue
        article, _analysis = analyse_raw(page.raw)
        names = [a.name for a in article.authors if not a.credit]  # the writers: editors etc. apart
        none_found += not names
        ours[i] = same_authors(record["expected_authors"], names)
        theirs[i] = same_authors(record["expected_authors"], (page.trafilatura_author or "").split(";"))
        if not ours[i]:
            errors.append(f"MISS  {i:3d} {record['id']}: expected {record['expected_authors']}, got {names}")

    def share(hits: list[bool], half: int | None = None) -> tuple[int, int]:
        picked = hits if half is None else hits[half::2]
        return sum(picked), len(picked)

    return {
        "records": len(records),
        "noisy": len(records) - len(scored),
        "briefbot": {name: share(ours, half) for name, half in (("all", None), ("even", 0), ("odd", 1))},
        "trafilatura": {name: share(theirs, half) for name, half in (("all", None), ("even", 0), ("odd", 1))},
        "none_found": none_found,
        "seconds": seconds,
        "first_call": first_call,
        "cpu_seconds": cpu,
        "mean_kb": statistics.fmean(len(r["text_or_html"].encode("utf-8")) / 1000 for r in scored) if scored else 0.0,
        "errors": errors if show_errors else [],
    }


# --- output --------------------------------------------------------------------------------------


def published_baselines(path: Path) -> dict[str, dict[str, float]]:
    """Systems that need downloads to run here (sumy's LexRank needs NLTK data), from the eval
    folder's baselines_results.json: shown for reference, marked as not computed in this run."""
    results = path.parent / "baselines_results.json"
    if not results.is_file():
        return {}
    data = json.loads(results.read_text(encoding="utf-8"))
    out: dict[str, dict[str, float]] = {}
    for entry in data.values():
        for name, scores in entry.get("scores", {}).items():
            if name.startswith("Lead"):
                continue
            out[f"{name} (published)"] = {k: v["f1"] for k, v in scores.items()}
    return out


def print_summary_table(results: dict[str, dict[str, float]], n_records: int, n: int, out=sys.stdout) -> None:
    lead = results[f"Lead-{n}"]
    print(f"Summaries: {n_records} articles, {n} sentences, ROUGE F1 x100 (rouge-score, Porter stemming)", file=out)
    print("| system | R-1 | R-2 | R-L | R-Lsum | R-1 / Lead-3 |", file=out)
    print("|---|---|---|---|---|---|", file=out)
    for name, s in results.items():
        ratio = s["rouge1"] / lead["rouge1"] if lead["rouge1"] else 0.0
        print(
            f"| {name} | {s['rouge1']:.2f} | {s['rouge2']:.2f} | {s['rougeL']:.2f} | {s['rougeLsum']:.2f} | "
            f"{ratio:.3f} |",
            file=out,
        )


def halves(records: list[dict[str, Any]], *, interleaved: bool) -> list[tuple[str, list[dict[str, Any]]]]:
    """A file's two halves: first and second, or (``interleaved``) even and odd records."""
    if interleaved:
        return [("even records", records[0::2]), ("odd records", records[1::2])]
    middle = len(records) // 2
    return [("first half", records[:middle]), ("second half", records[middle:])]


def print_summary_halves(records: list[dict[str, Any]], n: int, out=sys.stdout) -> None:
    print(f"\n| half | articles | briefbot R-1 | Lead-{n} R-1 |", file=out)
    print("|---|---|---|---|", file=out)
    for name, part in halves(records, interleaved=False):
        r = evaluate_summaries(part, n)
        print(f"| {name} | {len(part)} | {r['briefbot']['rouge1']:.2f} | {r[f'Lead-{n}']['rouge1']:.2f} |", file=out)


def print_quote_halves(records: list[dict[str, Any]], out=sys.stdout) -> None:
    print("\n| half | records | recall | precision | right speaker (gold a name) |", file=out)
    print("|---|---|---|---|---|", file=out)
    for name, part in halves(records, interleaved=True):
        r = evaluate_quotes(part)
        print(
            f"| {name} | {len(part)} | {r['recall']:.3f} | {r['precision']:.3f} "
            f"| {r['speaker_named']:.3f} (n={r['speaker_named_n']}) |",
            file=out,
        )


def print_quote_table(r: dict[str, Any], out=sys.stdout) -> None:
    print("Quotations (gold type `direct`; a match shares at least half of the gold content's tokens)", file=out)
    print("| measure | value |", file=out)
    print("|---|---|", file=out)
    rows: Iterable[tuple[str, str]] = (
        ("direct quotations (gold)", str(r["direct_gold"])),
        ("recall", f"{r['recall']:.3f} ({r['matched']}/{r['direct_gold']})"),
        ("precision (quoted phrases of gold `mixed` attributions not counted)", f"{r['precision']:.3f}"),
        ("precision, strict (every prediction not matching a direct quote is wrong)", f"{r['precision_strict']:.3f}"),
        (
            "right speaker, gold speaker a name (its head word is capitalised)",
            f"{r['speaker_named']:.3f} (n={r['speaker_named_n']})",
        ),
        ("pronoun speakers resolved to someone", f"{r['pronoun_resolved']:.3f} (n={r['pronoun_n']})"),
        ("gold `mixed` quotations found", f"{r['mixed_found']}/{r['mixed_total']}"),
    )
    for name, value in rows:
        print(f"| {name} | {value} |", file=out)


def print_author_table(r: dict[str, Any], out=sys.stdout) -> None:
    n = r["records"] - r["noisy"]
    print(
        f"Authors: {n} pages ({r['noisy']} flagged noisy left out); a page is right when the names match the "
        "expected ones (case, accents and punctuation ignored, any order)",
        file=out,
    )
    print("| system | all | even half | odd half |", file=out)
    print("|---|---|---|---|", file=out)

    def cell(hits: int, total: int) -> str:
        return f"{hits / total:.3f} ({hits}/{total})" if total else "-"

    for label, key in (
        ("briefbot (raw_from_html, then parsing: the Article's authors)", "briefbot"),
        ("trafilatura's author metadata, same extraction and matching", "trafilatura"),
    ):
        row = r[key]
        print(f"| {label} | {cell(*row['all'])} | {cell(*row['even'])} | {cell(*row['odd'])} |", file=out)
    print(f"\nPages where briefbot found no author: {r['none_found']} of {n}", file=out)
    seconds = r["seconds"]
    if seconds:
        ms = sorted(s * 1000 for s in seconds)
        print(
            f"raw_from_html speed, one core: {len(seconds) / sum(seconds):.1f} pages/s wall clock, "
            f"{len(seconds) / r['cpu_seconds']:.1f} pages/s of CPU time "
            f"(mean {statistics.fmean(ms):.0f} ms, median {statistics.median(ms):.0f} ms, "
            f"slowest {ms[-1]:.0f} ms; pages of {r['mean_kb']:.0f} KB on average; a first call beforehand, "
            f"importing trafilatura, took {r['first_call']:.1f} s and is not counted)",
            file=out,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.quality", description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", type=Path, help="eval JSON Lines files")
    parser.add_argument("--sentences", type=int, default=3)
    parser.add_argument(
        "--errors", action="store_true", help="list each quotation miss, extra and wrong speaker, and each author miss"
    )
    parser.add_argument(
        "--halves",
        action="store_true",
        help="also score each half of a summary file (first and second) and of a quotation file (even and odd records)",
    )
    args = parser.parse_args(argv)
    for path in args.files:
        records = read_jsonl(path)
        print(f"\n## {path.name}\n")
        if records and "reference" in records[0]:
            results = evaluate_summaries(records, args.sentences) | published_baselines(path)
            print_summary_table(results, len(records), args.sentences)
            if args.halves:
                print_summary_halves(records, args.sentences)
        elif records and "expected_authors" in records[0]:
            result = evaluate_authors(records, show_errors=args.errors)
            print_author_table(result)
            if args.errors:
                print("\n".join(result["errors"]))
        elif records and "quotes" in records[0]:
            result = evaluate_quotes(records, show_errors=args.errors)
            print_quote_table(result)
            if args.halves:
                print_quote_halves(records)
            if args.errors:
                print("\n".join(result["errors"]))
        else:
            print(f"{path}: not a summary, quotation or author eval file", file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
