"""The data-quality gate used by news_daily's `check` task, on a real local lake."""

from __future__ import annotations

import pytest

from processing.lake import open_lake
from processing.quality import (
    DayFigures,
    QualityError,
    check_day,
    evaluate_source,
)

DAY = "2026-11-20"


@pytest.mark.parametrize(
    ("today", "history", "expected"),
    [
        (DayFigures(10, 2, 800.0), [DayFigures(10, 2, 800.0)] * 3, {}),
        (DayFigures(10, 2, 300.0), [DayFigures(10, 2, 800.0)] * 3, {"mean_body_length": "fail"}),
        (DayFigures(10, 2, 550.0), [DayFigures(10, 2, 800.0)] * 3, {"mean_body_length": "warn"}),
        (DayFigures(2, 10, 800.0), [DayFigures(10, 2, 800.0)] * 3,
         {"extraction_success_rate": "fail"}),
        (DayFigures(0, 12, 0.0), [DayFigures(10, 2, 800.0)] * 3, {"articles_written": "fail"}),
        (DayFigures(3, 0, 100.0), [], {}),  # no history: nothing to compare against
    ],
    ids=["steady", "bodies-collapsed", "bodies-dropped", "extraction-collapsed", "no-articles",
         "first-day"],
)
def test_figures_are_judged_against_the_source_history(today, history, expected) -> None:
    checks = evaluate_source("harbor", today, history)
    assert {c.check: c.status for c in checks if c.status != "ok"} == expected
    assert all(c.message.startswith("harbor: ") for c in checks)


def article(n: int, text: str) -> dict:
    return {"article_id": f"{n:020x}", "url": f"https://x.test/{n}", "run_id": "r",
            "canonical_url": f"https://x.test/{n}", "language": "en", "title": f"t{n}",
            "text": text, "text_normalized": text.lower(), "content_hash": f"h{n}",
            "word_count": len(text.split()), "fetched_at": "2026-11-20T06:00:00+00:00"}


def articles(text: str, count: int = 5) -> list[dict]:
    return [article(n, text) for n in range(count)]


def test_check_day_raises_naming_source_and_figure_and_writes_quality_rows(
    local_lake: str,
) -> None:
    lake = open_lake(local_lake)
    for day in ("2026-11-17", "2026-11-18", "2026-11-19"):
        lake.write_partition("articles", day, "harbor", articles("word " * 200))
        lake.write_partition("articles", day, "alwaha", articles("كلمة " * 200))
    lake.write_partition("articles", DAY, "harbor", articles("word " * 20))  # template broke
    lake.write_partition("articles", DAY, "alwaha", articles("كلمة " * 190))

    with pytest.raises(QualityError, match=r"harbor: mean_body_length collapsed: 100 chars"):
        check_day(lake=local_lake, date=DAY, sources=["alwaha", "harbor"], run_id="run-1")

    rows = lake.read("quality", start=DAY, end=DAY).to_pylist()
    status = {(r["source"], r["check"]): r["status"] for r in rows}
    assert status[("harbor", "mean_body_length")] == "fail"
    assert status[("alwaha", "mean_body_length")] == "ok"
    assert status[("harbor", "schema")] == status[("alwaha", "schema")] == "ok"
    assert {r["run_id"] for r in rows} == {"run-1"}


def test_check_day_passes_and_reports_when_nothing_collapsed(local_lake: str) -> None:
    lake = open_lake(local_lake)
    lake.write_partition("articles", DAY, "harbor", articles("word " * 50, count=3))
    report = check_day(lake=local_lake, date=DAY, sources=["harbor"])
    assert report.ok and report.as_dict()["checks"][0]["figure"] == 3.0
