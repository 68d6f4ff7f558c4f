"""Object storage behind a lake URI: a local folder or an S3-compatible bucket.

Both offer the few operations the commit protocol needs, with the guarantees it relies on:
`put` replaces an object atomically (local: temp file + fsync + os.replace; S3: one PUT or one
multipart upload, which becomes visible only when complete), `get` returns one whole version
of an object (local: one open file; S3: one GET). boto3 does the S3 object calls (standard
retry mode: throttling, 5xx and dropped connections are retried); pyarrow's S3FileSystem, set up
from the same options, is offered for pyarrow.dataset scans.
"""

from __future__ import annotations

import contextlib
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

TMP_DIR = "_tmp"  # local temp files, at the lake root
MULTIPART_THRESHOLD = 64 * 1024 * 1024  # one PUT below this; multipart (still atomic) above
MULTIPART_CHUNK = 32 * 1024 * 1024
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

    def open_version(self, key: str) -> io.RawIOBase:
        """A seekable file that reads ONE version of the object, however it is read (whole or
        in ranges), even if the key is replaced meanwhile. Raises FileNotFoundError."""
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

    def clean_temp(self, older_than_s: float = 3600) -> int:
        """Remove leftovers of crashed writes (S3 has none: an upload is all or nothing)."""
        return 0

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
        """Temp file under <lake>/_tmp/ (outside every dataset folder, so no reader — not even a
        Polars directory scan — ever meets it), fsync, then os.replace onto the key."""
        target = self._path(key)
        tmp_dir = self.root / TMP_DIR
        tmp = tmp_dir / f"{uuid.uuid4().hex}.partial"
        try:
            tmp_dir.mkdir(parents=True, exist_ok=True)
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

    def clean_temp(self, older_than_s: float = 3600) -> int:
        """Remove temp files a crashed writer left behind; returns how many."""
        cutoff, removed = time.time() - older_than_s, 0
        for path in (self.root / TMP_DIR).glob("*.partial"):
            with contextlib.suppress(OSError):
                if path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed += 1
        return removed

    def get(self, key: str) -> bytes:
        # One open(): the bytes come from one inode even if os.replace swaps the name meanwhile.
        with open(self._path(key), "rb") as fh:
            return fh.read()

    def open_version(self, key: str) -> io.RawIOBase:
        # An open file keeps its inode: a concurrent os.replace does not change what we read.
        return open(self._path(key), "rb", buffering=0)

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
    def client(self) -> Any:
        """The boto3 S3 client, made on first use: opening a lake does no AWS setup."""
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
                                        multipart_chunksize=MULTIPART_CHUNK, max_concurrency=4)
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

    def open_version(self, key: str) -> io.RawIOBase:
        return S3VersionFile(self, self._key(key))

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


class ObjectChangedError(LakeReadError):
    """The object was replaced while we were reading it in ranges (S3 412 on If-Match)."""


class S3VersionFile(io.RawIOBase):
    """Random access to one version of an S3 object.

    The first request fetches the last TAIL bytes (`Range: bytes=-N`), which for most partitions
    is the whole file and otherwise holds the Parquet footer; it also tells the size and ETag.
    Every later range GET carries `If-Match: <etag>`, so if a rerun replaced the object in
    between, S3 answers 412 and we raise ObjectChangedError instead of mixing two versions.
    """

    TAIL = 1024 * 1024

    def __init__(self, storage: S3Storage, key: str) -> None:
        super().__init__()
        self._storage, self._key, self._pos = storage, key, 0
        self.changed = False
        self.requests = 1  # GETs made, and bytes they returned (for tests and the bench)
        try:
            response = storage.client.get_object(Bucket=storage.bucket, Key=key,
                                                 Range=f"bytes=-{self.TAIL}")
            self._tail = response["Body"].read()
        except Exception as exc:
            if _is_not_found(exc):
                raise FileNotFoundError(f"s3://{storage.bucket}/{key}") from exc
            if _status(exc) == 416:  # empty object: no byte range satisfiable
                self._tail, response = b"", {"ETag": None, "ContentRange": "bytes */0"}
            else:
                raise LakeReadError(f"reading s3://{storage.bucket}/{key}: {exc}") from exc
        self.bytes_fetched = len(self._tail)
        self._etag = response.get("ETag")
        total = (response.get("ContentRange") or "").rsplit("/", 1)[-1]
        self._size = int(total) if total.isdigit() else len(self._tail)
        self._tail_start = self._size - len(self._tail)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def read(self, size: int = -1) -> bytes:
        end = self._size if size is None or size < 0 else min(self._size, self._pos + size)
        if end <= self._pos:
            return b""
        start, self._pos = self._pos, end
        if start >= self._tail_start:
            return self._tail[start - self._tail_start:end - self._tail_start]
        return self._range(start, end)

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)

    def readall(self) -> bytes:
        return self.read(-1)

    def _range(self, start: int, end: int) -> bytes:
        storage = self._storage
        self.requests += 1
        for attempt in range(GET_ATTEMPTS):
            try:
                response = storage.client.get_object(
                    Bucket=storage.bucket, Key=self._key, Range=f"bytes={start}-{end - 1}",
                    IfMatch=self._etag)
                data = response["Body"].read()
                self.bytes_fetched += len(data)
                if len(data) == end - start:
                    return data
                exc: Exception = OSError(f"short read {len(data)} of {end - start} bytes")
            except Exception as err:
                if _status(err) == 412 or _is_not_found(err):
                    self.changed = True  # seen by the reader even if pyarrow re-wraps the error
                    raise ObjectChangedError(
                        f"s3://{storage.bucket}/{self._key} changed while being read") from err
                if not _is_transient(err):
                    raise LakeReadError(f"reading s3://{storage.bucket}/{self._key}: {err}"
                                        ) from err
                exc = err
            time.sleep(0.2 * (attempt + 1))
        raise LakeReadError(f"reading s3://{storage.bucket}/{self._key}: {exc}") from exc


def _status(exc: Exception) -> int:
    response = getattr(exc, "response", None) or {}
    return int(response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)


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


def make_boto3_client(options: S3Options) -> Any:
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


def make_pyarrow_s3(options: S3Options) -> Any:
    """A pyarrow S3FileSystem with the same endpoint, credentials and retries as boto3's."""
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
