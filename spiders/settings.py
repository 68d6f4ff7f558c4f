"""Crawl defaults: every tunable of the akhbar crawler in one place.

Scrapy settings keep their Scrapy names; settings of our own are prefixed ``AKHBAR_`` so a
reader can tell at a glance which knob belongs to which layer. Values that come from the
sources file (user agent, timeouts, per-source concurrency...) are filled in by
``spiders.config.scrapy_settings``; the numbers here are the fallbacks. Units are in the
comments: s = seconds, B = bytes.
"""

from __future__ import annotations

BOT_NAME = "akhbar"
SPIDER_MODULES = ["spiders.news"]
NEWSPIDER_MODULE = "spiders.news"

# --- process hygiene (we always run as a subprocess, see FIELD-NOTES "Scrapy under Airflow")
TELNETCONSOLE_ENABLED = False
LOG_INSTALL_ROOT_HANDLER = True  # our own process: Scrapy's log goes to stderr for the task log
LOG_LEVEL = "INFO"
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
STATS_DUMP = False  # the close summary (spiders.stats.summary_lines) says it readably
LOGSTATS_INTERVAL = 0  # Scrapy's own "Crawled N pages" line; ours is more readable (below)
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
TWISTED_DNS_RESOLVER = "spiders.netguard.GuardedResolver"

# --- politeness
ROBOTSTXT_OBEY = True
USER_AGENT = "akhbar-bot/0.1 (+https://example.org/akhbar-bot)"
CONCURRENT_REQUESTS = 32  # all hosts together
CONCURRENT_REQUESTS_PER_DOMAIN = 4  # replaced by the source's `concurrency`
DOWNLOAD_DELAY = 0.0  # s between requests to one host; replaced by the source's `download_delay`
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.0  # s
AUTOTHROTTLE_MAX_DELAY = 30.0  # s
AUTOTHROTTLE_TARGET_CONCURRENCY = 4.0  # parallel requests per host AutoThrottle aims for
AKHBAR_MAX_CRAWL_DELAY = 30.0  # s; a robots.txt Crawl-delay above this is capped

# --- faults
DOWNLOAD_TIMEOUT = 30  # s for one whole response (a hanging site ends here)
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024  # B, also enforced after gzip/deflate/br decompression
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024  # B
DOWNLOAD_FAIL_ON_DATALOSS = True
RETRY_ENABLED = True
RETRY_TIMES = 3  # extra attempts after the first
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
RETRY_GIVE_UP_LOG_LEVEL = "WARNING"  # a dead page is a reject row, not a crawler error
AKHBAR_RETRY_BACKOFF_BASE = 1.0  # s; attempt n waits base * 2**(n-1) (plus jitter)
AKHBAR_RETRY_BACKOFF_MAX = 60.0  # s; cap of one backoff wait
AKHBAR_RETRY_AFTER_MAX = 120.0  # s; a longer Retry-After gives up on the URL instead of waiting
REDIRECT_ENABLED = True
REDIRECT_MAX_TIMES = 10  # a longer chain is reported as `redirect_loop`
METAREFRESH_ENABLED = False
HTTPERROR_ALLOW_ALL = False
COOKIES_ENABLED = False
DNS_TIMEOUT = 20  # s

# --- crawl-trap and scope limits (per source; the sources file may override them)
AKHBAR_MAX_PAGINATION = 20  # listing pages followed per section (page=2..N, /page/N)
AKHBAR_MAX_LISTINGS = 200  # section/category/pagination pages followed per crawl
AKHBAR_MAX_URL_LENGTH = 512  # characters; longer URLs are traps or junk
AKHBAR_MAX_QUERY_PARAMS = 4  # more query parameters than this is a faceted-search trap

# --- incremental crawling
AKHBAR_SEEN_LOOKBACK_DAYS = 400  # days of `raw` partitions read for the seen-set (0 = all)

# --- observability
AKHBAR_PROGRESS_INTERVAL = 30.0  # s between progress lines in the task log

# --- distributed mode (scrapy-redis), switched on by `distributed.enabled` in the sources file
AKHBAR_DISTRIBUTED = False
AKHBAR_ROWS_TTL = 7 * 24 * 3600  # s a distributed run's shared rows live in Redis
SCHEDULER_PERSIST = True  # the frontier outlives one worker; keys are per run_id

# --- throughput: each response's output is handled by CONCURRENT_ITEMS asyncio tasks; ours
# is one row plus a few links and the pipeline only appends, so 100 tasks per page is waste
CONCURRENT_ITEMS = 4

# --- our pieces
DOWNLOADER_MIDDLEWARES = {
    "spiders.netguard.NetworkGuardMiddleware": 50,  # before robots.txt, so nothing leaks
    "spiders.middlewares.BackoffDelayMiddleware": 60,
    "spiders.middlewares.ConditionalGetMiddleware": 560,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "spiders.middlewares.BackoffRetryMiddleware": 550,
}
ITEM_PIPELINES = {"spiders.pipeline.LakeWriterPipeline": 800}
EXTENSIONS = {
    "scrapy.extensions.telnet.TelnetConsole": None,
    "scrapy.extensions.remote_control.RemoteControl": None,  # no listening ports
    "scrapy.extensions.throttle.AutoThrottle": None,
    "spiders.throttle.PoliteAutoThrottle": 0,  # AutoThrottle that keeps Crawl-delay as a floor
    "spiders.progress.ProgressLog": 500,
}
