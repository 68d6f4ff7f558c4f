"""Post a structured alert to a webhook (Slack-style incoming hooks, Alertmanager, a script).

Plain standard library and no Airflow import, so the same poster serves the DAG's failure
callback and any command-line job. The body is the alert itself as JSON.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Mapping
from typing import Any

DEFAULT_TIMEOUT_S = 10.0  # a hung receiver must not hold a worker slot


class AlertDeliveryError(RuntimeError):
    """The webhook did not accept the alert (network error or a non-2xx answer)."""


def post_alert(url: str, alert: Mapping[str, Any], *, timeout: float = DEFAULT_TIMEOUT_S) -> int:
    """POST `alert` as JSON to `url`; returns the HTTP status, raises AlertDeliveryError."""
    if not url.startswith(("http://", "https://")):
        raise AlertDeliveryError(f"webhook URL {url!r} is not http(s)")
    body = json.dumps(dict(alert), sort_keys=True, default=str).encode("utf-8")
    request = urllib.request.Request(
        url, data=body, method="POST",
        headers={"Content-Type": "application/json", "User-Agent": "akhbar-alerts/1"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        raise AlertDeliveryError(f"webhook {url} answered HTTP {exc.code}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise AlertDeliveryError(f"webhook {url} unreachable: {exc}") from exc
