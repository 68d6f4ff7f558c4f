"""Start the machine's PostgreSQL / Redis when they are down, for tests that need them.

A test that needs a server calls `ensure_postgres()` / `ensure_redis()`. Only when the server
binaries are absent does it skip, and it says why.
"""

from __future__ import annotations

import glob
import shutil
import socket
import subprocess
import time

import pytest


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def _wait_for(host: str, port: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if port_open(host, port):
            return True
        time.sleep(0.2)
    return False


def ensure_postgres(host: str = "127.0.0.1", port: int = 5432) -> str:
    """Return a SQLAlchemy URL base for the machine's PostgreSQL, starting it if needed."""
    if not port_open(host, port):
        if not shutil.which("pg_ctlcluster"):
            pytest.skip("PostgreSQL is down and pg_ctlcluster is not installed on this machine")
        versions = sorted(glob.glob("/etc/postgresql/*"))
        if not versions:
            pytest.skip("PostgreSQL server binaries present but no cluster in /etc/postgresql")
        version = versions[-1].rsplit("/", 1)[-1]
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], check=False
        )
        if not _wait_for(host, port, 30):
            pytest.fail("PostgreSQL did not come up on 127.0.0.1:5432")
    return f"postgresql+psycopg2://postgres@{host}:{port}"


def ensure_redis(host: str = "127.0.0.1", port: int = 6379) -> str:
    """Return a redis:// URL for the machine's Redis, starting it if needed."""
    if not port_open(host, port):
        if not shutil.which("redis-server"):
            pytest.skip("Redis is down and redis-server is not installed on this machine")
        subprocess.run(
            ["redis-server", "--daemonize", "yes", "--bind", host, "--port", str(port),
             "--save", "", "--appendonly", "no"],
            check=False,
        )
        if not _wait_for(host, port, 15):
            pytest.fail("Redis did not come up on 127.0.0.1:6379")
    return f"redis://{host}:{port}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
