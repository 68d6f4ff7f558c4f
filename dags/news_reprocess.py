"""Reprocess stored raw pages for a date range: new extraction, same days, no crawling.

Use it when extraction, cleaning or entity tagging improved: every day from `start` to `end`
is rebuilt from the `raw/` pages already in the lake and published with the same commit
protocol as `news_daily` (each partition replaced atomically), so those days are replaced, not
appended to. Nothing is fetched. Empty `start`/`end` mean the run's logical date, and `sources`
empty means every enabled source that has raw pages on that day. Trigger it from the UI with
the range; see docs/operations.md.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pendulum
from airflow.sdk import Param, dag, get_current_context, task
from akhbar_airflow import (
    ARTICLES,
    ENTITIES,
    check_sources,
    default_args,
    lake_run_id,
    location_params,
    run_date,
    sources_param,
    use_lake_credentials,
)

log = logging.getLogger(__name__)


@dag(
    dag_id=Path(__file__).stem,
    description=__doc__.partition("\n")[0],
    doc_md=__doc__,
    schedule=None,
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    default_args=default_args(),
    tags=["akhbar", "reprocess"],
    params={
        "start": Param(None, type=["null", "string"], format="date", title="First day"),
        "end": Param(None, type=["null", "string"], format="date", title="Last day"),
        "sources": sources_param("Sources to rebuild; empty = all enabled sources."),
        **location_params(),
    },
)
def news_reprocess() -> None:
    @task(outlets=[ARTICLES, ENTITIES])
    def reprocess() -> dict:
        """Rebuild articles, entities and rejects of each day in the range from raw pages."""
        context = get_current_context()
        params = context["params"]
        start = run_date(params["start"], context)
        end = run_date(params["end"], context) if params["end"] else start
        sources = check_sources(params["sources_file"], params["sources"])
        use_lake_credentials(params["lake"])
        from processing import pipeline

        summary = pipeline.reprocess(
            sources_file=params["sources_file"], lake=params["lake"], start=start, end=end,
            sources=sources, run_id=lake_run_id(context["run_id"]),
        )
        extra = {"lake": params["lake"], "start": start, "end": end}
        context["outlet_events"][ARTICLES].extra = extra
        context["outlet_events"][ENTITIES].extra = extra
        log.info("reprocess counts %s..%s: %s", start, end, summary)
        return summary

    reprocess()


news_reprocess()
