"""Shared fixtures: a moto S3 server over real HTTP on loopback, and the bundled demo site."""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

# Tests never talk to a real AWS account: fake credentials for every boto3/pyarrow client.
os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
os.environ["AKHBAR_ALLOW_PRIVATE_NETWORKS"] = "1"


class S3Endpoint:
    """A running moto server: its URL and a fresh-bucket helper."""

    def __init__(self, url: str) -> None:
        self.url = url

    def client(self):
        import boto3

        return boto3.client("s3", endpoint_url=self.url, region_name="us-east-1")

    def new_bucket(self, prefix: str = "lake") -> str:
        name = f"{prefix}-{uuid.uuid4().hex[:10]}"
        self.client().create_bucket(Bucket=name)
        return name


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[S3Endpoint]:
    """moto in server mode: a real S3 HTTP API on 127.0.0.1 (never an in-process mock)."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    previous = os.environ.get("AWS_ENDPOINT_URL")
    os.environ["AWS_ENDPOINT_URL"] = url
    try:
        yield S3Endpoint(url)
    finally:
        server.stop()
        if previous is None:
            os.environ.pop("AWS_ENDPOINT_URL", None)
        else:
            os.environ["AWS_ENDPOINT_URL"] = previous


@pytest.fixture
def s3_lake(s3_endpoint: S3Endpoint) -> str:
    """A lake URI in a fresh bucket on the moto endpoint."""
    return f"s3://{s3_endpoint.new_bucket()}/lake"


@pytest.fixture
def local_lake(tmp_path: Path) -> str:
    return str(tmp_path / "lake")


@pytest.fixture(params=["local", "s3"])
def lake_uri(request: pytest.FixtureRequest) -> str:
    """Runs the test once on a folder lake and once on the moto S3 lake."""
    return request.getfixturevalue("local_lake" if request.param == "local" else "s3_lake")


@pytest.fixture(scope="session")
def demo_site() -> Iterator[object]:
    """The bundled demo news site served on 127.0.0.1 (see demo/server.py)."""
    from demo.server import serve_demo_site

    with serve_demo_site(port=0) as site:
        yield site
