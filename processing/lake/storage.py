"""Object storage behind a lake URI: a local folder or an S3-compatible bucket.

Both offer the few operations the commit protocol needs, with the guarantees it relies on:
`put` replaces an object atomically (local: temp file + fsync + os.replace; S3: one PUT or one
multipart upload, which becomes visible only when complete), `get` returns one whole version
of an object (local: one open file; S3: one GET). boto3 does the S3 object calls (standard
retry mode: throttling, 5xx and dropped connections are retried); pyarrow's S3FileSystem, set up
from the same options, is offered for pyarrow.dataset scans.
"""

from __future__ import annotations

import io
import ipaddress
import os
import shutil
import time
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from processing.lake.errors import LakeError, LakeReadError, LakeWriteError

MULTIPART_THRESHOLD = 64 * 1024 * 1024  # one PUT below this; multipart (still atomic) above
GET_ATTEMPTS = 3  # a body stream cut mid-GET is retried by us; botocore retries the request


@dataclass(frozen=True)
class S3Options:
    """How to reach an S3-compatible endpoint. Unset fields fall back to the AWS_* variables.

    The DAG layer builds one from an Airflow connection (`aws_default`: login, password, extras
    `endpoint_url`/`region_name`) with `S3Options.from_mapping(...)`; nothing here imports Airflow.
    """

    endpoint_url: str | None = None
    region: str | None = None
    access_key_id: str | None = None
    secret_access_key: str | None = None
    session_token: str | None = None
    path_style: bool | None = None  # default: True when a custom endpoint is set (MinIO, Ceph)
    max_attempts: int = 5
    connect_timeout: float = 5.0
    read_timeout: float = 60.0
    extra: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_env(cls, **overrides: Any) -> S3Options:
        env = os.environ
        base = cls(
            endpoint_url=env.get("AWS_ENDPOINT_URL_S3") or env.get("AWS_ENDPOINT_URL") or None,
            region=env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or None,
        )
        return replace(base, **{k: v for k, v in overrides.items() if v is not None})

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> S3Options:
        """Accepts Airflow-style keys (endpoint_url, region_name, aws_access_key_id, ...)."""
        get = values.get
        return cls.from_env(
            endpoint_url=get("endpoint_url"),
            region=get("region_name") or get("region"),
            access_key_id=get("aws_access_key_id") or get("access_key_id") or get("login"),
            secret_access_key=(get("aws_secret_access_key") or get("secret_access_key")
                               or get("password")),
            session_token=get("aws_session_token") or get("session_token"),
        )

    def resolved(self) -> S3Options:
        """Fill unset fields from the environment (read at call time, not import time)."""
        env = S3Options.from_env()
        return replace(
            self,
            endpoint_url=self.endpoint_url or env.endpoint_url,
            region=self.region or env.region or "us-east-1",
            path_style=(self.path_style if self.path_style is not None
                        else bool(self.endpoint_url or env.endpoint_url)),
        )

    def endpoint_parts(self) -> tuple[str, str] | None:
        """(scheme, host:port) of the custom endpoint; plain http for loopback/private hosts."""
        if not self.endpoint_url:
            return None
        raw = self.endpoint_url
        if "://" not in raw:
            host = raw.split(":")[0]
            return ("http" if _is_local(host) else "https"), raw.rstrip("/")
        parsed = urlparse(raw)
        return parsed.scheme or "https", parsed.netloc


def _is_local(host: str) -> bool:
    if host in ("localhost", "minio", "moto", "host.docker.internal"):
        return True
    try:
        addr = ipaddress.ip_address(host)
    except ValueError:
        return False
    return addr.is_loopback or addr.is_private


class Storage:
    """The operations the lake needs; keys are '/'-separated and relative to the lake root."""

    uri: str

    def put(self, key: str, data: bytes) -> None:
        raise NotImplementedError

    def get(self, key: str) -> bytes:
        raise NotImplementedError

    def list(self, prefix: str) -> list[str]:
        """All object keys under `prefix/` (recursive), sorted."""
        raise NotImplementedError

    def list_dirs(self, prefix: str) -> list[str]:
        """Names of the immediate sub-folders of `prefix` ('' = the lake root)."""
        raise NotImplementedError

    def delete(self, keys: Iterable[str]) -> None:
        raise NotImplementedError

    def delete_tree(self, prefix: str) -> None:
        """Delete everything under `prefix/`."""
        raise NotImplementedError

    def key_uri(self, key: str) -> str:
        return f"{self.uri.rstrip('/')}/{key}"

    def pyarrow_filesystem(self) -> tuple[Any, str]:
        """(pyarrow.fs.FileSystem, base path of the lake inside it)."""
        raise NotImplementedError


class LocalStorage(Storage):
    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root).expanduser().absolute()
        self.uri = str(self.root)

    def _path(self, key: str) -> Path:
        return self.root / key if key else self.root

    def put(self, key: str, data: bytes) -> None:
        target = self._path(key)
        tmp = target.parent / f".{target.name}.{uuid.uuid4().hex[:8]}.partial"
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(tmp, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
            _fsync_dir(target.parent)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise LakeWriteError(f"writing {target}: {exc}") from exc

    def get(self, key: str) -> bytes:
        # One open(): the bytes come from one inode even if os.replace swaps the name meanwhile.
        with open(self._path(key), "rb") as fh:
            return fh.read()

    def list(self, prefix: str) -> list[str]:
        base = self._path(prefix)
        if not base.is_dir():
            return []
        keys = []
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            rel = Path(dirpath).relative_to(self.root).as_posix()
            keys += [f"{rel}/{f}" for f in filenames if not f.startswith(".")]
        return sorted(keys)

    def list_dirs(self, prefix: str) -> list[str]:
        base = self._path(prefix)
        if not base.is_dir():
            return []
        return sorted(p.name for p in base.iterdir() if p.is_dir())

    def delete(self, keys: Iterable[str]) -> None:
        parents = set()
        for key in keys:
            path = self._path(key)
            path.unlink(missing_ok=True)
            parents.add(path.parent)
        for parent in sorted(parents, key=lambda p: len(p.parts), reverse=True):
            self._prune_empty(parent)

    def delete_tree(self, prefix: str) -> None:
        shutil.rmtree(self._path(prefix), ignore_errors=True)
        self._prune_empty(self._path(prefix).parent)

    def _prune_empty(self, folder: Path) -> None:
        """Remove folders left empty (after retention/compaction), up to the lake root."""
        while folder != self.root and self.root in folder.parents:
            try:
                folder.rmdir()
            except OSError:
                return
            folder = folder.parent

    def pyarrow_filesystem(self) -> tuple[Any, str]:
        from pyarrow import fs

        return fs.LocalFileSystem(), self.root.as_posix()


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class S3Storage(Storage):
    def __init__(self, bucket: str, prefix: str, options: S3Options | None = None) -> None:
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.options = (options or S3Options()).resolved()
        self.uri = f"s3://{bucket}/{self.prefix}".rstrip("/")
        self._client = None

    # -- clients
    @property
    def client(self):
        if self._client is None:
            self._client = make_boto3_client(self.options)
        return self._client

    def _key(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    def _rel(self, full: str) -> str:
        return full[len(self.prefix) + 1:] if self.prefix else full

    # -- operations
    def put(self, key: str, data: bytes) -> None:
        full = self._key(key)
        try:
            if len(data) <= MULTIPART_THRESHOLD:
                self.client.put_object(Bucket=self.bucket, Key=full, Body=data)
            else:
                from boto3.s3.transfer import TransferConfig

                config = TransferConfig(multipart_threshold=MULTIPART_THRESHOLD,
                                        multipart_chunksize=32 * 1024 * 1024, max_concurrency=4)
                self.client.upload_fileobj(io.BytesIO(data), self.bucket, full, Config=config)
        except Exception as exc:  # botocore/s3transfer raise many types; all mean "not written"
            raise LakeWriteError(
                f"writing s3://{self.bucket}/{full} failed after {self.options.max_attempts} "
                f"attempt(s) (endpoint {self.options.endpoint_url or 'AWS'}): {exc}"
            ) from exc

    def get(self, key: str) -> bytes:
        full = self._key(key)
        last: Exception | None = None
        for attempt in range(GET_ATTEMPTS):
            try:
                response = self.client.get_object(Bucket=self.bucket, Key=full)
                return response["Body"].read()
            except Exception as exc:
                if _is_not_found(exc):
                    raise FileNotFoundError(f"s3://{self.bucket}/{full}") from exc
                last = exc
                if not _is_transient(exc):
                    break
                time.sleep(0.2 * (attempt + 1))
        raise LakeReadError(f"reading s3://{self.bucket}/{full}: {last}") from last

    def list(self, prefix: str) -> list[str]:
        full = self._key(prefix).rstrip("/") + "/" if (prefix or self.prefix) else ""
        keys = []
        try:
            for page in self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=full
            ):
                keys += [self._rel(o["Key"]) for o in page.get("Contents", [])
                         if not o["Key"].endswith("/")]
        except Exception as exc:
            raise LakeReadError(f"listing s3://{self.bucket}/{full}: {exc}") from exc
        return sorted(keys)

    def list_dirs(self, prefix: str) -> list[str]:
        full = self._key(prefix).rstrip("/") + "/" if (prefix or self.prefix) else ""
        names = []
        try:
            for page in self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=full, Delimiter="/"
            ):
                names += [p["Prefix"][len(full):].rstrip("/")
                          for p in page.get("CommonPrefixes", [])]
        except Exception as exc:
            raise LakeReadError(f"listing s3://{self.bucket}/{full}: {exc}") from exc
        return sorted(names)

    def delete(self, keys: Iterable[str]) -> None:
        keys = [self._key(k) for k in keys]
        for start in range(0, len(keys), 1000):
            batch = [{"Key": k} for k in keys[start:start + 1000]]
            try:
                response = self.client.delete_objects(
                    Bucket=self.bucket, Delete={"Objects": batch, "Quiet": True}
                )
            except Exception as exc:
                raise LakeWriteError(f"deleting from s3://{self.bucket}: {exc}") from exc
            errors = response.get("Errors") or []
            if errors:
                raise LakeWriteError(f"deleting from s3://{self.bucket}: {errors[:3]}")

    def delete_tree(self, prefix: str) -> None:
        self.delete(self.list(prefix))

    def pyarrow_filesystem(self) -> tuple[Any, str]:
        return make_pyarrow_s3(self.options), f"{self.bucket}/{self.prefix}".rstrip("/")


def _is_not_found(exc: Exception) -> bool:
    code = getattr(exc, "response", {}).get("Error", {}).get("Code") if hasattr(
        exc, "response") else None
    return code in ("NoSuchKey", "404", "NotFound")


def _is_transient(exc: Exception) -> bool:
    """Stream cut / connection trouble / 5xx / throttling: worth another GET."""
    if hasattr(exc, "response"):
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        code = exc.response.get("Error", {}).get("Code", "")
        return status >= 500 or code in ("SlowDown", "Throttling", "RequestTimeout")
    return True  # IncompleteRead, ReadTimeout, ConnectionClosed, ...


def make_boto3_client(options: S3Options):
    """A boto3 S3 client for `options`: path-style for custom endpoints, standard retries, and
    checksums only when required (MinIO/Ceph/R2-style servers reject the newer defaults)."""
    import boto3
    from botocore.config import Config

    opts = options.resolved()
    config = Config(
        region_name=opts.region,
        s3={"addressing_style": "path" if opts.path_style else "auto"},
        retries={"max_attempts": opts.max_attempts, "mode": "standard"},
        connect_timeout=opts.connect_timeout,
        read_timeout=opts.read_timeout,
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
    )
    kwargs: dict[str, Any] = {"config": config}
    if opts.endpoint_url:
        kwargs["endpoint_url"] = (opts.endpoint_url if "://" in opts.endpoint_url
                                  else "{}://{}".format(*opts.endpoint_parts()))
    if opts.access_key_id:
        kwargs.update(aws_access_key_id=opts.access_key_id,
                      aws_secret_access_key=opts.secret_access_key,
                      aws_session_token=opts.session_token)
    return boto3.session.Session().client("s3", **kwargs)


def make_pyarrow_s3(options: S3Options):
    from pyarrow import fs

    opts = options.resolved()
    kwargs: dict[str, Any] = {
        "region": opts.region,
        "connect_timeout": opts.connect_timeout,
        "request_timeout": opts.read_timeout,
        "retry_strategy": fs.AwsStandardS3RetryStrategy(max_attempts=opts.max_attempts),
        "force_virtual_addressing": not opts.path_style,
        "allow_bucket_creation": False,
        "allow_bucket_deletion": False,
    }
    parts = opts.endpoint_parts()
    if parts:
        kwargs["scheme"], kwargs["endpoint_override"] = parts
    if opts.access_key_id:
        kwargs.update(access_key=opts.access_key_id, secret_key=opts.secret_access_key,
                      session_token=opts.session_token)
    return fs.S3FileSystem(**kwargs)


def storage_for(uri: str, s3: S3Options | None = None) -> Storage:
    """`./data/lake`, `/abs/path`, `file:///abs/path` or `s3://bucket/prefix`."""
    if not isinstance(uri, str) or not uri.strip():
        raise LakeError(f"lake URI must be a non-empty string, got {uri!r}")
    uri = uri.strip()
    if uri.startswith("s3://") or uri.startswith("s3a://"):
        parsed = urlparse(uri)
        if not parsed.netloc:
            raise LakeError(f"lake URI {uri!r} has no bucket (expected s3://bucket/prefix)")
        return S3Storage(parsed.netloc, parsed.path, s3)
    if uri.startswith("file://"):
        return LocalStorage(urlparse(uri).path)
    if "://" in uri:
        raise LakeError(f"unsupported lake URI {uri!r}: use a folder, file:// or s3://")
    return LocalStorage(uri)
