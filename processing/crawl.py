"""Run the Scrapy spider as a subprocess and hand back its stats.

A subprocess, not an in-process CrawlerProcess: Twisted's reactor cannot restart, so a second
crawl in the same process (an Airflow `dag.test()`, mapped tasks on one worker) would fail.
The child's log lines are forwarded to our logger as they arrive, so an operator follows a long
crawl live in the Airflow task log.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

log = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parent.parent


class CrawlError(RuntimeError):
    """The spider could not run at all (bad config, crash); per-page failures are not this."""


def spider_command(
    *, sources_file: str, source: str, date: str, lake: str, run_id: str, max_pages: int | None
) -> list[str]:
    """The child's argv: this interpreter, so the child runs in the same virtualenv."""
    command = [
        sys.executable, "-m", "spiders", "crawl",
        "--sources", str(sources_file), "--source", source,
        "--date", date, "--lake", lake, "--run-id", run_id,
    ]
    if max_pages:
        command += ["--max-pages", str(max_pages)]
    return command


def _child_env() -> dict[str, str]:
    """Our environment plus the repo on PYTHONPATH, so `-m spiders` imports from any cwd."""
    env = dict(os.environ)
    paths = [str(REPO_ROOT)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])
    env["PYTHONPATH"] = os.pathsep.join(paths)
    return env


def run_spider(
    *, sources_file: str, source: str, date: str, lake: str, run_id: str,
    max_pages: int | None = None,
) -> dict:
    """Crawl one source; returns the JSON stats the spider prints as its last stdout line."""
    command = spider_command(
        sources_file=sources_file, source=source, date=date, lake=lake,
        run_id=run_id, max_pages=max_pages,
    )
    log.info("crawl %s: %s", source, " ".join(command))
    process = subprocess.Popen(
        command, cwd=REPO_ROOT, env=_child_env(), stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, bufsize=1,
    )
    last_json: dict | None = None
    tail: list[str] = []
    assert process.stdout is not None
    for line in process.stdout:
        line = line.rstrip("\n")
        log.info("[spider %s] %s", source, line)
        tail = (tail + [line])[-20:]
        if line.startswith("{"):
            with contextlib.suppress(json.JSONDecodeError):
                last_json = json.loads(line)
    code = process.wait()  # stdout is at EOF: the child has exited or closed it
    if code != 0 or last_json is None:
        raise CrawlError(
            f"spider for source {source!r} exited with code {code}; last output:\n"
            + "\n".join(tail)
        )
    return last_json
