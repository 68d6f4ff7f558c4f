"""Turn one source-day of raw fetches into article, entity and reject rows.

Every raw row ends up somewhere: an article, or a reject with a reason code. Nothing is
dropped silently, and one bad page never stops the others.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from processing.dedup import DedupIndex
from processing.entities import extract_entities
from processing.extract import ExtractionError, extract_article
from processing.ids import article_id
from processing.urls import canonicalize, trusted_canonical

log = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass
class SourceDayOutput:
    """What processing one source-day produced, ready to stage in the lake."""

    articles: list[dict] = field(default_factory=list)
    entities: list[dict] = field(default_factory=list)
    rejects: list[dict] = field(default_factory=list)

    def counts(self) -> dict[str, int | dict[str, int]]:
        reasons = Counter(r["reason"] for r in self.rejects)
        return {
            "articles": len(self.articles),
            "entities": len(self.entities),
            "rejects": len(self.rejects),
            "duplicates_flagged": sum(1 for a in self.articles if a.get("duplicate_of")),
            "reject_reasons": dict(sorted(reasons.items())),
        }


def _reject(raw: dict, *, reason: str, detail: str, stage: str, run_id: str) -> dict:
    return {
        "url": raw.get("final_url") or raw.get("url"),
        "reason": reason,
        "detail": detail[:2000],
        "stage": stage,
        "status": raw.get("status"),
        "fetched_at": raw.get("fetched_at"),
        "run_id": run_id,
    }


def _fetch_problem(raw: dict) -> tuple[str, str] | None:
    """A reason code when the fetch itself gave nothing to extract from."""
    if raw.get("error"):
        return raw["error"], raw.get("error_detail") or raw["error"]
    status = raw.get("status")
    if status is None or not 200 <= int(status) < 300:
        return "http_error", f"HTTP status {status}"
    content_type = (raw.get("content_type") or "").lower()
    if content_type and not content_type.startswith(HTML_TYPES):
        return "not_html", f"content type {content_type!r}"
    if not raw.get("body"):
        return "empty_body", "the response had no body"
    return None


def process_pages(
    raw_rows: Iterable[dict],
    *,
    run_id: str,
    language_hint: str | None = None,
    history: DedupIndex | None = None,
) -> SourceDayOutput:
    """Extract, clean, de-duplicate and tag one source-day of raw fetches."""
    out = SourceDayOutput()
    dedup = history if history is not None else DedupIndex()
    seen_ids: dict[str, str] = {}
    for raw in raw_rows:
        problem = _fetch_problem(raw)
        if problem:
            out.rejects.append(_reject(raw, reason=problem[0], detail=problem[1],
                                       stage="crawl", run_id=run_id))
            continue
        url = raw.get("final_url") or raw["url"]
        try:
            article = extract_article(
                raw["body"], url=raw["url"], final_url=url,
                content_type=raw.get("content_type"), language_hint=language_hint,
            )
        except ExtractionError as exc:
            out.rejects.append(_reject(raw, reason=exc.reason, detail=exc.detail,
                                       stage="extract", run_id=run_id))
            continue
        except Exception as exc:  # one malformed page must never stop the run
            log.exception("extraction crashed on %s", url)
            out.rejects.append(_reject(raw, reason="extraction_failed",
                                       detail=f"{type(exc).__name__}: {exc}",
                                       stage="extract", run_id=run_id))
            continue
        record = article.as_dict()
        # The id comes from the same canonical spelling the spider dedups on, so tracking
        # parameters or a CMS canonical pointing at the home page cannot split or merge articles.
        canonical = trusted_canonical(record.get("canonical_url")) or canonicalize(url)
        record["canonical_url"] = canonical
        record["article_id"] = article_id(canonical)
        if record["article_id"] in seen_ids:
            out.rejects.append(_reject(
                raw, reason="duplicate",
                detail=f"same canonical URL as {seen_ids[record['article_id']]}",
                stage="dedup", run_id=run_id,
            ))
            continue
        seen_ids[record["article_id"]] = url
        normalized = record.get("text_normalized") or record["text"]
        record["content_hash"], record["duplicate_of"] = dedup.match_and_add(
            record["article_id"], normalized)
        record["word_count"] = len(record["text"].split())
        record["fetched_at"] = raw.get("fetched_at") or datetime.now(UTC)
        record["run_id"] = run_id
        out.articles.append(record)
    _tag_entities(out)
    return out


def _tag_entities(out: SourceDayOutput) -> None:
    """Entities per language in batches; articles get the list column, entities get rows."""
    by_language: dict[str, list[dict]] = {}
    for record in out.articles:
        by_language.setdefault(record.get("language") or "en", []).append(record)
    for language, records in by_language.items():
        if language not in ("ar", "en"):
            for record in records:
                record["entities"] = []
            continue
        spans = extract_entities([r["text"] for r in records], language)
        for record, found in zip(records, spans, strict=True):
            record["entities"] = [
                {"text": e.text, "normalized": e.normalized, "label": e.label,
                 "start": e.start, "end": e.end}
                for e in found
            ]
            out.entities.extend(
                {"article_id": record["article_id"], "language": language, **entity}
                for entity in record["entities"]
            )
