from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT, SEED_000


def run_cli(*args: str, cwd, env_extra: dict[str, str] | None = None, stdin: str | None = None):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEFBOT_", "DISCORD_"))}
    env["PYTHONPATH"] = str(ROOT)
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60, input=stdin
    )


@pytest.fixture
def workdir(tmp_path, articles_dir):
    (tmp_path / "seeds").symlink_to(articles_dir)
    return tmp_path


def test_no_token_is_one_line_and_status_2(workdir):
    result = run_cli(cwd=workdir)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "DISCORD_TOKEN is not set" in lines[0] and "Traceback" not in result.stderr


def test_bad_setting_is_one_line_and_status_2(workdir):
    result = run_cli("articles", cwd=workdir, env_extra={"BRIEFBOT_POLL_SECONDS": "often"})
    assert result.returncode == 2
    assert result.stderr.strip() == "briefbot: error: BRIEFBOT_POLL_SECONDS: 'often' is not a number of seconds"


def test_articles_lists_the_library(workdir):
    result = run_cli("articles", cwd=workdir)
    assert result.returncode == 0, result.stderr
    assert "warning-is-china-pivoting-back-to-north-korea" in result.stdout
    assert "Joel Wuthnow" in result.stdout
    assert "2 articles" in result.stdout
    assert (workdir / "data" / "briefbot.sqlite3").exists()


def test_brief_json_of_seed(workdir):
    result = run_cli("brief", str(SEED_000), "--json", cwd=workdir)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["author"]["name"] == "Joel Wuthnow"
    assert any(q["text"] == "no connection" and q["speaker"] == "Daniel Russel" for q in out["quotes"])
    assert len(out["summary"]) == 3


def test_brief_by_slug_text_output(workdir):
    result = run_cli(
        "brief", "north-koreas-defiance-may-reshape-chinas-strategic-calculus", "--sentences", "2", cwd=workdir
    )
    assert result.returncode == 0, result.stderr
    assert "Preview only" in result.stdout
    assert "World Politics Review" in result.stdout
    assert "Summary (2 of" in result.stdout


def test_brief_unknown_ref(workdir):
    result = run_cli("brief", "pivotting china", cwd=workdir)
    assert result.returncode == 2
    assert result.stderr.startswith("briefbot: error: no article matches 'pivotting china'")


def test_analyse_batch(workdir, tmp_path):
    source = tmp_path / "in.jsonl"
    body = SEED_000.read_text(encoding="utf-8").split("\n", 1)[1]
    source.write_text(
        json.dumps({"id": "a1", "text": body, "title": "Warning: Is China Pivoting Back to North Korea?"})
        + "\n"
        + json.dumps({"id": "a2", "text": "No title here. The whole text is the body of the article."})
        + "\n"
        + "not json\n"
    )
    out = tmp_path / "out.jsonl"
    result = run_cli("analyse", str(source), "-o", str(out), "--sentences", "2", cwd=workdir)
    assert result.returncode == 1  # one bad line
    assert "line 3 skipped" in result.stderr
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    assert [x["id"] for x in lines] == ["a1", "a2"]
    assert lines[0]["author"]["name"] == "Joel Wuthnow"
    assert lines[0]["dek"] == "The West needs Beijing's help in coercing Pyongyang."
    assert lines[1]["summary"] == ["No title here.", "The whole text is the body of the article."]
    assert lines[1]["dek"] is None
