"""The record schema: read from ``schemas/article.schema.json``, the single source of truth.

The pyarrow schema of every Parquet file and the ``datasets.Features`` of every release are
derived here; nothing else in the code base lists the columns.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

import pyarrow as pa

from aznews.paths import resource

if pa.default_memory_pool().backend_name == "jemalloc":  # chosen in aznews/__init__.py
    # Give freed pages back to the OS at once: the tail stages read and write a release a batch
    # at a time, and pages kept for reuse made the peak grow with the release.
    pa.jemalloc_set_decay_ms(0)

SCHEMA_FILENAME = "article.schema.json"


class SchemaError(ValueError):
    """The schema file cannot be turned into Arrow types."""


def schema_path() -> Path:
    """Location of the JSON Schema (the repository's ``schemas/`` or the wheel's copy)."""
    return resource("schemas") / SCHEMA_FILENAME


@cache
def json_schema() -> dict[str, Any]:
    """The parsed JSON Schema of one article record."""
    return json.loads(schema_path().read_text(encoding="utf-8"))


def schema_version() -> str:
    return str(json_schema()["version"])


def column_names() -> list[str]:
    return list(json_schema()["properties"])


def _types(prop: dict[str, Any]) -> tuple[str, bool]:
    kinds = prop["type"] if isinstance(prop["type"], list) else [prop["type"]]
    nullable = "null" in kinds
    rest = [k for k in kinds if k != "null"]
    if len(rest) != 1:
        raise SchemaError(f"ambiguous type {prop['type']!r}")
    return rest[0], nullable


_SCALARS: dict[str, pa.DataType] = {
    "string": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
    "int32": pa.int32(),
    "int64": pa.int64(),
    "float32": pa.float32(),
    "float64": pa.float64(),
}


def _arrow_type(name: str, prop: dict[str, Any]) -> pa.DataType:
    kind, _ = _types(prop)
    if kind == "array":
        return pa.list_(_arrow_type(name, prop["items"]))
    if kind == "string" and prop.get("format") == "date-time":
        return pa.timestamp("us", tz="UTC")
    key = prop.get("x-arrow", kind)
    if key not in _SCALARS:
        raise SchemaError(f"column {name!r}: no Arrow type for {key!r}")
    return _SCALARS[key]


@cache
def features():  # -> datasets.Features (import kept lazy: datasets is slow to import)
    """``datasets.Features`` derived from the JSON Schema."""
    from datasets import Features

    return Features.from_arrow_schema(_bare_arrow_schema())


FEATURES_FILENAME = "article.features.json"


def features_path() -> Path:
    """The ``datasets`` features of the schema, as ``datasets`` serialises them, written by
    :func:`write_features` beside the schema (a test keeps them equal to :func:`features`)."""
    return resource("schemas") / FEATURES_FILENAME


def _schema_digest() -> str:
    return hashlib.sha256(schema_path().read_bytes()).hexdigest()


def features_dict(path: Path | None = None) -> dict[str, Any]:
    """``features().to_dict()``, read from the features file (``path``, by default the one beside
    the schema) when it was derived from this very schema file; else derived (importing
    ``datasets``: ~0.5 s and ~80 MB in the process that writes a release)."""
    try:
        saved = json.loads((path or features_path()).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        saved = {}
    feats = saved.get("features")
    if saved.get("schema_sha256") == _schema_digest() and isinstance(feats, dict) and list(feats) == column_names():
        return feats
    return features().to_dict()


def write_features(path: Path | None = None) -> Path:
    """Derive the features file from the schema with the installed ``datasets``."""
    import datasets

    path = path or features_path()
    data = {
        "derived_from": SCHEMA_FILENAME,
        "schema_sha256": _schema_digest(),
        "datasets_version": datasets.__version__,
        "features": features().to_dict(),
    }
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def _bare_arrow_schema(spec: dict[str, Any] | None = None) -> pa.Schema:
    spec = spec or json_schema()
    fields = []
    for name, prop in spec["properties"].items():
        if "description" not in prop or not prop["description"].strip():
            raise SchemaError(f"column {name!r} is not documented")
        _, nullable = _types(prop)
        fields.append(pa.field(name, _arrow_type(name, prop), nullable=nullable))
    return pa.schema(fields)


@cache
def work_schema() -> pa.Schema:
    """The release schema of the stages' intermediate Parquet files (extracted parts, merged,
    deduped): the same columns and types, tagged with the schema version, without the ``datasets``
    feature metadata, which only release files carry (importing ``datasets`` to derive it costs
    each extract worker ~0.5 s and ~80 MB)."""
    return _bare_arrow_schema().with_metadata({b"aznews_schema_version": schema_version().encode()})


@cache
def arrow_schema() -> pa.Schema:
    """The pyarrow schema of release Parquet files, with ``datasets`` feature metadata embedded."""
    meta = {
        b"huggingface": json.dumps({"info": {"features": features_dict()}}).encode(),
        b"aznews_schema_version": schema_version().encode(),
    }
    return _bare_arrow_schema().with_metadata(meta)


def records_table(rows: list[dict[str, Any]]) -> pa.Table:
    """Rows as an Arrow table with exactly the release schema's columns (extra keys ignored)."""
    cols = column_names()
    return pa.Table.from_pylist([{c: r.get(c) for c in cols} for r in rows], schema=work_schema())
