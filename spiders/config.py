"""Sources file + one source -> the Scrapy settings of that crawl (on top of spiders.settings)."""

from __future__ import annotations

from typing import Any

from processing.sources import Source, SourcesConfig


def user_agent(config: SourcesConfig) -> str:
    """`name/version (+contact)`: identifies us and says where to complain."""
    if config.contact_url and config.contact_url not in config.user_agent:
        return f"{config.user_agent} (+{config.contact_url})"
    return config.user_agent


def scrapy_settings(config: SourcesConfig, source: Source, *, run_id: str) -> dict[str, Any]:
    settings: dict[str, Any] = {
        "USER_AGENT": user_agent(config),
        "ROBOTSTXT_OBEY": config.obey_robots,
        "ROBOTSTXT_USER_AGENT": config.user_agent.split("/", 1)[0],
        "AUTOTHROTTLE_ENABLED": config.autothrottle,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(source.concurrency),
        "DOWNLOAD_TIMEOUT": config.download_timeout,
        "DOWNLOAD_MAXSIZE": config.download_maxsize,
        "DOWNLOAD_WARNSIZE": min(config.download_maxsize, 2 * 1024 * 1024),
        "RETRY_TIMES": config.retry_times,
        "CONCURRENT_REQUESTS_PER_DOMAIN": source.concurrency,
        "CONCURRENT_REQUESTS": max(16, 2 * source.concurrency),
        "DOWNLOAD_DELAY": source.download_delay,
        "AKHBAR_ALLOW_PRIVATE": config.private_networks_allowed,
    }
    if config.distributed.enabled:
        from spiders.distributed import distributed_settings

        settings.update(distributed_settings(config, source, run_id=run_id))
    return settings
