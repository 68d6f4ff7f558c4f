"""Airflow glue shared by the akhbar DAG files: defaults, params, S3 credentials, alerts.

The DAG files stay a page long: everything Airflow-specific that is more than wiring lives
here, and everything about news lives in `processing` (which never imports Airflow).
Only cheap, offline work happens at import time (the scheduler parses DAG files often):
environment variables and one read of the local sources file for the trigger form.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

from airflow.sdk import Asset, Param

REPO_ROOT = Path(__file__).resolve().parent.parent
# Workers import `processing` from the repository that holds this dags/ folder.
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

log = logging.getLogger(__name__)

# --- Deployment settings, read from the environment at parse time (no DB access) -------------
DEFAULT_SOURCES_FILE = os.environ.get("AKHBAR_SOURCES_FILE", str(REPO_ROOT / "sources.yaml"))
DEFAULT_LAKE = os.environ.get("AKHBAR_LAKE", str(REPO_ROOT / "data" / "lake"))
# Cron in UTC; "off" leaves only manual, REST and backfill runs (staging, tests).
_SCHEDULE_SETTING = os.environ.get("AKHBAR_DAILY_SCHEDULE", "30 5 * * *").strip()
DAILY_SCHEDULE = None if _SCHEDULE_SETTING.lower() in ("off", "none", "") else _SCHEDULE_SETTING
CRAWL_POOL = os.environ.get("AKHBAR_CRAWL_POOL", "akhbar_crawl")
AWS_CONN_ID = os.environ.get("AKHBAR_AWS_CONN_ID", "aws_default")
TASK_RETRIES = int(os.environ.get("AKHBAR_TASK_RETRIES", "2"))
RETRY_DELAY = timedelta(seconds=int(os.environ.get("AKHBAR_RETRY_DELAY_SECONDS", "60")))
MAX_RETRY_DELAY = timedelta(minutes=30)  # cap of the exponential backoff

ALERT_WEBHOOK_VARIABLE = "akhbar_alert_webhook_url"
ALERT_WEBHOOK_CONNECTION = "akhbar_alert_webhook"

# Downstream DAGs schedule on these: `schedule=[Asset.ref(name="articles")]`.
ARTICLES = Asset(name="articles", uri="akhbar://lake/articles", group="akhbar")
ENTITIES = Asset(name="entities", uri="akhbar://lake/entities", group="akhbar")

DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"


def source_names(sources_file: str = DEFAULT_SOURCES_FILE) -> list[str]:
    """Names offered in the trigger form; [] if the file is unreadable (the plan task says why)."""
    try:
        from processing.sources import load_sources

        return [source.name for source in load_sources(sources_file).sources]
    except Exception as exc:  # parse time must never break the DAG over a config problem
        log.warning("trigger form: cannot list sources from %s: %s", sources_file, exc)
        return []


def sources_param(description: str) -> Param:
    """The `sources` form field: names from the sources file offered as choices."""
    return Param(
        None, type=["null", "array"], items={"type": "string"},
        examples=source_names(), title="Sources", description=description,
    )


def location_params() -> dict[str, Param]:
    """The `sources_file` and `lake` form fields every akhbar DAG takes."""
    return {
        "sources_file": Param(DEFAULT_SOURCES_FILE, type="string", title="Sources file"),
        "lake": Param(
            DEFAULT_LAKE, type="string", title="Lake URI",
            description="Local folder or s3://bucket/prefix (credentials: connection aws_default).",
        ),
    }


def default_args() -> dict[str, Any]:
    """Retry and alert policy common to every akhbar task."""
    return {
        "owner": "akhbar",
        "retries": TASK_RETRIES,
        "retry_delay": RETRY_DELAY,
        "retry_exponential_backoff": True,
        "max_retry_delay": MAX_RETRY_DELAY,
        "on_failure_callback": alert_on_failure,
    }


# --- Run planning ------------------------------------------------------------------------------
def run_date(date_param: str | None, context: dict[str, Any]) -> str:
    """The partition date: the `date` param, else the logical date, else when the run started.

    A run triggered from the UI or REST with `logical_date: null` has no logical date, so
    `run_after` (when it was queued) decides the day.
    """
    if date_param:
        if not re.match(DATE_PATTERN, date_param):
            raise ValueError(f"param date={date_param!r} is not YYYY-MM-DD")
        return date_param
    moment = context.get("logical_date") or context["dag_run"].run_after
    return moment.date().isoformat()


def lake_run_id(airflow_run_id: str) -> str:
    """Airflow run ids hold ':' and '+'; the lake's staging folder gets a path-safe version."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", airflow_run_id).strip("_")


def check_sources(sources_file: str, names: list[str] | None) -> list[str]:
    """The sources to run (all enabled ones when none are named); unknown names fail clearly."""
    from processing.sources import load_sources

    config = load_sources(sources_file)
    chosen = [source.name for source in config.enabled_sources(names or None)]
    if not chosen:
        raise ValueError(f"{sources_file}: no enabled sources to run")
    return chosen


# --- S3 credentials from the Airflow connection ------------------------------------------------
def use_lake_credentials(lake: str, conn_id: str = AWS_CONN_ID) -> None:
    """Export the AWS connection as the `AWS_*` variables `processing.lake` and the spider read.

    Only for `s3://` lakes. The connection's `extra.endpoint_url` becomes `AWS_ENDPOINT_URL`
    (MinIO, Ceph, moto). A missing connection leaves the environment alone, so an instance
    role or `AWS_*` variables set on the worker still work.
    """
    if not lake.startswith("s3://"):
        return
    from airflow.providers.amazon.aws.hooks.base_aws import AwsBaseHook

    hook = AwsBaseHook(aws_conn_id=conn_id, client_type="s3")
    credentials = hook.get_credentials()
    config = hook.conn_config
    values = {
        "AWS_ACCESS_KEY_ID": credentials.access_key,
        "AWS_SECRET_ACCESS_KEY": credentials.secret_key,
        "AWS_SESSION_TOKEN": credentials.token,
        "AWS_ENDPOINT_URL": config.endpoint_url,
        "AWS_DEFAULT_REGION": config.region_name,
    }
    for name, value in values.items():
        if value:
            os.environ[name] = value
    log.info("lake %s: credentials from connection %s, endpoint %s", lake, conn_id,
             config.endpoint_url or "(AWS default)")


# --- Failure alerts ----------------------------------------------------------------------------
def failure_alert(context: dict[str, Any]) -> dict[str, Any]:
    """The structured alert for a failed task: enough to find the log without opening the UI."""
    ti = context.get("task_instance") or context.get("ti")
    dag_run = context.get("dag_run")
    exception = context.get("exception")
    logical_date = context.get("logical_date")
    return {
        "event": "task_failed",
        "dag_id": getattr(ti, "dag_id", None),
        "task_id": getattr(ti, "task_id", None),
        "map_index": getattr(ti, "map_index", None),
        "try_number": getattr(ti, "try_number", None),
        "run_id": getattr(dag_run, "run_id", None) or context.get("run_id"),
        "logical_date": logical_date.isoformat() if logical_date else None,
        "error": f"{type(exception).__name__}: {exception}" if exception else None,
        "log_url": getattr(ti, "log_url", None),
    }


def webhook_url() -> str | None:
    """Alert target: Variable `akhbar_alert_webhook_url`, else connection `akhbar_alert_webhook`."""
    from airflow.sdk import Connection, Variable

    url = Variable.get(ALERT_WEBHOOK_VARIABLE, default=None)
    if url:
        return str(url)
    try:
        conn = Connection.get(ALERT_WEBHOOK_CONNECTION)
    except Exception:  # AirflowNotFoundException: no webhook configured
        return None
    if conn.extra_dejson.get("url"):
        return str(conn.extra_dejson["url"])
    scheme = conn.conn_type if conn.conn_type in ("http", "https") else "https"
    port = f":{conn.port}" if conn.port else ""
    path = f"/{conn.schema.lstrip('/')}" if conn.schema else ""
    return f"{scheme}://{conn.host}{port}{path}"


def alert_on_failure(context: dict[str, Any]) -> None:
    """`on_failure_callback`: log one JSON alert line and post it to the webhook if set.

    A callback must never raise: a broken webhook is logged, not turned into a second failure.
    """
    alert = failure_alert(context)
    log.error("AKHBAR_ALERT %s", json.dumps(alert, sort_keys=True, default=str))
    try:
        url = webhook_url()
        if url:
            from processing.alerts import post_alert

            status = post_alert(url, alert)
            log.info("alert posted to %s (HTTP %s)", url, status)
    except Exception as exc:
        log.error("alert webhook failed: %s", exc)


class NothingFetched(RuntimeError):
    """A crawl ran but got no page at all: the site is down or blocks us; worth a retry."""


def raise_if_nothing_fetched(source: str, stats: dict[str, Any]) -> None:
    """Turn an all-failed crawl into a failed task, so retries and alerts apply to it.

    The spider exits 0 when every fetch failed (each failure is a raw row with a reason), which
    is right for the lake but would hide a dead site behind a green task.
    """
    fetched = stats.get("pages_fetched", stats.get("responses"))
    if fetched == 0:
        raise NothingFetched(
            f"source {source}: 0 pages fetched ({stats.get('rejects', '?')} failed fetches); "
            f"stats: {json.dumps(stats, default=str)[:500]}"
        )
