"""Errors the lake raises: each says which dataset/partition and what to do about it."""

from __future__ import annotations


class LakeError(Exception):
    """Base class for everything the lake raises on purpose."""


class SchemaError(LakeError, ValueError):
    """Rows or a table do not fit the dataset's schema (names the column and row)."""


class LakeWriteError(LakeError):
    """A write did not complete; the partition that was there before is unchanged."""


class LakeReadError(LakeError):
    """A partition could not be read (storage unreachable, or a file that is not Parquet)."""
