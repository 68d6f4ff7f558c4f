"""The reading recipes in docs/lake.md, executed verbatim against a moto S3 server."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from processing.lake import open_lake
from tests.lake_helpers import article_rows

REPO = Path(__file__).resolve().parent.parent
DOC = REPO / "docs" / "lake.md"
README = REPO / "README.md"
MARK = re.compile(r"^# --- recipe: (\w+) ---$", re.M)


def recipe_block(doc: Path = DOC) -> tuple[str, dict[str, str]]:
    """(setup code, {name: recipe code}) from the first python block after the recipes heading."""
    text = doc.read_text(encoding="utf-8")
    section = text.split("## Reading the lake (recipes)", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    parts = MARK.split(code)
    setup, rest = parts[0], parts[1:]
    return setup, {rest[i]: rest[i + 1] for i in range(0, len(rest), 2)}


RESULTS = {"pandas": "articles_pandas", "pyarrow": "articles_pyarrow",
           "duckdb": "articles_duckdb", "polars": "articles_polars"}


def _rows_of(name: str, value) -> list[dict]:
    if name == "pyarrow":
        return value.to_pylist()
    if name == "polars":
        return value.to_dicts()
    return value.astype({"dt": str, "source": str}).to_dict("records")


def test_doc_has_all_four_recipes():
    _, recipes = recipe_block()
    assert set(recipes) == set(RESULTS)


def test_readme_shows_the_same_recipes():
    """The README's copy is what users paste; it must be the block this file executes."""
    assert recipe_block(README) == recipe_block(DOC)


@pytest.fixture(scope="module")
def recipe_lake(s3_endpoint) -> str:
    setup, _ = recipe_block()
    namespace: dict = {}
    exec(setup, namespace)
    uri = f"s3://{s3_endpoint.new_bucket('recipes')}/lake"
    lake = open_lake(uri)
    day, source = namespace["DAY"], namespace["SOURCE"]
    lake.write_partition("articles", day, source, article_rows(7, day=day))
    lake.write_partition("articles", day, "other", article_rows(5, day=day, offset=100))
    lake.write_partition("articles", "2026-11-27", source, article_rows(3, day="2026-11-27"))
    return uri


@pytest.mark.parametrize("name", sorted(RESULTS))
def test_recipe_reads_one_day_one_source_from_s3(name, recipe_lake, monkeypatch):
    setup, recipes = recipe_block()
    monkeypatch.setenv("AKHBAR_LAKE", recipe_lake)
    namespace: dict = {}
    exec(setup + recipes[name], namespace)
    rows = _rows_of(name, namespace[RESULTS[name]])
    expected_ids = {r["article_id"] for r in article_rows(7, day=namespace["DAY"])}
    assert {r["article_id"] for r in rows} == expected_ids
    assert len(rows) == len(expected_ids)
    assert {(r["dt"], r["source"]) for r in rows} == {(namespace["DAY"], namespace["SOURCE"])}
    assert all(r["title"] and r["text"] for r in rows)
