"""The cross-release dedup index: one row per released article (id, release, MinHash signature).

It lives at ``data/state/dedup-index.parquet`` and a copy is published with every release as
``meta/dedup-index.parquet``, so a lost state directory is rebuilt from the newest release.
The file records the near-duplicate parameters; an index built with other parameters (another
seed or permutation count gives incomparable signatures) is refused with a clear error.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from aznews.dedup.columns import NO_TIME, Doc, DocView, codes  # NO_TIME also for an index without published_at
from aznews.dedup.near import BandIndex, NearDupConfig
from aznews.parquet import RERUN, WRITE_OPTIONS, read_table

INDEX_NAME = "dedup-index.parquet"
_META_KEY = b"aznews.dedup"


class IndexMismatch(ValueError):
    """The stored index was built with different near-duplicate parameters."""


def _epoch(when: datetime | None) -> int:
    return NO_TIME if when is None else int(when.timestamp())


@dataclass
class DedupIndex:
    """Released articles: signatures with a band index for queries, and what a pair decision
    needs besides them (publisher, credited original, publication time, word count).

    An index written before those columns existed loads with them unknown: its rows are judged
    by Jaccard and containment only."""

    config: NearDupConfig
    ids: np.ndarray  # 'S32' article ids
    releases: np.ndarray  # 'S12' release versions
    index: BandIndex
    publishers: np.ndarray  # uint32 codes into ``names`` (0: unknown)
    originals: np.ndarray  # uint32 codes into ``names`` of the credited original (0: none)
    times: np.ndarray  # int64 epoch seconds of published_at, NO_TIME when unknown
    words: np.ndarray  # int32
    names: list[str] = field(default_factory=lambda: [""])  # code -> publisher id or credited name

    def _code(self, name: str | None) -> int:
        codes = self.__dict__.setdefault("_codes", {n: i for i, n in enumerate(self.names)})
        if not name:
            return 0
        if name not in codes:
            codes[name] = len(self.names)
            self.names.append(name)
        return codes[name]

    @classmethod
    def empty(cls, config: NearDupConfig) -> DedupIndex:
        codes = np.zeros(0, dtype=np.uint32)
        return cls(config, np.zeros(0, dtype="S32"), np.zeros(0, dtype="S12"), BandIndex(config), codes, codes,
                   np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int32))  # fmt: skip

    def __len__(self) -> int:
        return len(self.ids)

    def has_ids(self, ids: pa.Array | pa.ChunkedArray) -> np.ndarray:
        """Whether each of ``ids`` is already in the index (Arrow compares; no set of every id)."""
        released = pa.array(self.ids) if len(self.ids) else pa.array([], pa.binary())
        found = pc.is_in(ids.cast(pa.binary()), value_set=released)
        return np.asarray(found.to_numpy(zero_copy_only=False), dtype=bool)

    def add(self, ids: Sequence[str] | pa.Array, release: str, sigs: np.ndarray, docs: Sequence[Doc]) -> None:
        """Index released articles: their ids, signatures and docs (a list, or a columns.DocView)."""
        self.ids = np.concatenate([self.ids, _fixed(ids)])
        self.releases = np.concatenate([self.releases, np.full(len(ids), release, dtype="S12")])
        if isinstance(docs, DocView):  # in bulk: each name is coded once
            names, pubs, onames, origs, times, words = docs.columns()
            pubs = np.array([self._code(n) for n in names], dtype=np.uint32)[pubs]
            origs = np.array([self._code(n) for n in onames], dtype=np.uint32)[origs]
        else:
            pubs = np.array([self._code(d.publisher) for d in docs], dtype=np.uint32)
            origs = np.array([self._code(d.original_publisher) for d in docs], dtype=np.uint32)
            times = np.array([_epoch(d.published_at) for d in docs], dtype=np.int64)
            words = np.array([d.words for d in docs], dtype=np.int32)
        self.publishers = np.concatenate([self.publishers, pubs.astype(np.uint32)])
        self.originals = np.concatenate([self.originals, origs.astype(np.uint32)])
        self.times = np.concatenate([self.times, times.astype(np.int64)])
        self.words = np.concatenate([self.words, words.astype(np.int32)])
        self.index.add(sigs)
        self.__dict__.pop("_by_publisher", None)

    def doc(self, row: int) -> Doc:
        t = int(self.times[row])
        return Doc(
            self.names[int(self.publishers[row])],
            None if t == NO_TIME else datetime.fromtimestamp(t, UTC),
            self.names[int(self.originals[row])] or None,
            int(self.words[row]),
        )

    def rows_of(self, publisher: str, when: datetime | None, window_s: float) -> np.ndarray:
        """Rows of ``publisher`` published within ``window_s`` of ``when`` (all of its rows when
        ``when`` is unknown; rows of unknown time always)."""
        by_pub = self.__dict__.get("_by_publisher")
        if by_pub is None:
            by_pub = {}
            order = np.lexsort((self.times, self.publishers))
            pubs = self.publishers[order]
            bounds = np.flatnonzero(pubs[1:] != pubs[:-1]) + 1
            for part in np.split(order, bounds) if len(order) else []:
                by_pub[self.names[int(self.publishers[part[0]])]] = part
            self.__dict__["_by_publisher"] = by_pub
        rows = by_pub.get(publisher, np.zeros(0, dtype=np.int64))
        if when is None or not len(rows):
            return rows
        times = self.times[rows]
        unknown = int(np.searchsorted(times, NO_TIME, side="right"))
        t = when.timestamp()
        lo = int(np.searchsorted(times, t - window_s, side="left"))
        hi = int(np.searchsorted(times, t + window_s, side="right"))
        return np.concatenate([rows[:unknown], rows[max(lo, unknown) : hi]])

    def without_release(self, release: str) -> DedupIndex:
        """This index minus one release's rows (a forced rebuild of that release starts clean)."""
        keep = self.releases != release.encode()
        return DedupIndex(
            self.config, self.ids[keep], self.releases[keep], BandIndex(self.config, self.index.sigs[keep]),
            self.publishers[keep], self.originals[keep], self.times[keep], self.words[keep], list(self.names),
        )  # fmt: skip

    def save(self, path: Path) -> None:
        """Write atomically (temp file + rename), so a crash leaves the old index intact."""
        known = self.times != NO_TIME
        times = pa.array(np.where(known, self.times, 0), pa.int64(), mask=~known).cast(pa.timestamp("s", tz="UTC"))
        names = pa.array(self.names, pa.string())
        credited = pa.DictionaryArray.from_arrays(pa.array(self.originals, mask=self.originals == 0), names)
        _write(
            path,
            {
                "id": _strings(self.ids),
                "release": _strings(self.releases),
                "publisher": pa.DictionaryArray.from_arrays(pa.array(self.publishers), names),
                "original_publisher": credited.cast(pa.string()),
                "published_at": times,
                "word_count": pa.array(self.words, pa.int32()),
            },
            self.index.sigs,
            self.config,
        )

    @classmethod
    def load(cls, path: Path, config: NearDupConfig, recover: str = "") -> DedupIndex:
        """Read an index; its columns go from Arrow to numpy without a Python object per row.
        Damage (a page failing its checksum) raises ``DamagedFile`` naming ``recover``."""
        table = read_table(path, recover=recover)
        sigs = _signatures(table, path, config)
        n = table.num_rows
        times = np.full(n, NO_TIME, dtype=np.int64)
        if "published_at" in table.column_names:
            # Parquet keeps timestamps in ms: back to seconds, then epoch integers
            col = table.column("published_at").cast(pa.timestamp("s", tz="UTC")).cast(pa.int64())
            times = np.array(col.fill_null(NO_TIME).to_numpy(), dtype=np.int64)
        words = np.zeros(n, dtype=np.int32)
        if "word_count" in table.column_names:
            words = np.array(table.column("word_count").fill_null(0).to_numpy(), dtype=np.int32)
        none = np.zeros(n, dtype=np.uint32)
        index = cls(config, _fixed(table.column("id")), _coded_bytes(table.column("release"), 12),
                    BandIndex(config, sigs), none, none.copy(), times, words)  # fmt: skip
        for attr, name in (("publishers", "publisher"), ("originals", "original_publisher")):
            if name in table.column_names:  # an index from before these columns: unknown (code 0)
                found, names = codes(table.column(name).cast(pa.string()))
                setattr(index, attr, np.array([index._code(v) for v in names], dtype=np.uint32)[found])
        return index


def save_signatures(path: Path, text_sha1: list[str], sigs: np.ndarray, config: NearDupConfig) -> None:
    """Signatures keyed by text hash (one batch's, computed on a worker), atomically written."""
    _write(path, {"text_sha1": pa.array(text_sha1, pa.string())}, sigs, config)


@dataclass
class Signatures:
    """Signatures by text hash: an Arrow column of hashes and a matrix, row for row."""

    sha1: pa.Array
    sigs: np.ndarray

    @classmethod
    def empty(cls, config: NearDupConfig) -> Signatures:
        return cls(pa.array([], pa.string()), np.zeros((0, config.num_perm), dtype=np.uint32))

    def positions(self, sha1: pa.Array | pa.ChunkedArray) -> np.ndarray:
        """Each hash's row here, -1 when it has none."""
        found = pc.index_in(sha1, value_set=self.sha1)
        return np.asarray(found.fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int64)

    def extend(self, sha1: list[str], sigs: np.ndarray) -> None:
        self.sha1 = pa.concat_arrays([self.sha1, pa.array(sha1, pa.string())])
        self.sigs = np.concatenate([self.sigs, sigs])


def load_signatures(paths: list[Path], config: NearDupConfig) -> Signatures:
    """The signatures in files written by :func:`save_signatures`."""
    found = Signatures.empty(config)
    tables = [read_table(path, recover=RERUN) for path in paths]
    if tables:
        sha1 = pa.concat_arrays([t.column("text_sha1").combine_chunks().cast(pa.string()) for t in tables])
        sigs = [_signatures(table, path, config) for table, path in zip(tables, paths, strict=True)]
        found = Signatures(sha1, np.concatenate(sigs))
    return found


def _fixed(ids: Sequence[str] | pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Ids as 'S32': Arrow's fixed-width bytes when every id has 32 characters, as article ids
    do (no Python object per id); row by row otherwise (nulls as empty)."""
    if not isinstance(ids, pa.Array | pa.ChunkedArray):
        return np.array(list(ids), dtype="S32")
    column = ids.combine_chunks() if isinstance(ids, pa.ChunkedArray) else ids
    if column.null_count == 0 and len(column):
        try:
            fixed = column.cast(pa.binary(32))
            return np.frombuffer(fixed.buffers()[1], dtype="S32", count=len(fixed), offset=32 * fixed.offset).copy()
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            pass
    return np.array([v or "" for v in column.to_pylist()], dtype="S32")


def _coded_bytes(column: pa.ChunkedArray, width: int) -> np.ndarray:
    """A column of few distinct strings (release versions) as fixed-width bytes, via its codes."""
    found, names = codes(column.cast(pa.string()))
    return np.array(names, dtype=f"S{width}")[found]


def _strings(values: np.ndarray) -> pa.Array:
    """Fixed-width bytes (trailing NULs dropped) back to an Arrow string column."""
    return pa.array(values, pa.binary()).cast(pa.string())


_ROW_GROUP = 8192


def _write(path: Path, columns: dict[str, pa.Array], sigs: np.ndarray, config: NearDupConfig) -> None:
    """Columns plus a ``signature`` column, with the parameters in the file metadata; temp file,
    fsync, rename, so a crash never leaves half a file under the final name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    flat = pa.array(np.ascontiguousarray(sigs, dtype=np.uint32).reshape(-1), type=pa.uint32())
    table = pa.table({**columns, "signature": pa.FixedSizeListArray.from_arrays(flat, config.num_perm)})
    table = table.replace_schema_metadata({_META_KEY: json.dumps(config.describe()).encode()})
    tmp = path.with_suffix(".partial")
    # signatures are random numbers: a dictionary for them only costs memory (53 MB at 8,000 rows
    # in one row group, growing with the index); row groups keep the writer's buffers bounded
    dictionary = [name for name in table.column_names if name != "signature"]
    pq.write_table(table, tmp, use_dictionary=dictionary, row_group_size=_ROW_GROUP, **WRITE_OPTIONS)
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    tmp.replace(path)


def _signatures(table: pa.Table, path: Path, config: NearDupConfig) -> np.ndarray:
    stored = json.loads((table.schema.metadata or {}).get(_META_KEY, b"{}"))
    if stored != config.describe():
        raise IndexMismatch(
            f"{path} was built with near-duplicate parameters {stored}, not {config.describe()}; "
            "its signatures cannot be compared. Rebuild it from the release data or keep the old parameters."
        )
    n = table.num_rows
    flat = table.column("signature").combine_chunks().flatten().to_numpy()
    return flat.reshape(n, config.num_perm).astype(np.uint32)


def open_index(
    state_dir: Path, newest_release: Path | None, config: NearDupConfig, *, building: str
) -> tuple[DedupIndex, str]:
    """The index to deduplicate release ``building`` against, and where it came from.

    Local state when it knows the newest release; otherwise (state lost, or a crash between
    publishing and saving state) the copy published with that release; else empty. Rows of
    ``building`` itself are left out, so re-running a release never drops its own rows.
    """
    local = state_dir / INDEX_NAME
    published = newest_release / "meta" / INDEX_NAME if newest_release else None
    if local.exists():
        copy = published if published is not None and published.exists() else None
        recover = (
            f"remove it and run again: the index is rebuilt from the newest release's copy ({copy})"
            if copy
            else "no release holds a copy: restore it from a backup or download the newest release from the Hub"
        )
        index = DedupIndex.load(local, config, recover)
        if newest_release is None or newest_release.name.encode() in index.releases or copy is None:
            return index.without_release(building), f"state {local}"
    if published is not None and published.exists():
        recover = "download this release from the Hub (its files are the copy) or rebuild it with --force"
        return DedupIndex.load(published, config, recover).without_release(building), f"rebuilt from {published}"
    return DedupIndex.empty(config), "empty (first release)"
