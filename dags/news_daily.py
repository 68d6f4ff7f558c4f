"""Daily news crawl: fetch every source, extract articles and entities, publish, check quality.

Runs once a day (cron `AKHBAR_DAILY_SCHEDULE`, default `30 5 * * *` UTC) and from the UI's
trigger form. Stages, one task each:

1. **plan** checks the params against the sources file and fixes the date and the run's lake id.
2. **source.crawl** (mapped, one per source, pool `akhbar_crawl`) fetches pages into `raw/`.
3. **source.process** (mapped) extracts, cleans, de-duplicates and tags them, staged per run.
4. **write** publishes what was staged (atomic partition replace) and updates the Assets
   `articles` and `entities`; it runs once every source is done, failed ones included, so
   one broken site does not hold back the others.
5. **check** is the data-quality gate: per source, articles written, extraction success rate
   and mean body length against the last 7 days, schemas. It fails naming the source and figure.

`date` empty means the run's logical date (or the day it was triggered). `dry_run` only
validates and logs the plan. Backfill: `airflow backfill create --dag-id news_daily ...`
(see docs/operations.md).
"""

from __future__ import annotations

import logging
from pathlib import Path

import pendulum
from airflow.sdk import Param, dag, get_current_context, task, task_group
from akhbar_airflow import (
    ARTICLES,
    CRAWL_POOL,
    DAILY_SCHEDULE,
    ENTITIES,
    check_sources,
    default_args,
    lake_run_id,
    location_params,
    raise_if_nothing_fetched,
    run_date,
    sources_param,
    use_lake_credentials,
)

log = logging.getLogger(__name__)


@dag(
    dag_id=Path(__file__).stem,
    description=__doc__.partition("\n")[0],
    doc_md=__doc__,
    schedule=DAILY_SCHEDULE,
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    default_args=default_args(),
    tags=["akhbar", "crawl"],
    params={
        "sources": sources_param(
            "Sources to crawl (names from the sources file); empty = all enabled."
        ),
        "date": Param(
            None, type=["null", "string"], format="date", title="Date",
            description="Day to crawl, YYYY-MM-DD; empty = the run's logical date.",
        ),
        "max_pages": Param(
            None, type=["null", "integer"], minimum=1, title="Max pages",
            description="Pages per source at most; empty = each source's own max_pages.",
        ),
        "dry_run": Param(
            False, type="boolean", title="Dry run",
            description="Only validate and log the plan: nothing is fetched or written.",
        ),
        **location_params(),
    },
)
def news_daily() -> None:
    @task
    def plan() -> list[dict]:
        """Validate the params against the sources file; one job (settings + source) per source."""
        context = get_current_context()
        params = context["params"]
        common = {
            "date": run_date(params["date"], context),
            "run_id": lake_run_id(context["run_id"]),
            "lake": params["lake"],
            "sources_file": params["sources_file"],
            "max_pages": params["max_pages"],
            "dry_run": params["dry_run"],
        }
        sources = check_sources(params["sources_file"], params["sources"])
        log.info("plan: sources %s, %s", sources, common)
        return [{"source": name, **common} for name in sources]

    @task(pool=CRAWL_POOL, execution_timeout=pendulum.duration(hours=2),
          map_index_template="{{ source_name }}")
    def crawl(job: dict) -> dict:
        """Fetch one source's feeds, sitemaps, sections and articles into `raw/` (a subprocess)."""
        from airflow.sdk.exceptions import AirflowSkipException

        get_current_context()["source_name"] = job["source"]  # the UI lists maps by source

        if job["dry_run"]:
            raise AirflowSkipException(f"dry run: would crawl {job['source']} for {job['date']}")
        use_lake_credentials(job["lake"])
        from processing import pipeline

        stats = pipeline.crawl_source(
            sources_file=job["sources_file"], source=job["source"], date=job["date"],
            lake=job["lake"], run_id=job["run_id"], max_pages=job["max_pages"],
        )
        log.info("crawl counts %s %s: %s", job["source"], job["date"], stats)
        raise_if_nothing_fetched(job["source"], stats)
        return stats

    @task(map_index_template="{{ source_name }}")
    def process(job: dict) -> dict:
        """Extract, clean, de-duplicate and tag one source-day from raw pages; stage the rows."""
        get_current_context()["source_name"] = job["source"]
        use_lake_credentials(job["lake"])
        from processing import pipeline

        counts = pipeline.process_source(
            sources_file=job["sources_file"], source=job["source"], date=job["date"],
            lake=job["lake"], run_id=job["run_id"],
        )
        log.info("process counts %s %s: %s", job["source"], job["date"], counts)
        return counts

    @task_group
    def source(job: dict) -> None:
        """One source: crawl, then process (a failed crawl skips only this source's process)."""
        crawl(job) >> process(job)

    @task(trigger_rule="all_done_min_one_success", outlets=[ARTICLES, ENTITIES])
    def write(jobs: list[dict]) -> dict:
        """Publish the staged partitions of this run; runs when some sources failed, too."""
        from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException

        run = jobs[0]
        if run["dry_run"]:
            raise AirflowSkipException("dry run: nothing to publish")
        use_lake_credentials(run["lake"])
        from processing import pipeline

        result = pipeline.publish(lake=run["lake"], run_id=run["run_id"])
        if not result["partitions"]:
            raise AirflowFailException(
                f"nothing was staged for {run['date']}: every source failed (see source.crawl)"
            )
        extra = {"lake": run["lake"], "date": run["date"], "run_id": run["run_id"]}
        events = get_current_context()["outlet_events"]
        events[ARTICLES].extra = extra
        events[ENTITIES].extra = extra
        log.info("published %d partitions: %s", len(result["partitions"]), result["partitions"])
        return result

    @task
    def check(jobs: list[dict]) -> dict:
        """Data-quality gate over every planned source; fails naming the source and the figure."""
        run = jobs[0]
        use_lake_credentials(run["lake"])
        from processing.quality import check_day

        report = check_day(lake=run["lake"], date=run["date"], run_id=run["run_id"],
                           sources=[job["source"] for job in jobs])
        return report.as_dict()

    jobs = plan()
    source.expand(job=jobs) >> write(jobs) >> check(jobs)


news_daily()
