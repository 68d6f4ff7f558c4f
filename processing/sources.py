"""The sources file (`sources.yaml`): what to crawl, validated before anything runs.

Validation is done by pydantic so that a bad file fails with a message naming the
field (``sources[1].start_urls: ...``) instead of a KeyError deep inside a crawl.
``${VAR}`` and ``${VAR:-default}`` in the file are expanded from the environment, so
one file serves the demo site (whose port changes) and production alike.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

ENV_PATTERN = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?::-(?P<default>[^}]*))?\}")
SOURCE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
PRIVATE_NETWORKS_ENV = "AKHBAR_ALLOW_PRIVATE_NETWORKS"


class SourcesError(ValueError):
    """The sources file is missing, unreadable or invalid; the message names the field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    """One news site: where to start and how hard to crawl it."""

    name: str
    start_urls: list[str] = Field(min_length=1)
    allowed_domains: list[str] = Field(default_factory=list)
    language: Literal["ar", "en"] | None = None
    max_pages: int = Field(default=200, ge=1)
    max_age_days: int | None = Field(default=None, ge=0)
    refetch_after_days: int | None = Field(default=None, ge=1)
    allow: list[str] = Field(default_factory=list)
    deny: list[str] = Field(default_factory=list)
    download_delay: float = Field(default=0.0, ge=0)
    concurrency: int = Field(default=4, ge=1, le=64)
    max_depth: int = Field(default=2, ge=0)
    enabled: bool = True
    # Crawl-trap bound: listing pages followed per section (page=2..N); see docs/crawling.md.
    max_pagination: int = Field(default=20, ge=0)
    # Also read `Sitemap:` lines from each start host's robots.txt.
    robots_sitemaps: bool = False
    # Regexes of section/listing page URLs: followed for their links, never stored as pages
    # (category/section paths and language home pages are recognised without this).
    sections: list[str] = Field(default_factory=list)

    @field_validator("name")
    @classmethod
    def _name_is_a_partition_value(cls, value: str) -> str:
        if not SOURCE_NAME.match(value):
            raise ValueError(
                f"{value!r} must be lower-case letters, digits, '-' or '_' "
                "(it becomes the source=NAME partition)"
            )
        return value

    @field_validator("start_urls")
    @classmethod
    def _urls_are_http(cls, values: list[str]) -> list[str]:
        for url in values:
            if not re.match(r"^https?://[^/\s]+", url):
                raise ValueError(f"{url!r} is not an http(s) URL")
        return values

    @field_validator("allow", "deny", "sections")
    @classmethod
    def _patterns_compile(cls, values: list[str]) -> list[str]:
        for pattern in values:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"{pattern!r} is not a valid regular expression: {exc}") from exc
        return values


class Distributed(_Strict):
    """Shared Redis frontier for several crawler processes (off by default)."""

    enabled: bool = False
    redis_url: str = "redis://127.0.0.1:6379/0"
    # Prefix of every Redis key (frontier, seen-set, shared rows); one prefix per deployment.
    key_prefix: str = Field(default="akhbar", pattern=r"^[A-Za-z0-9_.:-]+$")


class SourcesConfig(_Strict):
    """The whole file: global crawl settings plus the list of sources."""

    sources: list[Source] = Field(min_length=1)
    allow_private_networks: bool = False
    user_agent: str = "akhbar-bot/0.1"
    contact_url: str = "https://example.org/akhbar-bot"
    obey_robots: bool = True
    autothrottle: bool = True
    download_timeout: float = Field(default=30.0, gt=0)
    download_maxsize: int = Field(default=10 * 1024 * 1024, ge=1024)
    retry_times: int = Field(default=3, ge=0)
    distributed: Distributed = Field(default_factory=Distributed)

    @model_validator(mode="after")
    def _names_unique(self) -> SourcesConfig:
        seen: set[str] = set()
        for source in self.sources:
            if source.name in seen:
                raise ValueError(f"source name {source.name!r} appears twice")
            seen.add(source.name)
        return self

    def source(self, name: str) -> Source:
        for source in self.sources:
            if source.name == name:
                return source
        known = ", ".join(s.name for s in self.sources)
        raise SourcesError(f"unknown source {name!r}; the sources file defines: {known}")

    def enabled_sources(self, names: list[str] | None = None) -> list[Source]:
        """The sources to run: all enabled ones, or exactly those named."""
        if names:
            return [self.source(name) for name in names]
        return [s for s in self.sources if s.enabled]

    @property
    def private_networks_allowed(self) -> bool:
        return self.allow_private_networks or os.environ.get(PRIVATE_NETWORKS_ENV) == "1"


def expand_env(text: str, environ: dict[str, str] | None = None) -> str:
    """Replace ``${VAR}`` / ``${VAR:-default}``; an unset VAR without default is an error."""
    env = os.environ if environ is None else environ

    def replace(match: re.Match[str]) -> str:
        name, default = match.group("name"), match.group("default")
        if name in env:
            return env[name]
        if default is not None:
            return default
        raise SourcesError(f"environment variable {name} is used in the sources file but not set")

    return ENV_PATTERN.sub(replace, text)


def _format_errors(path: Path, exc: ValidationError) -> str:
    lines = [f"{path}: invalid sources file"]
    for error in exc.errors():
        where = ""
        for part in error["loc"]:
            where += f"[{part}]" if isinstance(part, int) else (f".{part}" if where else str(part))
        lines.append(f"  {where or '(top level)'}: {error['msg']}")
    return "\n".join(lines)


def parse_sources(text: str, path: Path | str = "<string>") -> SourcesConfig:
    path = Path(path)
    try:
        data = yaml.safe_load(expand_env(text))
    except yaml.YAMLError as exc:
        raise SourcesError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise SourcesError(f"{path}: the top level must be a mapping with a 'sources:' list")
    try:
        return SourcesConfig.model_validate(data)
    except ValidationError as exc:
        raise SourcesError(_format_errors(path, exc)) from exc


def load_sources(path: Path | str) -> SourcesConfig:
    """Read and validate a sources file; raises SourcesError with a readable message."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise SourcesError(f"{path}: sources file not found") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise SourcesError(f"{path}: cannot read sources file: {exc}") from exc
    return parse_sources(text, path)
