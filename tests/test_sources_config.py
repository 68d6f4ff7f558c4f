"""The sources file: valid files load, bad ones fail with a message naming the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from processing.sources import SourcesError, expand_env, load_sources, parse_sources

REPO = Path(__file__).resolve().parent.parent

GOOD = """
allow_private_networks: true
sources:
  - name: alwaha
    language: ar
    start_urls: ["http://127.0.0.1:8765/ar/feed/"]
    max_pages: 10
"""


def test_repo_sources_file_is_valid(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AKHBAR_DEMO_URL", "http://127.0.0.1:9999")
    config = load_sources(REPO / "sources.yaml")
    names = [s.name for s in config.sources]
    assert names == ["alwaha", "harbor"]
    assert {s.language for s in config.sources} == {"ar", "en"}
    assert all(u.startswith("http://127.0.0.1:9999/") for s in config.sources
               for u in s.start_urls)


def test_defaults_and_lookup() -> None:
    config = parse_sources(GOOD)
    source = config.source("alwaha")
    assert source.max_pages == 10
    assert source.enabled
    assert config.private_networks_allowed
    with pytest.raises(SourcesError, match="unknown source 'nope'.*alwaha"):
        config.source("nope")


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(SourcesError, match="sources file not found"):
        load_sources(tmp_path / "absent.yaml")


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("sources: []", "sources"),
        ("sources:\n  - name: x\n", "sources[0].start_urls"),
        ("sources:\n  - name: Bad Name\n    start_urls: [http://a.b/]\n", "sources[0].name"),
        ("sources:\n  - name: a\n    start_urls: [ftp://a.b/]\n", "sources[0].start_urls"),
        ("sources:\n  - name: a\n    start_urls: [http://a.b/]\n    max_pages: 0\n",
         "sources[0].max_pages"),
        ("sources:\n  - name: a\n    start_urls: [http://a.b/]\n    colour: red\n",
         "sources[0].colour"),
        ("sources:\n  - name: a\n    start_urls: [http://a.b/]\n    deny: ['(']\n",
         "sources[0].deny"),
        ("sources:\n  - name: a\n    start_urls: [http://a.b/]\n    language: fr\n",
         "sources[0].language"),
    ],
)
def test_invalid_field_is_named(text: str, field: str) -> None:
    with pytest.raises(SourcesError) as info:
        parse_sources(text, "bad.yaml")
    assert field in str(info.value)
    assert "bad.yaml" in str(info.value)


def test_malformed_yaml_and_wrong_top_level() -> None:
    with pytest.raises(SourcesError, match="not valid YAML"):
        parse_sources("sources: [unclosed", "x.yaml")
    with pytest.raises(SourcesError, match="top level must be a mapping"):
        parse_sources("- just\n- a list\n", "x.yaml")


def test_duplicate_names_rejected() -> None:
    text = GOOD + "  - name: alwaha\n    start_urls: ['http://x.y/']\n"
    with pytest.raises(SourcesError, match="appears twice"):
        parse_sources(text)


def test_env_expansion() -> None:
    assert expand_env("${A}/x ${B:-dflt}", {"A": "1"}) == "1/x dflt"
    with pytest.raises(SourcesError, match="MISSING"):
        expand_env("${MISSING}", {})
