"""Explicit, versioned schemas of every lake dataset, and `to_table` that enforces them on write.

The column lists below are the single source of truth: `docs/schema.md` is generated from them
(`python -m processing.lake.schemas > docs/schema.md`) and a test checks the two agree.
`dt` and `source` are partition keys: they live in the hive path, never inside the files.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pyarrow as pa

from processing.lake.errors import SchemaError

SCHEMA_VERSION = 1
PARTITION_KEYS = ("dt", "source")
META_DATASET = b"akhbar.dataset"
META_SCHEMA_VERSION = b"akhbar.schema_version"

TS = pa.timestamp("us", tz="UTC")
STR_LIST = pa.list_(pa.string())
ENTITY_STRUCT = pa.struct(
    [
        pa.field("text", pa.string()),
        pa.field("normalized", pa.string()),
        pa.field("label", pa.string()),
        pa.field("start", pa.int32()),
        pa.field("end", pa.int32()),
    ]
)


@dataclass(frozen=True)
class Column:
    """One documented column: what `docs/schema.md` shows and what files contain."""

    name: str
    type: pa.DataType
    nullable: bool
    meaning: str
    example: str
    allowed: tuple[str, ...] = ()


def _c(name: str, type_: pa.DataType, nullable: bool, meaning: str, example: str,
       allowed: tuple[str, ...] = ()) -> Column:
    return Column(name, type_, nullable, meaning, example, tuple(allowed))


COLUMNS: dict[str, list[Column]] = {
    "raw": [
        _c("url", pa.string(), False, "Canonical request URL (what was asked for).",
           "https://news.example/world/123"),
        _c("final_url", pa.string(), True, "URL after redirects; null when no response.",
           "https://news.example/world/123?amp=0"),
        _c("status", pa.int32(), True, "HTTP status; null when no response arrived.", "200"),
        _c("content_type", pa.string(), True, "Content-Type header as the server sent it.",
           "text/html; charset=utf-8"),
        _c("body", pa.binary(), True, "Response body bytes, undecoded; null on failure.",
           "b'<!doctype html>...'"),
        _c("fetched_at", TS, False, "When the response (or the failure) happened, UTC.",
           "2026-11-28 06:01:02.123456+00:00"),
        _c("etag", pa.string(), True, "ETag header, for conditional re-fetches.", '"5f1a-2c"'),
        _c("last_modified", pa.string(), True, "Last-Modified header, verbatim.",
           "Sat, 28 Nov 2026 05:00:00 GMT"),
        _c("discovered_from", pa.string(), True, "Feed/sitemap/section URL that linked here.",
           "https://news.example/rss.xml"),
        _c("discovery", pa.string(), True, "How the URL was found.", "feed",
           ("feed", "sitemap", "section", "start")),
        _c("error", pa.string(), True, "Null, or a reason code for a failed fetch.", "timeout"),
        _c("error_detail", pa.string(), True, "Human-readable detail of `error`.",
           "no response after 30 s"),
        _c("run_id", pa.string(), False, "Run that fetched the page.",
           "scheduled__2026-11-28__20261128T060000Z"),
    ],
    "articles": [
        _c("article_id", pa.string(), False,
           "Stable id: first 20 hex chars of sha1(canonical_url); same on every run.",
           "3f2a9c0d4e5b6a7f8091"),
        _c("url", pa.string(), False, "URL the page was fetched from.",
           "https://news.example/world/123?utm_source=rss"),
        _c("canonical_url", pa.string(), False,
           "rel=canonical (or og:url) in `processing.urls.canonicalize` spelling; the fetched "
           "URL when the page names none or names a home/section page.",
           "https://news.example/world/123"),
        _c("site_name", pa.string(), True, "Publisher name as the page states it.", "Example News"),
        _c("language", pa.string(), False, "ISO 639-1 code of the text.", "ar"),
        _c("title", pa.string(), False, "Headline.", "Ministers meet in Doha"),
        _c("subtitle", pa.string(), True, "Standfirst / dek, when the page has one.",
           "Talks focus on trade"),
        _c("text", pa.string(), False, "Cleaned body; paragraphs separated by newlines.",
           "First paragraph.\nSecond paragraph."),
        _c("text_normalized", pa.string(), False,
           "`text` normalized for matching (Arabic: no tatweel/diacritics, unified alef/yeh).",
           "first paragraph.\nsecond paragraph."),
        _c("authors", STR_LIST, True, "Bylines, in page order.", '["Sara Ali"]'),
        _c("published", TS, True, "Publication time, UTC; null when the page gives none.",
           "2026-11-28 05:30:00+00:00"),
        _c("modified", TS, True, "Last modification time, UTC.", "2026-11-28 07:00:00+00:00"),
        _c("fetched_at", TS, False, "When the page was fetched, UTC.",
           "2026-11-28 06:01:02+00:00"),
        _c("section", pa.string(), True, "Site section.", "World"),
        _c("tags", STR_LIST, True, "Keywords/tags the page declares.", '["trade", "qatar"]'),
        _c("image", pa.string(), True, "Lead image URL.", "https://news.example/img/1.jpg"),
        _c("content_hash", pa.string(), False, "Hash of `text_normalized` (exact-duplicate key).",
           "9b74c9897bac770ffc029102a200c5de"),
        _c("duplicate_of", pa.string(), True,
           "article_id of the earlier article this one duplicates (exact or near); else null.",
           "1a2b3c4d5e6f708192a3"),
        _c("word_count", pa.int32(), False, "Words in `text`.", "412"),
        _c("entities", pa.list_(ENTITY_STRUCT), True,
           "Named entities (same rows as the `entities` dataset), offsets into `text`.",
           '[{"text": "Doha", "normalized": "doha", "label": "LOC", "start": 14, "end": 18}]'),
        _c("run_id", pa.string(), False, "Run that produced the row.",
           "scheduled__2026-11-28__20261128T060000Z"),
    ],
    "entities": [
        _c("article_id", pa.string(), False, "Article the entity was found in.",
           "3f2a9c0d4e5b6a7f8091"),
        _c("language", pa.string(), True, "Language of the article.", "en"),
        _c("text", pa.string(), False, "Surface form, exactly `article.text[start:end]`.", "Doha"),
        _c("normalized", pa.string(), True, "Normalized form for grouping.", "doha"),
        _c("label", pa.string(), False, "Entity type.", "LOC", ("PER", "ORG", "LOC")),
        _c("start", pa.int32(), False, "Start offset (characters) into the article text.", "14"),
        _c("end", pa.int32(), False, "End offset (exclusive).", "18"),
        _c("run_id", pa.string(), True, "Run that produced the row.",
           "scheduled__2026-11-28__20261128T060000Z"),
    ],
    "rejects": [
        _c("url", pa.string(), False, "URL of the page that did not become an article.",
           "https://news.example/about"),
        _c("reason", pa.string(), False,
           "Reason code. Stage `crawl`: the fetch error from `raw.error` (see "
           "docs/crawling.md), or http_error (non-2xx status), not_html, empty_body; stage "
           "`extract`: not_article, too_short, extraction_failed, decode_failed; stage `dedup`: "
           "duplicate (same canonical URL as another page of the source-day).", "not_article"),
        _c("detail", pa.string(), True, "Human-readable detail.", "no article body found"),
        _c("stage", pa.string(), True, "Pipeline stage that rejected it.", "extract",
           ("crawl", "extract", "dedup")),
        _c("status", pa.int32(), True, "HTTP status of the fetch, if any.", "200"),
        _c("fetched_at", TS, True, "When the page was fetched, UTC.",
           "2026-11-28 06:01:02+00:00"),
        _c("run_id", pa.string(), False, "Run that produced the row.",
           "scheduled__2026-11-28__20261128T060000Z"),
    ],
    "crawl_log": [
        _c("run_id", pa.string(), False, "Run of the crawl.",
           "scheduled__2026-11-28__20261128T060000Z"),
        _c("started_at", TS, False, "Crawl start, UTC.", "2026-11-28 06:00:00+00:00"),
        _c("finished_at", TS, True, "Crawl end, UTC.", "2026-11-28 06:03:10+00:00"),
        _c("duration_s", pa.float64(), True, "Wall-clock seconds.", "190.2"),
        _c("requests", pa.int64(), True, "Requests sent.", "220"),
        _c("responses", pa.int64(), True, "Responses received.", "214"),
        _c("responses_by_status", pa.string(), True,
           "JSON object status -> count (a dict is serialized on write).",
           '{"200": 200, "404": 14}'),
        _c("bytes", pa.int64(), True, "Response bytes received.", "10485760"),
        _c("retries", pa.int64(), True, "Retried requests.", "3"),
        _c("rejects", pa.int64(), True, "Fetches that failed (raw rows with `error`).", "6"),
        _c("new_urls", pa.int64(), True, "URLs not seen on earlier days.", "180"),
        _c("already_seen", pa.int64(), True, "URLs skipped because already fetched.", "40"),
        _c("items", pa.int64(), True, "Raw rows written.", "214"),
        _c("errors", pa.int64(), True, "Errors logged by the crawler.", "0"),
        _c("status", pa.string(), True, "Outcome of the crawl.", "ok",
           ("ok", "partial", "failed")),
        _c("message", pa.string(), True, "Why a crawl failed or stopped early.",
           "max_pages reached"),
        _c("stats", pa.string(), True, "Any further crawler stats, as a JSON object.",
           '{"scheduler/enqueued": 230}'),
    ],
    "quality": [
        _c("run_id", pa.string(), False, "Run that was checked.",
           "scheduled__2026-11-28__20261128T060000Z"),
        _c("checked_at", TS, False, "When the check ran, UTC.", "2026-11-28 06:20:00+00:00"),
        _c("check", pa.string(), False, "Name of the check.", "articles_vs_7d_median"),
        _c("status", pa.string(), False, "Outcome.", "warn", ("ok", "warn", "fail")),
        _c("figure", pa.float64(), True, "Measured value.", "12"),
        _c("threshold", pa.float64(), True, "Limit the figure was compared with.", "40"),
        _c("message", pa.string(), True, "What the figure means, naming the source.",
           "aljazeera: 12 articles, 7-day median 80"),
    ],
}

DATASETS: tuple[str, ...] = tuple(COLUMNS)


def _schema(dataset: str) -> pa.Schema:
    fields = [pa.field(c.name, c.type, nullable=c.nullable) for c in COLUMNS[dataset]]
    return pa.schema(
        fields,
        metadata={META_DATASET: dataset.encode(),
                  META_SCHEMA_VERSION: str(SCHEMA_VERSION).encode()},
    )


SCHEMAS: dict[str, pa.Schema] = {name: _schema(name) for name in COLUMNS}

# Sort order inside a file: common filters (language, published) then prune row groups.
SORT_KEYS: dict[str, list[tuple[str, str]]] = {
    "articles": [("language", "ascending"), ("published", "ascending"),
                 ("article_id", "ascending")],
    "entities": [("label", "ascending"), ("normalized", "ascending"), ("article_id", "ascending")],
    "raw": [("fetched_at", "ascending"), ("url", "ascending")],
    "rejects": [("reason", "ascending"), ("url", "ascending")],
    "crawl_log": [("started_at", "ascending")],
    "quality": [("checked_at", "ascending"), ("check", "ascending")],
}


def schema_for(dataset: str) -> pa.Schema:
    try:
        return SCHEMAS[dataset]
    except KeyError:
        raise SchemaError(f"unknown dataset {dataset!r}; known: {', '.join(DATASETS)}") from None


# ---------------------------------------------------------------- rows -> table


def _as_utc(value: Any, dataset: str, column: str, row: int) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            raise SchemaError(
                f"{dataset}.{column} row {row}: {value!r} is not an ISO 8601 timestamp"
            ) from None
    elif isinstance(value, date) and not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day, tzinfo=UTC)
    if not isinstance(value, datetime):
        raise SchemaError(f"{dataset}.{column} row {row}: expected a datetime, got {value!r}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise SchemaError(
            f"{dataset}.{column} row {row}: naive datetime {value.isoformat()}; "
            "timestamps must be timezone-aware (UTC)"
        )
    return value.astimezone(UTC)


def _plain(value: Any) -> Any:
    """Dataclasses (e.g. `Entity`) and objects with `as_dict()` become dicts."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    as_dict = getattr(value, "as_dict", None)
    return as_dict() if callable(as_dict) else value


def _prepare(column: Column, values: list[Any], dataset: str) -> list[Any]:
    t = column.type
    if pa.types.is_timestamp(t):
        return [_as_utc(v, dataset, column.name, i) for i, v in enumerate(values)]
    if column.name in ("responses_by_status", "stats") and pa.types.is_string(t):
        return [json.dumps(v, sort_keys=True, default=str) if isinstance(v, Mapping) else v
                for v in values]
    if pa.types.is_list(t):
        out = []
        for i, v in enumerate(values):
            if v is None:
                out.append(None)
            elif isinstance(v, (str, bytes)) or not isinstance(v, Iterable):
                raise SchemaError(f"{dataset}.{column.name} row {i}: expected a list, got {v!r}")
            else:
                out.append([_plain(x) for x in v])
        return out
    return values


def to_table(dataset: str, rows: Sequence[Mapping[str, Any]]) -> pa.Table:
    """Rows (dicts or dataclasses) -> a table with exactly the dataset's schema.

    Missing nullable keys become null; a missing or null required value, an unknown key, or a
    value of the wrong type raises `SchemaError` naming the column (and row where it can).
    """
    schema = schema_for(dataset)
    rows = [_plain(r) for r in rows]
    known = set(schema.names)
    for i, row in enumerate(rows):
        if not isinstance(row, Mapping):
            raise SchemaError(f"{dataset} row {i}: expected a dict, got {type(row).__name__}")
        unknown = set(row) - known
        if unknown:
            raise SchemaError(
                f"{dataset} row {i}: unknown column(s) {sorted(unknown)}; "
                f"the schema has {schema.names}"
            )
    arrays = []
    for column in COLUMNS[dataset]:
        values = _prepare(column, [row.get(column.name) for row in rows], dataset)
        try:
            arrays.append(pa.array(values, type=column.type))
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError, OverflowError) as exc:
            bad = _first_bad_row(values, column.type)
            raise SchemaError(
                f"{dataset}.{column.name}{bad}: cannot store as {column.type}: {exc}"
            ) from None
    table = pa.Table.from_arrays(arrays, schema=schema)
    return validate(dataset, table)


def _first_bad_row(values: list[Any], type_: pa.DataType) -> str:
    for i, v in enumerate(values):
        try:
            pa.array([v], type=type_)
        except Exception:
            return f" row {i} ({v!r:.80})"
    return ""


def validate(dataset: str, table: pa.Table) -> pa.Table:
    """Check nulls in required columns and allowed values; returns the table unchanged."""
    for column in COLUMNS[dataset]:
        arr = table.column(column.name)
        if not column.nullable and arr.null_count:
            row = next(i for i, v in enumerate(arr.is_null().to_pylist()) if v)
            raise SchemaError(f"{dataset}.{column.name} row {row}: required value is missing")
        if column.allowed and len(arr):
            seen = {v for v in arr.unique().to_pylist() if v is not None}
            wrong = sorted(seen - set(column.allowed))
            if wrong:
                raise SchemaError(
                    f"{dataset}.{column.name}: value(s) {wrong} not in {list(column.allowed)}"
                )
    return table


def conform(dataset: str, table: pa.Table) -> pa.Table:
    """A table (e.g. from a caller or an older file) cast to the current schema.

    Extra columns are an error; missing nullable columns are added as nulls (how older files
    gain columns added in later schema versions).
    """
    schema = schema_for(dataset)
    extra = [n for n in table.column_names if n not in schema.names]
    if extra:
        raise SchemaError(f"{dataset}: unknown column(s) {extra}; the schema has {schema.names}")
    arrays = []
    for field in schema:
        if field.name in table.column_names:
            col = table.column(field.name)
            try:
                arrays.append(col.cast(field.type) if col.type != field.type else col)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError) as exc:
                raise SchemaError(
                    f"{dataset}.{field.name}: cannot cast {col.type} to {field.type}: {exc}"
                ) from None
        elif field.nullable:
            arrays.append(pa.nulls(table.num_rows, type=field.type))
        else:
            raise SchemaError(f"{dataset}.{field.name}: required column is missing")
    return validate(dataset, pa.Table.from_arrays(arrays, schema=schema))


# ---------------------------------------------------------------- docs


def schema_markdown() -> str:
    """docs/schema.md, generated from COLUMNS (a test checks the file matches)."""
    out = [
        "# Lake schemas",
        "",
        "Generated from `processing/lake/schemas.py` "
        "(`.venv/bin/python -m processing.lake.schemas > docs/schema.md`); "
        "`tests/test_lake_schema_doc.py` fails when this file and the code disagree.",
        "",
        f"Schema version: **{SCHEMA_VERSION}** — stored in every file's Arrow schema metadata "
        "as `akhbar.schema_version` (with `akhbar.dataset`). A new nullable column is a minor "
        "change (old files read with nulls in it); removing, renaming or retyping a column bumps "
        "the version.",
        "",
        "Every dataset is partitioned `<lake>/<dataset>/dt=YYYY-MM-DD/source=NAME/`. `dt` (the "
        "run's date, string) and `source` (the source name from sources.yaml, string) come from "
        "the path, not from columns inside the files: hive-aware readers (pyarrow.dataset with "
        'partitioning="hive", pandas, DuckDB hive_partitioning, Polars) and '
        "`processing.lake.read_articles` add them. Timestamps are microseconds, UTC.",
        "",
    ]
    for dataset, columns in COLUMNS.items():
        sort = ", ".join(name for name, _ in SORT_KEYS[dataset])
        out += [f"## `{dataset}`", "", f"Rows sorted by: {sort}.", "",
                "| column | type | nullable | meaning | example |",
                "|---|---|---|---|---|"]
        for c in columns:
            meaning = c.meaning + (f" One of: {', '.join(c.allowed)}." if c.allowed else "")
            example = c.example.replace("|", "\\|")
            out.append(f"| `{c.name}` | `{c.type}` | {'yes' if c.nullable else 'no'} | "
                       f"{meaning.replace('|', chr(92) + '|')} | `{example}` |")
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    sys.stdout.write(schema_markdown())
