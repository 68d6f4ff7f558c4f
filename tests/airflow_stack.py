"""Start real Airflow services (api-server, scheduler, dag-processor, Celery workers) for tests.

Each stack gets a temporary AIRFLOW_HOME, a fresh PostgreSQL database and its own ports; the
REST helpers talk to it the way the UI does (bearer token from /auth/token). Processes are
started in their own session and stopped by their process-group id, never by name.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import yaml

from tests.services import free_port

REPO = Path(__file__).resolve().parent.parent
AIRFLOW = str(Path(sys.executable).with_name("airflow"))
ADMIN_PASSWORD = "akhbar-test-admin"
CRAWL_POOL_SLOTS = 2
HEALTH_TIMEOUT_S = 90
HOSTNAME_CALLABLE = "tests.airflow_stack.worker_hostname"


def worker_hostname() -> str:
    """`AIRFLOW__CORE__HOSTNAME_CALLABLE` for test workers: tells two workers on one host apart."""
    return os.environ.get("AKHBAR_WORKER_NAME") or socket.getfqdn()


def _admin_connection(server_url: str):
    import psycopg2

    connection = psycopg2.connect(server_url.replace("+psycopg2", "") + "/postgres")
    connection.autocommit = True
    return connection


def create_database(server_url: str) -> str:
    """A fresh, uniquely named PostgreSQL database; returns its SQLAlchemy URL."""
    name = f"akhbar_airflow_{uuid.uuid4().hex[:10]}"
    connection = _admin_connection(server_url)
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    return f"{server_url}/{name}"


def drop_database(database_url: str) -> None:
    server_url, name = database_url.rsplit("/", 1)
    connection = _admin_connection(server_url)
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    connection.close()


@dataclass
class AirflowStack:
    """A running set of Airflow services and a REST client for them."""

    home: Path
    base_url: str
    env: dict[str, str]
    database_url: str
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    password: str = ADMIN_PASSWORD
    _token: str | None = None

    # --- processes -----------------------------------------------------------------------
    def airflow(self, *args: str, env: dict[str, str] | None = None, timeout: float = 120) -> str:
        """Run an `airflow` CLI command against this stack; returns stdout, raises on failure."""
        result = subprocess.run(
            [AIRFLOW, *args], env={**self.env, **(env or {})}, cwd=self.home,
            capture_output=True, text=True, timeout=timeout,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"airflow {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def start(self, name: str, *args: str, env: dict[str, str] | None = None) -> None:
        log = open(self.home / f"{name}.log", "wb")  # noqa: SIM115 - lives as long as the process
        self.processes[name] = subprocess.Popen(
            [AIRFLOW, *args], env={**self.env, **(env or {})}, cwd=self.home,
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )

    def log_tail(self, name: str, lines: int = 40) -> str:
        path = self.home / f"{name}.log"
        text = path.read_text(errors="replace") if path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)

    # --- REST, as the UI does it -----------------------------------------------------------
    def token(self) -> str:
        if self._token is None:
            response = httpx.post(f"{self.base_url}/auth/token", timeout=30,
                                  json={"username": "admin", "password": ADMIN_PASSWORD})
            response.raise_for_status()
            self._token = response.json()["access_token"]
        return self._token

    def api(self, method: str, path: str, **kwargs) -> dict:
        response = httpx.request(
            method, f"{self.base_url}/api/v2{path}", timeout=30,
            headers={"Authorization": f"Bearer {self.token()}"}, **kwargs,
        )
        if response.status_code >= 400:
            raise RuntimeError(f"{method} {path}: HTTP {response.status_code}: {response.text}")
        return response.json() if response.content else {}

    def wait_healthy(self, timeout: float = HEALTH_TIMEOUT_S) -> None:
        deadline = time.monotonic() + timeout
        last = "no answer"
        while time.monotonic() < deadline:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(f"{name} exited with {process.returncode}:\n"
                                       + self.log_tail(name))
            try:
                health = httpx.get(f"{self.base_url}/api/v2/monitor/health", timeout=5).json()
                last = json.dumps(health)
                parts = ("metadatabase", "scheduler", "dag_processor")
                if all(health.get(p, {}).get("status") == "healthy" for p in parts):
                    return
            except httpx.HTTPError as exc:
                last = str(exc)
            time.sleep(1)
        raise TimeoutError(f"Airflow not healthy after {timeout} s: {last}")

    def wait_for_log_line(self, names: list[str], text: str, timeout: float = 60) -> None:
        """Until each named process has logged `text` (Celery workers log "... ready.")."""
        deadline = time.monotonic() + timeout
        while names and time.monotonic() < deadline:
            names = [n for n in names if text not in self.log_tail(n, lines=400)]
            time.sleep(0.5)
        if names:
            raise TimeoutError(f"{names} did not log {text!r} in {timeout} s")

    def wait_for_dag(self, dag_id: str, timeout: float = 60) -> dict:
        """Until the dag-processor has registered the DAG (then unpause it as the UI does)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                return self.api("GET", f"/dags/{dag_id}")
            except RuntimeError:
                time.sleep(1)
        raise TimeoutError(f"DAG {dag_id} not registered after {timeout} s:\n"
                           + self.log_tail("dag-processor"))

    def trigger(self, dag_id: str, conf: dict, *, unpause: bool = True) -> str:
        """POST a run with `conf` and no logical date: what the UI's trigger form sends."""
        if unpause:
            self.api("PATCH", f"/dags/{dag_id}", json={"is_paused": False})
        run = self.api("POST", f"/dags/{dag_id}/dagRuns", json={
            "dag_run_id": f"test__{uuid.uuid4().hex[:12]}", "logical_date": None, "conf": conf,
        })
        return run["dag_run_id"]

    def wait_for_run(self, dag_id: str, run_id: str, timeout: float = 180) -> str:
        deadline = time.monotonic() + timeout
        state = "unknown"
        while time.monotonic() < deadline:
            state = self.api("GET", f"/dags/{dag_id}/dagRuns/{run_id}")["state"]
            if state in ("success", "failed"):
                return state
            time.sleep(2)
        raise TimeoutError(f"run {run_id} still {state} after {timeout} s")

    def task_instances(self, dag_id: str, run_id: str) -> list[dict]:
        return self.api("GET", f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances")["task_instances"]

    def task_log(self, dag_id: str, run_id: str, task_id: str, map_index: int = -1) -> str:
        path = f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}/logs/1"
        content = self.api("GET", path, params={"map_index": map_index})
        return json.dumps(content.get("content", content))


def base_environment(home: Path, database_url: str, api_port: int) -> dict[str, str]:
    """Settings every component of one stack shares (see docs/operations.md)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("AIRFLOW", "AWS_", "AKHBAR_TEST_"))}  # S3: aws_default only
    passwords = home / "passwords.json"
    passwords.write_text(json.dumps({"admin": ADMIN_PASSWORD}))
    env.update({
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(REPO / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__PARALLELISM": "4",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": database_url,
        "AIRFLOW__API__PORT": str(api_port),
        "AIRFLOW__API__BASE_URL": f"http://127.0.0.1:{api_port}",
        "AIRFLOW__API__WORKERS": "1",
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{api_port}/execution/",
        "AIRFLOW__API_AUTH__JWT_SECRET": uuid.uuid4().hex,
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": "admin:admin",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(passwords),
        "AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC": "2",
        "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(free_port()),
        "AKHBAR_TASK_RETRIES": "0",
        "AKHBAR_DAILY_SCHEDULE": "off",  # no scheduled run racing the test's triggered one
        "AKHBAR_LAKE": str(home / "default-lake"),  # never the repo's data/ folder
        "PYTHONPATH": os.pathsep.join([str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])]),
    })
    return env


def start_stack(
    *, postgres_url: str, extra_env: dict[str, str] | None = None,
    celery_broker_url: str | None = None, celery_workers: int = 0,
) -> AirflowStack:
    """Migrate a fresh database and start api-server, scheduler, dag-processor (+ workers)."""
    home = Path(tempfile.mkdtemp(prefix="akhbar-airflow-stack-"))
    database_url = create_database(postgres_url)
    api_port = free_port()
    env = base_environment(home, database_url, api_port)
    if celery_broker_url:
        # The broker DB is the tests' own: drop tasks a killed earlier stack left queued or
        # unacknowledged, which a new worker would otherwise pick up first.
        import redis

        redis.Redis.from_url(celery_broker_url).flushdb()
        env.update({
            "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
            "AIRFLOW__CELERY__BROKER_URL": celery_broker_url,
            "AIRFLOW__CELERY__RESULT_BACKEND": "db+" + database_url.replace("+psycopg2", ""),
            "AIRFLOW__CELERY__WORKER_PREFETCH_MULTIPLIER": "1",
            "AIRFLOW__CELERY__CELERY_CONFIG_OPTIONS": "akhbar_celery.CELERY_CONFIG",
            "PYTHONPATH": os.pathsep.join([str(REPO / "dags"), env["PYTHONPATH"]]),
        })
    else:
        env["AIRFLOW__CORE__EXECUTOR"] = "LocalExecutor"
    env.update(extra_env or {})
    stack = AirflowStack(home=home, base_url=f"http://127.0.0.1:{api_port}", env=env,
                         database_url=database_url)
    try:
        stack.airflow("db", "migrate", timeout=300)
        stack.start("api-server", "api-server", "--port", str(api_port))
        stack.start("scheduler", "scheduler")
        stack.start("dag-processor", "dag-processor")
        # Concurrency 1 and no prefetch (dags/akhbar_celery.py): a busy worker takes nothing
        # more, so two tasks queued together land on two workers.
        for number in range(1, celery_workers + 1):
            name = f"w{number}"
            stack.start(f"worker-{name}", "celery", "worker", "--celery-hostname", f"{name}@%h",
                        "--concurrency", "1", env={
                            "AKHBAR_WORKER_NAME": name,
                            "AIRFLOW__CORE__HOSTNAME_CALLABLE": HOSTNAME_CALLABLE,
                            "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(free_port()),
                        })
        stack.wait_healthy()
        stack.wait_for_log_line([f"worker-w{n}" for n in range(1, celery_workers + 1)],
                                " ready.")
        stack.api("POST", "/pools", json={  # what ops do once: docs/operations.md
            "name": "akhbar_crawl", "slots": CRAWL_POOL_SLOTS,
            "description": "concurrent crawls (news_daily source.crawl)"})
    except BaseException:
        stack.stop()
        print(stack.log_tail("scheduler"), file=sys.stderr)
        cleanup(stack)
        raise
    return stack


def cleanup(stack: AirflowStack) -> None:
    """Drop the stack's database and home once its processes are gone."""
    drop_database(stack.database_url)
    shutil.rmtree(stack.home, ignore_errors=True)


# --- Test inputs shared by the Airflow test files ---------------------------------------------
def write_sources(path: Path, base_url: str, *, dead_source: bool = False,
                  download_delay: float | None = None) -> Path:
    """The repo's sources.yaml pointed at the demo site (and, optionally, a dead site)."""
    config = yaml.safe_load((REPO / "sources.yaml").read_text().replace(
        "${AKHBAR_DEMO_URL:-http://127.0.0.1:8765}", base_url))
    config["retry_times"] = 0  # the dead site fails at once instead of after retries
    if download_delay is not None:
        config["autothrottle"] = False  # a fixed, predictable pace
        for source in config["sources"]:
            source["download_delay"] = download_delay
    if dead_source:
        config["sources"].append({
            "name": "deadsite", "language": "en", "max_pages": 5,
            "start_urls": [f"http://127.0.0.1:{free_port()}/feed.xml"],
        })
    path.write_text(yaml.safe_dump(config))
    return path


class AlertReceiver:
    """A local webhook endpoint that records every JSON body posted to it."""

    def __init__(self) -> None:
        received = self.received = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                received.append(json.loads(body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/akhbar"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def aws_connection(endpoint_url: str) -> str:
    """`aws_default` as Airflow reads it from the environment: endpoint in the extras."""
    return json.dumps({"conn_type": "aws", "login": "testing", "password": "testing",
                       "extra": {"endpoint_url": endpoint_url, "region_name": "us-east-1"}})


def parquet_keys(s3_endpoint, bucket: str, prefix: str) -> list[str]:
    listing = s3_endpoint.client().list_objects_v2(Bucket=bucket, Prefix=prefix)
    return sorted(o["Key"] for o in listing.get("Contents", []) if o["Key"].endswith(".parquet"))
