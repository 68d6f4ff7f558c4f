"""Lake URIs and S3 settings: env, explicit options, Airflow-style connection values."""

from __future__ import annotations

import pytest

from processing.lake import LakeError, S3Options, open_lake
from processing.lake.storage import LocalStorage, S3Storage, make_pyarrow_s3


def test_uri_forms(tmp_path):
    assert isinstance(open_lake(str(tmp_path)).storage, LocalStorage)
    assert open_lake(f"file://{tmp_path}").uri == str(tmp_path)
    s3 = open_lake("s3://bucket-a/some/prefix/").storage
    assert isinstance(s3, S3Storage)
    assert (s3.bucket, s3.prefix, s3.uri) == ("bucket-a", "some/prefix", "s3://bucket-a/some/prefix")
    for bad in ("", "s3:///nobucket", "gs://bucket/x"):
        with pytest.raises(LakeError):
            open_lake(bad)


def test_env_settings_are_read_when_the_lake_opens(monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9000")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-3")
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL_S3", raising=False)
    options = open_lake("s3://bucket-a/lake").storage.options
    assert options.endpoint_url == "http://127.0.0.1:9000"
    assert options.region == "eu-west-3"
    assert options.path_style is True
    assert options.endpoint_parts() == ("http", "127.0.0.1:9000")


def test_explicit_options_win_and_schemeless_local_endpoints_use_http(monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9000")
    options = S3Options(endpoint_url="minio:9000", region="us-east-2").resolved()
    assert options.endpoint_parts() == ("http", "minio:9000")
    assert S3Options(endpoint_url="s3.example.com").endpoint_parts() == (
        "https", "s3.example.com")
    assert options.region == "us-east-2"


def test_from_airflow_style_mapping(monkeypatch):
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    options = S3Options.from_mapping({
        "endpoint_url": "http://10.0.0.5:9000", "region_name": "us-east-1",
        "aws_access_key_id": "AK", "aws_secret_access_key": "SK",
    })
    assert (options.endpoint_url, options.access_key_id, options.secret_access_key) == (
        "http://10.0.0.5:9000", "AK", "SK")
    client = open_lake("s3://bucket-a/lake", s3=options).storage.client
    assert client.meta.endpoint_url == "http://10.0.0.5:9000"
    assert client.meta.config.s3["addressing_style"] == "path"
    assert client.meta.config.retries["mode"] == "standard"


def test_pyarrow_filesystem_reaches_the_same_endpoint(s3_endpoint, s3_lake):
    lake = open_lake(s3_lake)
    lake.storage.put("probe/x.bin", b"hello")
    filesystem, base = lake.storage.pyarrow_filesystem()
    with filesystem.open_input_stream(f"{base}/probe/x.bin") as fh:
        assert fh.read() == b"hello"
    assert make_pyarrow_s3(S3Options(endpoint_url=s3_endpoint.url)).region == "us-east-1"


def test_missing_bucket_is_a_clear_write_error(s3_endpoint):
    from processing.lake import LakeWriteError
    from tests.lake_helpers import article_rows

    lake = open_lake("s3://no-such-bucket-akhbar/lake", s3=S3Options(max_attempts=1))
    with pytest.raises(LakeWriteError, match="NoSuchBucket|does not exist"):
        lake.write_partition("articles", "2026-11-28", "alpha", article_rows(1))


def test_a_lake_at_the_bucket_root_works(s3_endpoint):
    from tests.lake_helpers import article_rows

    lake = open_lake(f"s3://{s3_endpoint.new_bucket()}")
    lake.write_partition("articles", "2026-11-28", "alpha", article_rows(2))
    lake.stage("run-1", "rejects", "2026-11-28", "alpha", [{"url": "u", "reason": "not_article",
                                                           "run_id": "run-1"}])
    assert lake.datasets() == ["articles"]
    assert lake.publish("run-1") == [("rejects", "2026-11-28", "alpha")]
    assert lake.read("articles").num_rows == 2 and lake.read("rejects").num_rows == 1
    assert lake.datasets() == ["articles", "rejects"]


def test_big_partitions_go_up_as_one_multipart_upload(s3_lake, monkeypatch):
    import os

    from processing.lake import storage

    monkeypatch.setattr(storage, "MULTIPART_THRESHOLD", 1024 * 1024)
    monkeypatch.setattr(storage, "MULTIPART_CHUNK", 5 * 1024 * 1024)
    lake = open_lake(s3_lake)
    rows = [{"url": f"https://news.example/{i}", "body": os.urandom(60_000),
             "fetched_at": "2026-11-28T01:00:00Z", "run_id": "r"} for i in range(200)]
    lake.write_partition("raw", "2026-11-28", "alpha", rows)
    head = lake.storage.client.head_object(
        Bucket=lake.storage.bucket, Key=f"{lake.storage.prefix}/raw/dt=2026-11-28/source=alpha/"
                                         "data.parquet")
    assert "-" in head["ETag"]  # multipart ETags are "<md5>-<parts>"
    table = lake.read("raw", columns=["url", "body"])
    assert {r["url"]: r["body"] for r in table.to_pylist()} == {r["url"]: r["body"] for r in rows}
