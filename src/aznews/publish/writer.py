"""Writing a release: the previous release's files carried (or rewritten for a takedown or an
added column), the new rows as shards per split, the sample, the manifest and the card, in a
temporary folder renamed into place once checked (``catalogue.verify_release``)."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from aznews import clock
from aznews.datadir import file_digest
from aznews.faults import checkpoint
from aznews.parquet import WRITE_OPTIONS, open_parquet, read_table
from aznews.publish.card import LICENSE_FILE, SAMPLE_PATH, license_text, render_card
from aznews.publish.catalogue import (
    ROW_GROUP_ROWS,
    SAMPLE_ROWS,
    SHARD_ROWS,
    SPLITS,
    EmptySplit,
    NothingToRelease,
    ReleaseExists,
    assign_split,
    manifest_path,
    read_manifest,
    verify_release,
)
from aznews.publish.takedown import Takedown
from aznews.schema import arrow_schema, records_table, schema_version, work_schema
from aznews.versions import validate_version


def _write_parquet(rows: list[dict[str, Any]], path: Path) -> None:
    """zstd Parquet with the pinned schema. An empty split gets a file with the schema and no
    row group at all: a zero-row row group makes readers (datasets) choose a batch size of 0."""
    with pq.ParquetWriter(path, arrow_schema(), write_statistics=True, **WRITE_OPTIONS) as writer:
        if rows:
            writer.write_table(records_table(rows), row_group_size=ROW_GROUP_ROWS)


class SchemaChanged(ValueError):
    """The record schema changed other than by adding columns; released data cannot follow."""


def _schema_change(old: pa.Schema, new: pa.Schema) -> str | None:
    """Why ``old`` -> ``new`` is not additive, or None when it is (or nothing changed)."""
    fields = {f.name: f for f in new}
    for f in old:
        if f.name not in fields:
            return f"column {f.name!r} was removed"
        if not f.type.equals(fields[f.name].type):
            return f"column {f.name!r} changed type from {f.type} to {fields[f.name].type}"
    return None


def _write_shard(rows: list[dict[str, Any]], tmp: Path, rel: str, entry: dict[str, Any]) -> dict[str, Any]:
    """Write one data file of the release; returns ``entry`` updated as its manifest entry."""
    _write_parquet(rows, tmp / rel)
    return {
        **entry,
        "path": rel,
        "rows": len(rows),
        "sha256": file_digest(tmp / rel),
        "bytes": (tmp / rel).stat().st_size,
    }


def _carry(
    previous: Path, manifest: dict[str, Any], tmp: Path, version: str, takedown: Takedown | None
) -> tuple[list[dict], list[dict]]:
    """Hard-link (or copy) the previous release's data files into the new one, unchanged, except
    a file that holds a taken-down article or predates an added column: that one is rewritten
    (without the article, with the column null) under a new name."""
    schema = work_schema().remove_metadata()
    carried, removed = [], []
    for entry in manifest["files"]:
        src, dest = previous / entry["path"], tmp / entry["path"]
        entry = {**entry, "release": entry.get("release", manifest["version"])}
        old_schema = pq.read_schema(src).remove_metadata()
        if reason := _schema_change(old_schema, schema):
            raise SchemaChanged(
                f"{entry['path']} of release {manifest['version']}: {reason}; only additive changes are allowed"
            )
        hit: list[bool] = []
        if takedown is not None and len(takedown):
            t = read_table(src, ["id", "url"])
            ids, urls = t.column("id").to_pylist(), t.column("url").to_pylist()
            entries = [takedown.entry_for(i, u) for i, u in zip(ids, urls, strict=True)]
            hit = [e is not None for e in entries]
            removed += [
                {"id": i, "url": u, "release": entry["release"], "entry": e.number, "reason": e.reason}
                for i, u, e in zip(ids, urls, entries, strict=True)
                if e is not None
            ]
        if any(hit) or not old_schema.equals(schema):
            rows = [
                r for r, h in zip(read_table(src).to_pylist(), hit or [False] * entry["rows"], strict=True) if not h
            ]
            if rows:  # records_table (in _write_parquet) fills added columns with nulls
                rel = entry["path"].removesuffix(".parquet") + f"-r{version}.parquet"
                carried.append(_write_shard(rows, tmp, rel, entry))
            continue
        try:
            os.link(src, dest)
        except OSError:
            shutil.copy2(src, dest)
        carried.append(entry)
    return carried, removed


def _write_sample(tmp: Path, files: list[dict[str, Any]], rows: int = SAMPLE_ROWS) -> None:
    """``sample/``: the first ``rows`` rows of train, for the card's quick-look configuration."""
    parts, taken = [], 0
    for entry in (f for f in files if f["split"] == "train"):
        for batch in open_parquet(tmp / entry["path"]).iter_batches(batch_size=rows - taken):
            parts.append(batch)
            taken += batch.num_rows
            break
        if taken >= rows:
            break
    if parts:
        (tmp / SAMPLE_PATH).parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.Table.from_batches(parts), tmp / SAMPLE_PATH, **WRITE_OPTIONS)


def write_card(release_dir: Path, repo_id: str | None = None) -> Path:
    """(Re)write the release's README.md card, naming ``repo_id`` in its snippets; the manifest and
    the data files are its only inputs, so the card can be rendered again for the repository a
    release is published to."""
    path = release_dir / "README.md"
    path.write_text(render_card(release_dir, read_manifest(release_dir), repo_id=repo_id), encoding="utf-8")
    return path


class _Shards:
    """The new rows of one split, written as they stream in: shards of ``SHARD_ROWS`` rows in
    row groups of ``ROW_GROUP_ROWS``, whatever the sizes of the tables that arrive."""

    def __init__(self, tmp: Path, split: str, version: str, rows: int) -> None:
        self.tmp, self.split, self.version = tmp, split, version
        self.n_shards = -(-rows // SHARD_ROWS)
        self.entries: list[dict[str, Any]] = []
        self._buf: list[pa.Table] = []
        self._buffered = 0
        self._writer: pq.ParquetWriter | None = None
        self._in_shard = 0

    def add(self, table: pa.Table) -> None:
        self._buf.append(table)
        self._buffered += len(table)
        while self._buffered >= self._next_group():
            self._write(self._next_group())

    def _next_group(self) -> int:
        return min(ROW_GROUP_ROWS, SHARD_ROWS - self._in_shard)

    def _write(self, n: int) -> None:
        table = pa.concat_tables(self._buf)
        self._buf, self._buffered = [table.slice(n)], len(table) - n
        if self._writer is None:
            rel = f"data/{self.split}-{self.version}-{len(self.entries):05d}-of-{self.n_shards:05d}.parquet"
            self._rel = rel
            self._writer = pq.ParquetWriter(self.tmp / rel, arrow_schema(), write_statistics=True, **WRITE_OPTIONS)
        self._writer.write_table(table.slice(0, n), row_group_size=n)
        self._in_shard += n
        if self._in_shard == SHARD_ROWS:
            self._close_shard()

    def _close_shard(self) -> None:
        assert self._writer is not None
        self._writer.close()
        path = self.tmp / self._rel
        entry = {"split": self.split, "release": self.version, "path": self._rel, "rows": self._in_shard}
        self.entries.append({**entry, "sha256": file_digest(path), "bytes": path.stat().st_size})
        self._writer, self._in_shard = None, 0

    def close(self) -> list[dict[str, Any]]:
        if self._buffered:
            self._write(self._buffered)
        if self._writer is not None:
            self._close_shard()
        return self.entries


def _new_rows(records: list[dict[str, Any]] | Path) -> tuple[np.ndarray, Callable[[], Iterator[pa.Table]]]:
    """Each new row's split (an index into SPLITS), and the rows as a stream of Arrow tables
    that can be read again (a Parquet file is read a batch at a time, never whole)."""
    code = {s: i for i, s in enumerate(SPLITS)}
    if isinstance(records, Path):
        source = records
        batches = open_parquet(source).iter_batches(batch_size=ROW_GROUP_ROWS, columns=["id"])
        splits = np.concatenate(
            [np.fromiter((code[assign_split(i)] for i in b.column(0).to_pylist()), np.uint8) for b in batches]
            or [np.zeros(0, np.uint8)]
        )

        def tables() -> Iterator[pa.Table]:
            schema = arrow_schema()
            for batch in open_parquet(source).iter_batches(batch_size=ROW_GROUP_ROWS, columns=schema.names):
                yield pa.Table.from_batches([batch]).cast(schema)
    else:
        rows = list(records)
        splits = np.fromiter((code[assign_split(r["id"])] for r in rows), np.uint8, count=len(rows))

        def tables() -> Iterator[pa.Table]:
            yield records_table([dict(r, split=assign_split(r["id"])) for r in rows])

    return splits, tables


@contextlib.contextmanager
def _unfinished(tmp: Path, version: str) -> Iterator[None]:
    """Writing a release in ``tmp``: any failure removes it; a failing write (a full disk) names
    the folder."""
    try:
        yield
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise OSError(f"writing release {version} in {tmp} failed ({exc}); nothing was released") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def write_release(
    records: list[dict[str, Any]] | Path,
    version: str,
    releases_dir: Path,
    *,
    summary: dict[str, Any] | None = None,
    force: bool = False,
    extra_files: dict[str, Path] | None = None,
    previous: Path | None = None,
    takedown: Takedown | None = None,
    inputs: list[str] | None = None,
    repo_id: str | None = None,
) -> Path:
    """Write one release; returns its directory. Refuses an existing version unless ``force``.
    ``records``: the new rows, a list or a Parquet file (the dedup stage's, streamed).
    ``inputs`` names the WARC files it was built from (the manifest keeps them, so the next
    crawl release reads only WARC files no release has read). ``repo_id``: the Hub repository the
    card's snippets name (publishing renders the card again for the repository it publishes to).

    Releases are cumulative: the ``previous`` release's data files are carried over unchanged
    (so ids, rows and splits never move) and this release's new rows are added as new shards
    named after the version.
    """
    validate_version(version)
    final = releases_dir / version
    if final.exists() and not force:
        raise ReleaseExists(
            f"release {version} already exists at {final}; versions are immutable. "
            "Choose another --version, or pass --force to replace this local copy."
        )
    releases_dir.mkdir(parents=True, exist_ok=True)
    tmp = releases_dir / f".{version}.partial"
    if tmp.exists():
        shutil.rmtree(tmp)
    with _unfinished(tmp, version):  # never leave a half-written release behind
        (tmp / "data").mkdir(parents=True)
        previous_manifest = verify_release(previous) if previous is not None else {}
        splits, tables = _new_rows(records)
        files, taken_down = (
            _carry(previous, previous_manifest, tmp, version, takedown) if previous is not None else ([], [])
        )
        if previous is not None and not len(splits) and not taken_down:
            raise NothingToRelease(f"no new articles since release {previous.name}; nothing to release as {version}")
        changelog = previous_manifest.get("changelog", [])

        new_counts = dict(zip(SPLITS, np.bincount(splits, minlength=len(SPLITS)).tolist(), strict=True))
        counts = {s: n + sum(f["rows"] for f in files if f["split"] == s) for s, n in new_counts.items()}
        empty = [s for s, n in counts.items() if not n]
        if empty:
            raise EmptySplit(
                f"release {version} would have no rows in split(s) {empty} ({sum(counts.values())} rows in all); "
                "datasets cannot load an empty split, so this release is refused"
            )
        for split, n in new_counts.items():  # one pass over the new rows per split, in their order
            if not n:
                continue
            shards, start = _Shards(tmp, split, version, n), 0
            for table in tables():
                mask = pa.array(splits[start : start + len(table)] == SPLITS.index(split), type=pa.bool_())
                start += len(table)
                part = table.filter(mask)
                if len(part):
                    shards.add(part)
            files.extend(shards.close())

        meta_dir = tmp / "meta"
        meta_dir.mkdir()
        for name, src in (extra_files or {}).items():
            dest = meta_dir / name
            if src.is_dir():
                shutil.copytree(src, dest)
            else:
                shutil.copy2(src, dest)
        changelog = [
            *changelog,
            {
                "version": version,
                "rows": sum(counts.values()),
                "new_rows": len(splits),
                "taken_down": len(taken_down),
                **({"review": summary["review"]} if summary and summary.get("review") else {}),
            },
        ]
        manifest = {
            "version": version,
            "previous": previous.name if previous is not None else None,
            "created_at": clock.now().isoformat(timespec="seconds"),
            "rows": sum(counts.values()),
            "new_rows": len(splits),
            "splits": counts,
            "takedowns": taken_down,
            "changelog": changelog,
            "files": files,
            "inputs": sorted(inputs or []),
            "schema_version": schema_version(),
            # no absolute path in a data dir (it can be copied or moved): the report travels in meta/
            "summary": {k: v for k, v in (summary or {}).items() if k != "report"},
        }
        manifest_path(tmp).write_text(json.dumps(manifest, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
        _write_sample(tmp, files)
        (tmp / LICENSE_FILE).write_text(license_text(version), encoding="utf-8")
        write_card(tmp, repo_id)
        verify_release(tmp)  # the release as written is the release as described
    checkpoint("publish:before-rename")  # crash tests: everything written, nothing visible yet
    if final.exists():  # force: replace the local copy as a whole
        shutil.rmtree(final)
    tmp.rename(final)
    return final
