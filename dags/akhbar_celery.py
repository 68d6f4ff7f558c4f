"""Celery settings for akhbar workers (`[celery] celery_config_options`, see below).

Airflow's defaults plus one change. With Redis, a worker whose slots are all busy still
reserves the next task (prefetch), so a second crawl can wait hours behind a long crawl on
one worker while another worker idles. `worker_disable_prefetch` makes a busy worker leave
queued tasks to free ones. Needs this folder on the workers' and the scheduler's PYTHONPATH.
"""

from __future__ import annotations

from airflow.providers.celery.executors.default_celery import DEFAULT_CELERY_CONFIG

CELERY_CONFIG = {**DEFAULT_CELERY_CONFIG, "worker_disable_prefetch": True}
