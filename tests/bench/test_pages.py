"""The scoring helpers of bench.pages (pure functions; no eval data, no network)."""

import gzip
import json

from bench.pages import (
    byline_match,
    combine_quotes,
    in_text_share,
    junk_lines,
    junk_rule,
    prf,
    read_records,
    repair,
    title_match,
    tokens,
)


def test_tokens_fold_case_and_accents_and_split_cjk_into_characters():
    assert tokens("Émile ZOLA, l’écrivain") == ["emile", "zola", "l", "ecrivain"]
    assert tokens("宇航员 DeepMind新电脑") == ["宇", "航", "员", "deepmind", "新", "电", "脑"]
    assert tokens("マインドマップ") == list("マインドマップ")
    assert tokens(None) == [] and tokens("") == []


def test_prf_is_multiset_overlap():
    assert prf(["a", "b", "c", "d"], ["a", "b", "x", "x"]) == (0.5, 0.5, 0.5)
    p, r, f = prf(["a", "a"], ["a"])
    assert (p, r) == (1.0, 0.5) and round(f, 3) == 0.667
    assert prf([], ["a"]) == (0.0, 0.0, 0.0) and prf(["a"], []) == (0.0, 0.0, 0.0)


def test_title_match_ignores_case_quotes_punctuation_and_is_lenient_on_a_site_suffix():
    assert title_match("“Hello”, World!", "hello world") == (True, True)
    assert title_match("Hello World | Site", "Hello World") == (False, True)
    assert title_match("Hello World", "Goodbye World") == (False, False)
    assert title_match("Hello", None) == (False, False)


def test_byline_match_exact_and_lenient():
    assert byline_match("By Jane Doe and John Roe", ["Jane Doe", "John Roe"]) == (True, True)
    assert byline_match("Jane Doe, Staff Writer", ["Jane Doe"]) == (False, True)
    assert byline_match("Jane Doe", ["Jane Doe", "Made Up"]) == (False, False)
    assert byline_match("Jane Doe", []) == (False, False)
    assert byline_match(None, []) == (True, True)
    assert byline_match(None, ["Jane Doe"]) == (False, False)


def test_junk_rule_patterns_are_for_short_lines_only():
    assert junk_rule("Share this article with your friends") == "pattern"
    assert junk_rule("Sign up for our newsletter") == "pattern"
    assert junk_rule("Photo: Reuters") == "pattern"
    assert junk_rule("© 2020 The Paper") == "pattern"
    assert junk_rule("She shared a photo of the mayor with her brother at the station on Monday night.") is None
    long = "Share " + "word " * 25
    assert junk_rule(long) is None


def test_junk_rule_timestamps_breadcrumbs_and_short_lines():
    assert junk_rule("11/28/2016 11:00 AM PT") == "timestamp"
    assert junk_rule("Home › News › World › Europe") == "breadcrumb"
    assert junk_rule("Highlights") == "short"
    assert junk_rule("Highlights", short_is_junk=False) is None
    assert junk_rule("The mayor said the bridge would reopen next spring.") is None


def test_off_text_sentences_are_flagged_only_against_a_reference():
    text = "The mayor said the bridge would reopen next spring. Traffic has been heavy since."
    ref = tokens(text)
    grams = {tuple(ref[i : i + 2]) for i in range(len(ref) - 1)}
    assert in_text_share("The mayor said the bridge would reopen next spring.", grams, set(ref)) == 1.0
    assert in_text_share("Unfortunately this video is not available", grams, set(ref)) == 0.0
    summary = ["The mayor said the bridge would reopen next spring.", "Unfortunately this video is not available."]
    assert junk_lines("A title", None, summary, text) == [
        ("summary", "off-text", "Unfortunately this video is not available.")
    ]
    assert junk_lines("A title", None, summary, None) == []  # no reference: only the pattern rules
    assert junk_lines("A title", "Fashion", [], None) == [("standfirst", "short", "Fashion")]


def test_repair_undoes_mojibake_and_leaves_clean_text_alone():
    for clean in ("Un troisième Français à Népal", "腾讯微博 人工智能", "Zoë “quotes” — dash", "plain"):
        assert repair(clean) == clean
    assert repair("Un troisième Français".encode().decode("latin-1")) == "Un troisième Français"
    assert repair("人工智能".encode().decode("latin-1")) == "人工智能"
    assert repair("a — b".encode().decode("cp1252")) == "a — b"  # "a â€” b"
    # a non-breaking space (byte A0) turned into a plain space inside a character is put back
    broken = "Français à Paris".encode().decode("latin-1").replace("\xa0", " ")
    assert repair(broken) == "Français à Paris"


def test_combine_quotes_sums_counts_over_chunks():
    part = {
        "direct_gold": 10,
        "matched": 9,
        "right": 8,
        "false_positives": 2,
        "speaker_named_n": 5,
        "speaker_named_right": 4,
    }
    total = combine_quotes([part, part | {"right": 2, "false_positives": 0}])
    assert total["direct_gold"] == 20 and total["matched"] == 18 and total["named_right"] == 8
    assert total["precision"] == 10 / 12


def test_read_records_reads_gzip_and_plain(tmp_path):
    rows = [{"id": "a"}, {"id": "b"}]
    plain = tmp_path / "x.jsonl"
    plain.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    packed = tmp_path / "x.jsonl.gz"
    with gzip.open(packed, "wt", encoding="utf-8") as f:
        f.write(plain.read_text(encoding="utf-8"))
    assert read_records(plain) == rows == read_records(packed)
