"""The SSRF guard: private, loopback and link-local targets are refused by default, also
behind a redirect and behind DNS; the documented switch turns it off."""

from __future__ import annotations

import pytest

from spiders.netguard import is_private_address
from tests.faultsite import FaultSite, raw_rows, redirect, rss2, run_crawl, serve

PUBLIC_NAME = "news.example.test"  # resolved to 127.0.0.1 by the test-only hosts hook


@pytest.mark.parametrize(
    ("address", "private"),
    [("10.0.0.1", True), ("169.254.169.254", True), ("127.0.0.1", True), ("192.168.1.5", True),
     ("172.16.0.1", True), ("100.64.0.1", True), ("::1", True), ("fe80::1", True),
     ("fd00::1", True), ("::ffff:10.0.0.1", True), ("0.0.0.0", True), ("8.8.8.8", False),
     ("2606:4700::1111", False), ("news.example.org", False)],
)
def test_private_addresses(address: str, private: bool) -> None:
    assert is_private_address(address) is private


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("netguard")
    site = FaultSite()
    with serve(site):
        port = site.base_url.rsplit(":", 1)[1]
        public = f"http://{PUBLIC_NAME}:{port}"
        site.article("/news/ok.html")
        site.article("/news/secret.html")
        site.routes["/go/metadata"] = redirect("http://169.254.169.254/latest/meta-data/")
        site.routes["/go/local"] = redirect(f"http://localhost:{port}/news/secret.html")
        site.page("/feed.xml", rss2([(u, None) for u in (
            "http://10.0.0.1/x", "http://169.254.169.254/latest/meta-data/",
            f"http://2130706433:{port}/news/secret.html",  # 127.0.0.1 spelled as an integer
            f"{public}/go/metadata", f"{public}/go/local", f"{public}/news/ok.html")]))
        site.page("/local.xml", rss2([(f"{public}/go/local", None)]))
        sources = tmp / "sources.yaml"
        sources.write_text(f"""
download_timeout: 5
retry_times: 1
sources:
  - name: guarded
    start_urls: ["{public}/feed.xml"]
    allowed_domains: [{PUBLIC_NAME}, 10.0.0.1, 169.254.169.254, localhost, "2130706433"]
  - name: switched
    start_urls: ["{public}/local.xml"]
    allowed_domains: [{PUBLIC_NAME}, localhost]
""")
        env = {"AKHBAR_TEST_PUBLIC_HOSTS": f"{PUBLIC_NAME}=127.0.0.1"}
        lake = str(tmp / "lake")
        refused = run_crawl(str(sources), "guarded", "2026-11-20", lake, env=env,
                            allow_private=False)
        secret_hits_refused = site.count("/news/secret.html")
        allowed = run_crawl(str(sources), "switched", "2026-11-20", lake,
                            env={**env, "AKHBAR_ALLOW_PRIVATE_NETWORKS": "1"})
        yield {
            "refused": refused, "allowed": allowed, "site": site, "public": public,
            "secret_hits_refused": secret_hits_refused,
            "rows": {r["url"]: r for r in raw_rows(lake, source="guarded")},
            "switched_rows": {r["url"]: r for r in raw_rows(lake, source="switched")},
        }


def test_feed_links_to_private_addresses_are_refused(guarded) -> None:
    assert guarded["refused"].returncode == 0, guarded["refused"].stderr[-3000:]
    rows = guarded["rows"]
    for url in ("http://10.0.0.1/x", "http://169.254.169.254/latest/meta-data/"):
        assert rows[url]["error"] == "private_network"
        assert rows[url]["status"] is None and rows[url]["body"] is None


def test_redirect_to_a_private_address_is_refused(guarded) -> None:
    rows, public = guarded["rows"], guarded["public"]
    literal = rows[f"{public}/go/metadata"]
    assert literal["error"] == "private_network"
    assert "169.254.169.254" in literal["error_detail"]
    by_dns = rows[f"{public}/go/local"]  # localhost is only private once DNS has answered
    assert by_dns["error"] == "private_network"
    assert "127.0.0.1" in by_dns["error_detail"]
    assert guarded["secret_hits_refused"] == 0  # the private target was never contacted


def test_public_pages_of_the_same_feed_are_fetched(guarded) -> None:
    row = guarded["rows"][f"{guarded['public']}/news/ok.html"]
    assert row["status"] == 200 and row["error"] is None


def test_the_switch_allows_private_targets(guarded) -> None:
    assert guarded["allowed"].returncode == 0
    row = guarded["switched_rows"][f"{guarded['public']}/go/local"]
    assert row["error"] is None and row["status"] == 200
    assert row["final_url"].startswith("http://localhost:")


def test_obfuscated_loopback_is_caught_after_resolution(guarded) -> None:
    port = guarded["public"].rsplit(":", 1)[1]
    row = guarded["rows"][f"http://2130706433:{port}/news/secret.html"]
    assert row["error"] == "private_network" and "127.0.0.1" in row["error_detail"]
