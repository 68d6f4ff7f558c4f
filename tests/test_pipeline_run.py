"""`python -m processing run` end to end on the demo site: the same code path the DAG uses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow.dataset as ds
import pytest

from tests.services import free_port

REPO = Path(__file__).resolve().parent.parent
DATE = "2026-11-28"


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "processing", *args], cwd=REPO, capture_output=True, text=True,
        env={**os.environ, **(env or {})}, timeout=600,
    )


def table(lake: Path, dataset: str):
    return ds.dataset(lake / dataset, partitioning="hive").to_table()


@pytest.fixture(scope="module")
def sources_file(demo_site, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Both demo sources plus one whose only start URL is a closed port."""
    dead = f"http://127.0.0.1:{free_port()}/feed.xml"
    text = (REPO / "sources.yaml").read_text(encoding="utf-8")
    text += f"\n  - name: ghost\n    language: en\n    start_urls: ['{dead}']\n"
    path = tmp_path_factory.mktemp("sources") / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def first_run(demo_site, sources_file: Path, tmp_path_factory: pytest.TempPathFactory):
    lake = tmp_path_factory.mktemp("lake") / "lake"
    result = run_cli("run", "--sources", str(sources_file), "--date", DATE, "--lake", str(lake),
                     env={"AKHBAR_DEMO_URL": demo_site.base_url})
    return lake, result


def test_run_writes_both_languages(first_run) -> None:
    lake, result = first_run
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    # The dead source fails the quality gate (exit 1); everything else is written.
    assert result.returncode == 1, result.stderr[-3000:]
    assert not summary["quality"]["ok"]
    assert summary["quality"]["failures"] and all(
        f.startswith("ghost") for f in summary["quality"]["failures"]), summary["quality"]
    assert summary["date"] == DATE
    for name in ("alwaha", "harbor"):
        assert summary["sources"][name]["articles"] >= 5, summary
        assert summary["sources"][name]["fetched"] >= summary["sources"][name]["articles"]
    articles = table(lake, "articles").to_pylist()
    assert len(articles) >= 10
    assert {a["source"] for a in articles} >= {"alwaha", "harbor"}
    assert {a["language"] for a in articles} >= {"ar", "en"}
    for article in articles:
        assert article["title"] and article["text"] and article["published"], article["url"]
        assert article["dt"] == DATE
    entities = table(lake, "entities")
    assert set(entities.column("language").to_pylist()) >= {"ar", "en"}


def test_unreachable_source_and_non_articles_become_rejects(first_run) -> None:
    lake, result = first_run
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["sources"]["ghost"].get("articles", 0) == 0
    rejects = table(lake, "rejects").to_pylist()
    ghost = [r for r in rejects if r["source"] == "ghost"]
    assert ghost, "the unreachable start URL left no reject row"
    assert all(r["reason"] and r["detail"] for r in ghost)
    reasons = {r["reason"] for r in rejects}
    assert "not_article" in reasons, reasons


def test_rerun_same_date_replaces_not_duplicates(first_run, demo_site, sources_file) -> None:
    lake, _ = first_run
    before = table(lake, "articles")
    result = run_cli("run", "--sources", str(sources_file), "--date", DATE, "--lake", str(lake),
                     env={"AKHBAR_DEMO_URL": demo_site.base_url})
    assert result.returncode == 1, result.stderr[-3000:]  # only the dead source's gate
    after = table(lake, "articles")
    assert after.num_rows == before.num_rows
    ids = after.column("article_id").to_pylist()
    assert len(ids) == len(set(ids))
    assert set(after.column("run_id").to_pylist()) != set(before.column("run_id").to_pylist())


def test_missing_sources_file_is_a_clear_error(tmp_path: Path) -> None:
    result = run_cli("run", "--sources", str(tmp_path / "nope.yaml"), "--date", DATE,
                     "--lake", str(tmp_path / "lake"))
    assert result.returncode == 2
    assert "sources file not found" in result.stderr
    assert not (tmp_path / "lake").exists()


def test_malformed_sources_file_names_the_field(tmp_path: Path) -> None:
    bad = tmp_path / "sources.yaml"
    bad.write_text("sources:\n  - name: x\n    start_urls: []\n", encoding="utf-8")
    result = run_cli("run", "--sources", str(bad), "--date", DATE, "--lake", str(tmp_path))
    assert result.returncode == 2
    assert "sources[0].start_urls" in result.stderr


def test_reprocess_rebuilds_the_day_from_raw_without_crawling(first_run, sources_file) -> None:
    lake, _ = first_run
    before = sorted(table(lake, "articles").column("article_id").to_pylist())
    result = run_cli("reprocess", "--sources", str(sources_file), "--lake", str(lake),
                     "--start", DATE, "--end", DATE, "--source", "alwaha", "--source", "harbor")
    assert result.returncode == 0, result.stderr[-3000:]
    days = json.loads(result.stdout.strip().splitlines()[-1])["days"]
    assert set(days[DATE]) == {"alwaha", "harbor"}
    assert sorted(table(lake, "articles").column("article_id").to_pylist()) == before
    runs = set(table(lake, "articles").column("run_id").to_pylist())
    assert all(run.startswith("reprocess__") for run in runs), runs
