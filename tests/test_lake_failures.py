"""A write that fails midway leaves the previous partition whole and says so clearly."""

from __future__ import annotations

import contextlib
import os
import socket
import threading

import pytest

from processing.lake import LakeWriteError, S3Options, open_lake, read_articles
from tests.lake_helpers import article_rows

DAY, SOURCE = "2026-11-28", "alpha"


class CuttableProxy:
    """TCP proxy in front of the moto server that can stop answering in the middle of an upload:
    after `cut_after` request bytes it drops the connection and refuses every later one."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.cut_after: int | None = None
        self.dead = False
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.dead:
                client.close()
                continue
            upstream = socket.create_connection(self.upstream)
            threading.Thread(target=self._pump, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, False),
                             daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, counting: bool) -> None:
        sent = 0
        try:
            while chunk := src.recv(16384):
                if counting and self.cut_after is not None and sent + len(chunk) > self.cut_after:
                    dst.sendall(chunk[: max(0, self.cut_after - sent)])
                    self.dead = True
                    break
                dst.sendall(chunk)
                sent += len(chunk)
        except OSError:
            pass
        for s in (src, dst):
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()

    def close(self) -> None:
        self.listener.close()


def big_rows(version: str) -> list[dict]:
    rows = article_rows(50, version=version)
    for row in rows:  # incompressible text, so the upload is far bigger than the cut point
        row["text"] = os.urandom(4000).hex()
    return rows


@pytest.fixture
def proxy(s3_endpoint):
    host, port = s3_endpoint.url.removeprefix("http://").split(":")
    p = CuttableProxy((host, int(port)))
    yield p
    p.close()


def test_endpoint_dying_mid_upload_keeps_previous_partition(s3_endpoint, proxy):
    bucket = s3_endpoint.new_bucket()
    options = S3Options(endpoint_url=proxy.url, max_attempts=2, connect_timeout=1,
                        read_timeout=3)
    lake = open_lake(f"s3://{bucket}/lake", s3=options)
    lake.write_partition("articles", DAY, SOURCE, big_rows("v1"))

    proxy.cut_after = 100_000  # the new file is ~400 KB
    with pytest.raises(LakeWriteError) as failure:
        lake.write_partition("articles", DAY, SOURCE, big_rows("v2"))
    message = str(failure.value)
    assert f"articles dt={DAY} source={SOURCE}" in message
    assert "previous partition is unchanged" in message
    assert proxy.url.split("//")[1] in message or "endpoint" in message

    direct = open_lake(f"s3://{bucket}/lake", s3=S3Options(endpoint_url=s3_endpoint.url))
    table = read_articles(direct, DAY, DAY)
    assert table.num_rows == 50
    assert set(table.column("run_id").to_pylist()) == {"run-v1"}
    assert direct.storage.list("articles") == [f"articles/dt={DAY}/source={SOURCE}/data.parquet"]


def test_publish_to_a_dead_endpoint_fails_clearly_and_can_be_retried(s3_endpoint, proxy):
    bucket = s3_endpoint.new_bucket()
    uri = f"s3://{bucket}/lake"
    direct = open_lake(uri, s3=S3Options(endpoint_url=s3_endpoint.url))
    direct.write_partition("articles", DAY, SOURCE, article_rows(5, version="v1"))
    direct.stage("run-2", "articles", DAY, SOURCE, article_rows(5, version="v2"))

    proxy.dead = True
    flaky = open_lake(uri, s3=S3Options(endpoint_url=proxy.url, max_attempts=2,
                                        connect_timeout=1, read_timeout=2))
    with pytest.raises(LakeWriteError, match="publishing run run-2") as failure:
        flaky.publish("run-2")
    assert f"s3://{bucket}" in str(failure.value)
    assert set(read_articles(direct, DAY, DAY).column("run_id").to_pylist()) == {"run-v1"}
    assert direct.publish("run-2") == [("articles", DAY, SOURCE)]
    assert set(read_articles(direct, DAY, DAY).column("run_id").to_pylist()) == {"run-v2"}


def test_local_write_failure_keeps_old_file_and_leaves_no_temp(local_lake, monkeypatch):
    lake = open_lake(local_lake)
    lake.write_partition("articles", DAY, SOURCE, article_rows(4, version="v1"))

    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)  # a full disk cannot be produced here
    with pytest.raises(LakeWriteError, match="No space left"):
        lake.write_partition("articles", DAY, SOURCE, article_rows(4, version="v2"))
    monkeypatch.undo()
    folder = f"{local_lake}/articles/dt={DAY}/source={SOURCE}"
    assert os.listdir(folder) == ["data.parquet"]
    assert os.listdir(f"{local_lake}/_tmp") == []
    assert set(read_articles(lake, DAY, DAY).column("run_id").to_pylist()) == {"run-v1"}
