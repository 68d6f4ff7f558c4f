"""The data-quality gate run after each day is published: did every source really deliver?

A site that changes its HTML template rarely breaks the crawl; it silently turns articles into
rejects or bodies into a few lines of boilerplate. So each source-day is compared with the same
source's own recent days (not with a fixed number): articles written, the extraction success
rate and the mean body length, plus the schema of what was written. Every figure becomes a row
of the `quality` dataset (status ok / warn / fail) so trends can be read later; any `fail`
raises `QualityError`, whose message names the source and the figure.
"""

from __future__ import annotations

import logging
import statistics
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import date as Date

import pyarrow as pa
import pyarrow.compute as pc

from processing.lake import open_lake
from processing.lake.schemas import PARTITION_KEYS, SCHEMAS

log = logging.getLogger(__name__)

# Reject reasons that mean "the page was fetched but extraction did not yield an article".
# Fetch failures (timeouts, 404s) are the crawler's problem and are not counted here.
EXTRACTION_REASONS = frozenset({"not_article", "too_short", "extraction_failed", "decode_failed"})
COLLAPSE_RATIO = 0.5  # today below half of the recent median: the gate fails
WARN_RATIO = 0.75  # below three quarters: a warning row, the run goes on
CHECKED_DATASETS = ("articles", "entities", "rejects")


class QualityError(RuntimeError):
    """At least one source failed the gate; `report` holds every figure."""

    def __init__(self, report: QualityReport) -> None:
        self.report = report
        super().__init__(
            f"data-quality gate failed for {report.date}: "
            + "; ".join(check.message for check in report.failures)
        )


@dataclass(frozen=True)
class DayFigures:
    """What one source delivered on one day."""

    articles: int
    extraction_rejects: int
    mean_body_chars: float

    @property
    def success_rate(self) -> float | None:
        attempts = self.articles + self.extraction_rejects
        return self.articles / attempts if attempts else None


@dataclass(frozen=True)
class Check:
    """One figure of one source, judged."""

    source: str
    check: str
    status: str  # ok | warn | fail
    figure: float | None
    threshold: float | None
    message: str


@dataclass
class QualityReport:
    date: str
    checks: list[Check] = field(default_factory=list)

    @property
    def failures(self) -> list[Check]:
        return [c for c in self.checks if c.status == "fail"]

    @property
    def ok(self) -> bool:
        return not self.failures

    def as_dict(self) -> dict:
        return {"date": self.date, "ok": self.ok, "checks": [asdict(c) for c in self.checks]}


def _daily_figures(articles: pa.Table, rejects: pa.Table) -> dict[str, DayFigures]:
    """Figures per `dt` of one source's articles (column `text`) and rejects (`reason`)."""
    days: dict[str, DayFigures] = {}
    article_days = set(articles.column("dt").to_pylist()) if articles.num_rows else set()
    reject_days = set(rejects.column("dt").to_pylist()) if rejects.num_rows else set()
    for day in article_days | reject_days:
        texts = articles.filter(pc.equal(articles["dt"], day)).column("text").to_pylist()
        reasons = rejects.filter(pc.equal(rejects["dt"], day)).column("reason").to_pylist()
        lengths = [len(text or "") for text in texts]
        days[day] = DayFigures(
            articles=len(texts),
            extraction_rejects=sum(reason in EXTRACTION_REASONS for reason in reasons),
            mean_body_chars=statistics.fmean(lengths) if lengths else 0.0,
        )
    return days


def _against_baseline(
    source: str, name: str, today: float | None, history: list[float], unit: str
) -> Check:
    """Compare today's figure with the median of the earlier days (robust to one odd day)."""
    if today is None:
        return Check(source, name, "warn", None, None, f"{source}: {name} not measurable today")
    if not history:
        return Check(source, name, "ok", today, None,
                     f"{source}: {name} {today:.3g}{unit} (no earlier days to compare)")
    baseline = statistics.median(history)
    fail_below, warn_below = baseline * COLLAPSE_RATIO, baseline * WARN_RATIO
    status = "fail" if today < fail_below else "warn" if today < warn_below else "ok"
    verdict = {"fail": "collapsed", "warn": "dropped", "ok": "normal"}[status]
    return Check(
        source, name, status, today, fail_below,
        f"{source}: {name} {verdict}: {today:.3g}{unit} vs {len(history)}-day median "
        f"{baseline:.3g}{unit} (fails below {fail_below:.3g}{unit})",
    )


def _schema_check(store, source: str, date: str) -> Check:
    """The day's files read under the current schemas, with every column of the right type."""
    problems = []
    for dataset in CHECKED_DATASETS:
        try:
            table = store.read(dataset, start=date, end=date, sources=[source])
        except Exception as exc:  # a file that does not fit the schema fails the read
            problems.append(f"{dataset}: {exc}")
            continue
        for expected in SCHEMAS[dataset]:
            if expected.name in PARTITION_KEYS:
                continue
            if expected.name not in table.column_names:
                problems.append(f"{dataset}.{expected.name} missing")
            elif table.schema.field(expected.name).type != expected.type:
                actual = table.schema.field(expected.name).type
                problems.append(f"{dataset}.{expected.name} is {actual}, expected {expected.type}")
    if problems:
        return Check(source, "schema", "fail", float(len(problems)), 0.0,
                     f"{source}: schema mismatch: " + "; ".join(problems))
    return Check(source, "schema", "ok", 0.0, 0.0, f"{source}: schemas match")


def evaluate_source(
    source: str, today: DayFigures | None, history: list[DayFigures]
) -> list[Check]:
    """The figure checks of one source-day (pure: no lake access, easy to reason about)."""
    articles = today.articles if today else 0
    checks = [Check(
        source, "articles_written", "ok" if articles > 0 else "fail", float(articles), 1.0,
        f"{source}: {articles} articles written",
    )]
    if articles == 0:
        return checks  # rate and length of nothing say nothing more
    rates = [d.success_rate for d in history if d.success_rate is not None]
    checks.append(_against_baseline(
        source, "extraction_success_rate", today.success_rate, rates, ""))
    lengths = [d.mean_body_chars for d in history if d.articles]
    checks.append(_against_baseline(
        source, "mean_body_length", today.mean_body_chars, lengths, " chars"))
    return checks


def check_day(
    *, lake: str, date: str, sources: list[str], history_days: int = 7, run_id: str | None = None
) -> QualityReport:
    """Judge each source's day against its previous `history_days` days; write `quality` rows.

    Raises `QualityError` after writing the rows when any check failed.
    """
    store = open_lake(lake)
    first = (Date.fromisoformat(date) - timedelta(days=history_days)).isoformat()
    report = QualityReport(date=date)
    checked_at = datetime.now(UTC)
    for source in sources:
        articles = store.read("articles", start=first, end=date, sources=[source],
                              columns=["text"])
        rejects = store.read("rejects", start=first, end=date, sources=[source],
                             columns=["reason"])
        days = _daily_figures(articles, rejects)
        history = [figures for day, figures in sorted(days.items()) if day < date]
        checks = evaluate_source(source, days.get(date), history)
        if days.get(date):
            checks.append(_schema_check(store, source, date))
        report.checks.extend(checks)
        store.write_partition("quality", date, source, [
            {"run_id": run_id or f"quality__{date}", "checked_at": checked_at, "check": c.check,
             "status": c.status, "figure": c.figure, "threshold": c.threshold,
             "message": c.message}
            for c in checks
        ])
        for c in checks:
            (log.error if c.status == "fail" else log.warning if c.status == "warn"
             else log.info)("quality %s", c.message)
    if not report.ok:
        raise QualityError(report)
    return report
