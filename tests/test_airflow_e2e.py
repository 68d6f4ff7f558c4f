"""End to end on real Airflow services (PostgreSQL, LocalExecutor): REST, the UI, alerts.

One stack serves the module: `api-server`, `scheduler` and `dag-processor` on a fresh
PostgreSQL database, the demo site as the news sources, a moto S3 endpoint as the lake (reached
only through the `aws_default` connection) and a local webhook receiver for alerts.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.airflow_stack import (
    REPO,
    AirflowStack,
    AlertReceiver,
    aws_connection,
    cleanup,
    parquet_keys,
    start_stack,
    write_sources,
)
from tests.services import ensure_postgres

pytestmark = [pytest.mark.services, pytest.mark.slow]

DAY = "2026-11-21"
MAX_PAGES = 3
SCREENSHOTS = REPO / "test-output"


@pytest.fixture(scope="module")
def receiver() -> Iterator[AlertReceiver]:
    alerts = AlertReceiver()
    yield alerts
    alerts.close()


@pytest.fixture(scope="module")
def bucket(s3_endpoint) -> str:
    return s3_endpoint.new_bucket("airflow-lake")


@pytest.fixture(scope="module")
def stack(s3_endpoint, demo_site, bucket: str, receiver: AlertReceiver,
          tmp_path_factory) -> Iterator[AirflowStack]:
    sources = write_sources(tmp_path_factory.mktemp("e2e") / "sources.yaml", demo_site.base_url)
    running = start_stack(postgres_url=ensure_postgres(), extra_env={
        "AIRFLOW_CONN_AWS_DEFAULT": aws_connection(s3_endpoint.url),
        "AIRFLOW_CONN_AKHBAR_ALERT_WEBHOOK": json.dumps({"conn_type": "http", "extra": {
            "url": receiver.url}}),
        "AKHBAR_SOURCES_FILE": str(sources),  # the trigger form's defaults
        "AKHBAR_LAKE": f"s3://{bucket}/ui-lake",
        "AKHBAR_ALLOW_PRIVATE_NETWORKS": "1",
    })
    try:
        running.wait_for_dag("news_daily")
        yield running
    finally:
        running.stop()
        cleanup(running)


def test_rest_trigger_with_params_writes_parquet_to_s3(stack: AirflowStack, s3_endpoint,
                                                       bucket: str) -> None:
    run_id = stack.trigger("news_daily", {
        "sources": ["alwaha", "harbor"], "date": DAY, "max_pages": MAX_PAGES, "dry_run": False,
        "lake": f"s3://{bucket}/rest-lake",
        "sources_file": stack.env["AKHBAR_SOURCES_FILE"],
    })
    state = stack.wait_for_run("news_daily", run_id)
    assert state == "success", stack.task_instances("news_daily", run_id)
    keys = parquet_keys(s3_endpoint, bucket, f"rest-lake/articles/dt={DAY}/")
    assert {key.split("/")[3] for key in keys} == {"source=alwaha", "source=harbor"}
    body = s3_endpoint.client().get_object(Bucket=bucket, Key=keys[0])["Body"].read()
    table = pq.read_table(io.BytesIO(body))
    assert table.num_rows > 0 and all(table.column("title").to_pylist())


def test_failed_task_posts_alert_to_webhook_connection(stack: AirflowStack,
                                                       receiver: AlertReceiver) -> None:
    run_id = stack.trigger("news_daily", {"sources": ["no-such-source"], "date": DAY})
    assert stack.wait_for_run("news_daily", run_id) == "failed"
    alerts = [a for a in receiver.received if a["run_id"] == run_id]
    assert [a["task_id"] for a in alerts] == ["plan"]
    assert "no-such-source" in alerts[0]["error"] and alerts[0]["dag_id"] == "news_daily"


def test_ui_trigger_form_runs_the_chosen_source(stack: AirflowStack, tmp_path: Path,
                                                s3_endpoint, bucket: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    SCREENSHOTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium"), executable_path="/usr/bin/chromium",
            viewport={"width": 1400, "height": 1000},
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"],
        )
        page = browser.new_page()
        page.goto(stack.base_url + "/", wait_until="networkidle")
        page.wait_for_url("**/auth/login**")
        page.locator("input[name=username]").fill("admin")
        page.locator("input[name=password]").fill(stack.password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(lambda url: "/auth/login" not in url)
        page.goto(stack.base_url + "/dags/news_daily", wait_until="networkidle")
        page.get_by_test_id("trigger-dag-button").click()
        dialog = page.get_by_role("dialog")
        expect(dialog).to_be_visible()
        sources = dialog.get_by_role("group").filter(has_text="Sources to crawl")
        sources.get_by_role("combobox").click()
        page.get_by_role("option", name="alwaha", exact=True).click()
        dialog.get_by_role("spinbutton", name="Max pages").fill(str(MAX_PAGES))
        page.screenshot(path=str(SCREENSHOTS / "airflow-ui-trigger-form.png"))
        page.get_by_test_id("trigger-dag-submit").click()
        page.wait_for_url("**/dags/news_daily/runs/**")
        run_id = page.url.rstrip("/").split("/runs/")[1].split("/")[0]
        state = stack.wait_for_run("news_daily", run_id)
        page.reload(wait_until="networkidle")
        page.screenshot(path=str(SCREENSHOTS / "airflow-ui-run.png"), full_page=True)
        browser.close()
    assert state == "success"
    run = stack.api("GET", f"/dags/news_daily/dagRuns/{run_id}")
    assert run["conf"]["sources"] == ["alwaha"]
    keys = parquet_keys(s3_endpoint, bucket, "ui-lake/articles/")
    assert keys and all("/source=alwaha/" in key for key in keys)
