"""Each stage as a function from files to files, so orchestration (Prefect, Dask, a test) only
passes paths. Intermediates live in ``data/work/<version>/`` as Parquet with the release schema.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from aznews import progress
from aznews.dedup import INDEX_NAME, NearDupConfig, dedup_records, open_index
from aznews.extract import ExtractConfig, extract_pages
from aznews.faults import checkpoint
from aznews.fetch.warc import WarcReadError, iter_pages
from aznews.ledger import Drop, Ledger
from aznews.publish import assign_split
from aznews.publish.release import newest_release
from aznews.publish.takedown import Takedown
from aznews.schema import arrow_schema, records_table
from aznews.sources.registry import load_registry

BATCH = 500


@dataclass
class StageResult:
    path: Path
    ledger: Ledger
    notes: Counter = field(default_factory=Counter)
    index_source: str = ""

    def save_ledger(self, path: Path) -> None:
        path.write_text(
            json.dumps(
                {"ledger": self.ledger.to_dict(), "notes": dict(self.notes)},
                ensure_ascii=False,
                indent=1,
                default=str,
            ),
            encoding="utf-8",
        )


class ParquetSink:
    """Append record batches to one Parquet file with the release schema (memory stays flat)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._writer = pq.ParquetWriter(path, arrow_schema(), compression="zstd")
        self._buf: list[dict[str, Any]] = []
        self.rows = 0

    def add(self, row: dict[str, Any]) -> None:
        self._buf.append(row)
        if len(self._buf) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self._buf:
            self._writer.write_table(records_table(self._buf))
            self.rows += len(self._buf)
            self._buf = []

    def close(self) -> None:
        self.flush()
        self._writer.close()


def read_records(path: Path) -> list[dict[str, Any]]:
    return pq.read_table(path).to_pylist()


def iter_warc_pages(paths: Iterable[Path], errors: list[WarcReadError]) -> Iterator:
    for path in paths:
        yield from iter_pages(path, errors)


def run_extract(
    warc_paths: list[Path], out: Path, config: ExtractConfig | None = None, workers: int = 0
) -> StageResult:
    """WARC files -> extracted records (Parquet) + ledger of drops."""
    ledger = Ledger()
    notes: Counter = Counter()
    errors: list[WarcReadError] = []
    sink = ParquetSink(out)
    try:
        for result in extract_pages(iter_warc_pages(warc_paths, errors), config, workers=workers):
            if isinstance(result, Drop):
                ledger.drop(result)
            else:
                if rejected := result.pop("date_rejected", None):
                    notes[f"date_rejected_{rejected}"] += 1
                ledger.keep("extract", result["publisher"])
                sink.add(result)
                if sum(ledger.kept.values()) == 3:
                    checkpoint("extract")  # crash tests: die mid-stage, output half written
            progress.report("extract")
    finally:
        sink.close()
    for err in errors:
        ledger.drop(Drop("read", "warc_unreadable", f"{err.warc_file}@{err.offset}", None, err.reason))
    return StageResult(out, ledger, notes)


def run_dedup(
    extracted: Path,
    out: Path,
    registry_path: Path | None = None,
    *,
    version: str,
    state_dir: Path,
    releases_dir: Path,
    config: NearDupConfig | None = None,
    takedown: Takedown | None = None,
) -> StageResult:
    """Extracted records -> one row per story with cluster columns, none already released.

    Writes ``out`` and, beside it, the dedup index as it will be once this release is published
    (``dedup-index.parquet``); the flow publishes that file and only then makes it the state.
    """
    registry = load_registry(registry_path)
    config = config or NearDupConfig()
    index, source = open_index(state_dir, newest_release(releases_dir), config, building=version)
    records = read_records(extracted)
    taken_down = takedown.matches if takedown is not None and len(takedown) else None
    result = dedup_records(records, registry, index, config, taken_down)
    ledger = Ledger()
    for d in result.drops:
        ledger.drop(d)
    sink = ParquetSink(out)
    for rec in result.kept:
        rec["split"] = assign_split(rec["id"])
        ledger.keep("dedup", rec["publisher"])
        sink.add(rec)
    sink.close()
    index.add([r["id"] for r in result.kept], version, result.signatures)
    index.save(out.with_name(INDEX_NAME))
    progress.report("dedup", len(records))
    notes = Counter({"dedup_index_rows": len(index)})  # per-rule counts are in the ledger
    return StageResult(out, ledger, notes, index_source=source)


def commit_dedup_state(work_index: Path, state_dir: Path) -> Path:
    """Make a published release's dedup index the local state (atomic replace)."""
    state_dir.mkdir(parents=True, exist_ok=True)
    dest = state_dir / INDEX_NAME
    tmp = dest.with_suffix(".partial")
    shutil.copyfile(work_index, tmp)
    tmp.replace(dest)
    return dest
