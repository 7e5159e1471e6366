"""The cross-release dedup index: one row per released article (id, release, MinHash signature).

It lives at ``data/state/dedup-index.parquet`` and a copy is published with every release as
``meta/dedup-index.parquet``, so a lost state directory is rebuilt from the newest release.
The file records the near-duplicate parameters; an index built with other parameters (another
seed or permutation count gives incomparable signatures) is refused with a clear error.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from aznews.dedup.near import BandIndex, NearDupConfig

INDEX_NAME = "dedup-index.parquet"
_META_KEY = b"aznews.dedup"


class IndexMismatch(ValueError):
    """The stored index was built with different near-duplicate parameters."""


@dataclass
class DedupIndex:
    """Released articles and their signatures, with a band index for queries."""

    config: NearDupConfig
    ids: np.ndarray  # 'S32' article ids
    releases: np.ndarray  # 'S12' release versions
    index: BandIndex

    @classmethod
    def empty(cls, config: NearDupConfig) -> DedupIndex:
        return cls(config, np.zeros(0, dtype="S32"), np.zeros(0, dtype="S12"), BandIndex(config))

    def __len__(self) -> int:
        return len(self.ids)

    def id_set(self) -> set[str]:
        return {i.decode() for i in self.ids}

    def add(self, ids: list[str], release: str, sigs: np.ndarray) -> None:
        self.ids = np.concatenate([self.ids, np.array(ids, dtype="S32")])
        self.releases = np.concatenate([self.releases, np.full(len(ids), release, dtype="S12")])
        self.index.add(sigs)

    def without_release(self, release: str) -> DedupIndex:
        """This index minus one release's rows (a forced rebuild of that release starts clean)."""
        keep = self.releases != release.encode()
        return DedupIndex(
            self.config, self.ids[keep], self.releases[keep], BandIndex(self.config, self.index.sigs[keep])
        )

    def save(self, path: Path) -> None:
        """Write atomically (temp file + rename), so a crash leaves the old index intact."""
        _write(
            path,
            {
                "id": pa.array([i.decode() for i in self.ids], pa.string()),
                "release": pa.array([r.decode() for r in self.releases], pa.string()),
            },
            self.index.sigs,
            self.config,
        )

    @classmethod
    def load(cls, path: Path, config: NearDupConfig) -> DedupIndex:
        table = pq.read_table(path)
        sigs = _signatures(table, path, config)
        ids = np.array(table.column("id").to_pylist(), dtype="S32")
        releases = np.array(table.column("release").to_pylist(), dtype="S12")
        return cls(config, ids, releases, BandIndex(config, sigs))


def save_signatures(path: Path, text_sha1: list[str], sigs: np.ndarray, config: NearDupConfig) -> None:
    """Signatures keyed by text hash (one batch's, computed on a worker), atomically written."""
    _write(path, {"text_sha1": pa.array(text_sha1, pa.string())}, sigs, config)


def load_signatures(paths: list[Path], config: NearDupConfig) -> dict[str, np.ndarray]:
    """text_sha1 -> signature row, from files written by :func:`save_signatures`."""
    out: dict[str, np.ndarray] = {}
    for path in paths:
        table = pq.read_table(path)
        out.update(zip(table.column("text_sha1").to_pylist(), _signatures(table, path, config), strict=True))
    return out


def _write(path: Path, columns: dict[str, pa.Array], sigs: np.ndarray, config: NearDupConfig) -> None:
    """Columns plus a ``signature`` column, with the parameters in the file metadata; temp file,
    fsync, rename, so a crash never leaves half a file under the final name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    flat = pa.array(np.ascontiguousarray(sigs, dtype=np.uint32).reshape(-1), type=pa.uint32())
    table = pa.table({**columns, "signature": pa.FixedSizeListArray.from_arrays(flat, config.num_perm)})
    table = table.replace_schema_metadata({_META_KEY: json.dumps(config.describe()).encode()})
    tmp = path.with_suffix(".partial")
    pq.write_table(table, tmp, compression="zstd")
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
        index = DedupIndex.load(local, config)
        if newest_release is None or newest_release.name.encode() in index.releases or not published.exists():
            return index.without_release(building), f"state {local}"
    if published is not None and published.exists():
        return DedupIndex.load(published, config).without_release(building), f"rebuilt from {published}"
    return DedupIndex.empty(config), "empty (first release)"
