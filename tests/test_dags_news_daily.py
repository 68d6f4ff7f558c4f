"""news_daily and news_reprocess run in-process with `dag.test()` against the demo site.

Each DAG run is the real pipeline (spider subprocess, extraction, lake commit) on a temporary
local lake; only the Airflow metadata DB is a throwaway SQLite file.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pyarrow as pa
import pytest
import yaml

from tests.airflow_env import REPO, airflow_db, dagbag  # noqa: F401 - fixtures
from tests.airflow_stack import AlertReceiver, write_sources
from tests.services import free_port

DAY = "2026-11-20"
MAX_PAGES = 5  # per source: a few articles each keeps a run at ~10-20 s


def run_states(dag_run) -> dict[tuple[str, int], str]:
    from airflow.utils.session import create_session

    with create_session() as session:
        return {(ti.task_id, ti.map_index): ti.state
                for ti in dag_run.get_task_instances(session=session)}


def returned(dag_run, task_id: str) -> dict[int, object]:
    """The XCom return values of one task, by map index."""
    from airflow.models.xcom import XComModel
    from airflow.utils.session import create_session

    with create_session() as session:
        query = XComModel.get_many(run_id=dag_run.run_id, dag_ids=dag_run.dag_id,
                                   task_ids=task_id, key="return_value")
        rows = session.scalars(query).all()
        return {row.map_index: XComModel.deserialize_value(row) for row in rows}


def read(lake: str, dataset: str, day: str = DAY) -> pa.Table:
    from processing.lake import open_lake

    return open_lake(lake).read(dataset, start=day, end=day)


def per_source(table: pa.Table) -> dict[str, int]:
    sources = table.column("source").to_pylist()
    return {name: sources.count(name) for name in sorted(set(sources))}


@pytest.fixture
def alert_receiver(monkeypatch: pytest.MonkeyPatch) -> Iterator[AlertReceiver]:
    receiver = AlertReceiver()
    monkeypatch.setenv("AIRFLOW_VAR_AKHBAR_ALERT_WEBHOOK_URL", receiver.url)
    yield receiver
    receiver.close()


@pytest.fixture(scope="module")
def daily_run(dagbag, demo_site, tmp_path_factory) -> dict:  # noqa: F811
    """One normal news_daily run over both demo sources, shared by the tests that read it."""
    folder = tmp_path_factory.mktemp("daily")
    sources = write_sources(folder / "sources.yaml", demo_site.base_url)
    lake = str(folder / "lake")
    dag_run = dagbag.dags["news_daily"].test(run_conf={
        "sources_file": str(sources), "lake": lake, "date": DAY, "max_pages": MAX_PAGES,
    })
    return {"dag_run": dag_run, "lake": lake, "sources_file": str(sources)}


def test_normal_run_writes_every_source_and_passes_the_gate(daily_run: dict) -> None:
    dag_run = daily_run["dag_run"]
    states = run_states(dag_run)
    assert dag_run.state == "success", states
    assert states[("source.crawl", 0)] == states[("source.crawl", 1)] == "success"
    articles = read(daily_run["lake"], "articles")
    assert set(per_source(articles)) == {"alwaha", "harbor"}
    assert read(daily_run["lake"], "entities").num_rows > 0
    processed = returned(dag_run, "source.process")
    assert sorted(counts["source"] for counts in processed.values()) == ["alwaha", "harbor"]
    assert sum(counts["articles"] for counts in processed.values()) == articles.num_rows
    crawled = returned(dag_run, "source.crawl")
    assert all(stats["responses"] > 0 for stats in crawled.values())
    quality = read(daily_run["lake"], "quality")
    assert set(quality.column("status").to_pylist()) <= {"ok", "warn"}
    assert set(per_source(quality)) == {"alwaha", "harbor"}


def test_one_failing_source_spares_the_others_and_alerts(
    dagbag, demo_site, tmp_path: Path, alert_receiver: AlertReceiver  # noqa: F811
) -> None:
    sources = write_sources(tmp_path / "sources.yaml", demo_site.base_url, dead_source=True)
    lake = str(tmp_path / "lake")
    dag_run = dagbag.dags["news_daily"].test(run_conf={
        "sources_file": str(sources), "lake": lake, "date": DAY, "max_pages": MAX_PAGES,
    })
    states = run_states(dag_run)
    assert dag_run.state == "failed"
    assert states[("source.crawl", 2)] == "failed"  # deadsite is the third source
    assert states[("source.process", 2)] == "upstream_failed"
    assert states[("write", -1)] == "success"
    assert states[("check", -1)] == "failed"
    assert per_source(read(lake, "articles")).keys() == {"alwaha", "harbor"}
    failed_checks = [row for row in read(lake, "quality").to_pylist() if row["status"] == "fail"]
    assert [(r["source"], r["check"]) for r in failed_checks] == [("deadsite", "articles_written")]
    alerts = {(a["task_id"], a["map_index"]): a for a in alert_receiver.received}
    assert "deadsite" in alerts[("source.crawl", 2)]["error"]
    assert alerts[("source.crawl", 2)]["dag_id"] == "news_daily"
    assert "deadsite" in alerts[("check", -1)]["error"]


def test_quality_gate_fails_on_a_collapsed_source(
    dagbag, daily_run: dict, demo_site, tmp_path: Path  # noqa: F811
) -> None:
    """harbor's last days had bodies three times as long: today's bodies count as collapsed."""
    from processing.lake import open_lake

    lake = str(tmp_path / "lake")
    shutil.copytree(daily_run["lake"], lake)
    store = open_lake(lake)
    history = store.read("articles", start=DAY, end=DAY, sources=["harbor"])
    history = history.drop_columns(["dt", "source"])
    longer = pa.array([text + "\n" + text + "\n" + text for text in history["text"].to_pylist()])
    history = history.set_column(history.schema.get_field_index("text"), "text", longer)
    for back in (1, 2, 3):
        earlier = (date.fromisoformat(DAY) - timedelta(days=back)).isoformat()
        store.write_partition("articles", earlier, "harbor", history)
    dag_run = dagbag.dags["news_daily"].test(run_conf={
        "sources_file": daily_run["sources_file"], "lake": lake, "date": DAY,
        "max_pages": MAX_PAGES,
    })
    states = run_states(dag_run)
    assert dag_run.state == "failed"
    assert states[("write", -1)] == "success" and states[("check", -1)] == "failed"
    quality = read(lake, "quality").to_pylist()
    failed = [(r["source"], r["check"]) for r in quality if r["status"] == "fail"]
    assert failed == [("harbor", "mean_body_length")]
    message = next(r["message"] for r in quality if r["status"] == "fail")
    assert message.startswith("harbor: mean_body_length collapsed")
    assert {r["source"] for r in quality if r["status"] == "ok"} >= {"alwaha"}


def test_reprocess_replaces_a_day_from_raw_without_crawling(
    dagbag, daily_run: dict, tmp_path: Path  # noqa: F811
) -> None:
    lake = str(tmp_path / "lake")
    shutil.copytree(daily_run["lake"], lake)
    before = {name: read(lake, name) for name in ("articles", "entities", "raw")}
    # A sources file whose sites do not exist: any fetch would fail the run.
    dead = write_sources(tmp_path / "sources.yaml", f"http://127.0.0.1:{free_port()}")
    dag_run = dagbag.dags["news_reprocess"].test(run_conf={
        "sources_file": str(dead), "lake": lake, "start": DAY, "end": DAY,
    })
    assert dag_run.state == "success", run_states(dag_run)
    after = {name: read(lake, name) for name in ("articles", "entities", "raw")}
    for name in ("articles", "entities"):
        assert per_source(after[name]) == per_source(before[name]), name
    new_runs, old_runs = (set(t["run_id"].to_pylist()) for t in (after["articles"],
                                                                 before["articles"]))
    assert new_runs.isdisjoint(old_runs)  # the day was replaced, not appended to
    assert sorted(after["articles"]["article_id"].to_pylist()) == sorted(
        before["articles"]["article_id"].to_pylist())
    assert after["raw"].equals(before["raw"])  # nothing was fetched again
    summary = returned(dag_run, "reprocess")[-1]
    assert set(summary["days"][DAY]) == {"alwaha", "harbor"}


def test_dag_files_parse_into_the_documented_shape(dagbag) -> None:  # noqa: F811
    daily, reprocess = dagbag.dags["news_daily"], dagbag.dags["news_reprocess"]
    assert (daily.max_active_runs, daily.catchup) == (1, False)
    assert daily.timetable.expression == "30 5 * * *"
    crawl = daily.task_dict["source.crawl"]
    assert crawl.pool == "akhbar_crawl" and crawl.retry_exponential_backoff
    assert {asset.name for asset in daily.task_dict["write"].outlets} == {"articles", "entities"}
    assert {asset.name for asset in reprocess.task_dict["reprocess"].outlets} == {
        "articles", "entities"}
    assert list(reprocess.task_dict) == ["reprocess"]  # nothing that could crawl
    names = [s["name"] for s in yaml.safe_load((REPO / "sources.yaml").read_text())["sources"]]
    assert daily.params.get_param("sources").schema["examples"] == names
    for dag in (daily, reprocess):
        assert dag.doc_md and all(task.doc_md for task in dag.tasks), dag.dag_id
        assert all(task.on_failure_callback for task in dag.tasks), dag.dag_id
