"""The same DAG, unchanged, under the CeleryExecutor: Redis broker, PostgreSQL result backend,
two workers on this host. Each worker names itself (hostname callable), so the task instances
show which worker ran them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.airflow_stack import (
    AirflowStack,
    aws_connection,
    cleanup,
    parquet_keys,
    start_stack,
    write_sources,
)
from tests.services import ensure_postgres, ensure_redis

pytestmark = [pytest.mark.services, pytest.mark.slow]

DAY = "2026-11-22"
# A Redis database of its own, so the broker queues never mix with other tests' keys.
CRAWL_DELAY_S = 1.5
REDIS_DB = int(os.environ.get("AKHBAR_TEST_CELERY_REDIS_DB", "11"))


@pytest.fixture(scope="module")
def celery_stack(s3_endpoint, demo_site, tmp_path_factory) -> Iterator[AirflowStack]:
    # Crawls slow enough (~10 s) to overlap: a worker still wrapping up its previous task
    # must not lose the race to one that already finished the first crawl.
    sources = write_sources(tmp_path_factory.mktemp("celery") / "sources.yaml",
                            demo_site.base_url, download_delay=CRAWL_DELAY_S)
    running = start_stack(
        postgres_url=ensure_postgres(), celery_broker_url=f"{ensure_redis()}/{REDIS_DB}",
        celery_workers=2, extra_env={
            "AIRFLOW_CONN_AWS_DEFAULT": aws_connection(s3_endpoint.url),
            "AKHBAR_SOURCES_FILE": str(sources),
            "AKHBAR_ALLOW_PRIVATE_NETWORKS": "1",
        },
    )
    try:
        running.wait_for_dag("news_daily")
        yield running
    finally:
        running.stop()
        cleanup(running)


def test_celery_workers_share_the_crawl_and_write_to_s3(celery_stack: AirflowStack,
                                                        s3_endpoint) -> None:
    bucket = s3_endpoint.new_bucket("celery-lake")
    run_id = celery_stack.trigger("news_daily", {
        "sources": ["alwaha", "harbor"], "date": DAY, "max_pages": 3,
        "lake": f"s3://{bucket}/lake", "sources_file": celery_stack.env["AKHBAR_SOURCES_FILE"],
    })
    state = celery_stack.wait_for_run("news_daily", run_id, timeout=240)
    instances = celery_stack.task_instances("news_daily", run_id)
    assert state == "success", [(ti["task_id"], ti["rendered_map_index"], ti["state"],
                                 ti["hostname"]) for ti in instances]
    crawl_hosts = {ti["rendered_map_index"]: ti["hostname"]
                   for ti in instances if ti["task_id"] == "source.crawl"}
    assert set(crawl_hosts) == {"alwaha", "harbor"}
    timings = [(ti["task_id"], ti["rendered_map_index"], ti["hostname"], ti["queued_when"],
                ti["start_date"], ti["end_date"]) for ti in instances
               if ti["task_id"] == "source.crawl"]
    assert set(crawl_hosts.values()) == {"w1", "w2"}, timings
    keys = parquet_keys(s3_endpoint, bucket, f"lake/articles/dt={DAY}/")
    assert {key.split("/")[3] for key in keys} == {"source=alwaha", "source=harbor"}
