"""The dedup stage, file to file: the extracted records of a release against themselves and every
earlier release (``decide``), the kept rows written back with their cluster columns, the index
that knows them saved beside; ``commit_dedup_state`` makes it the data dir's state once the
release is published."""

from __future__ import annotations

import contextlib
import shutil
from collections import Counter
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from aznews import progress
from aznews.dedup.columns import DECISION_COLUMNS
from aznews.dedup.decide import DedupResult, dedup_records
from aznews.dedup.exact import cluster_columns
from aznews.dedup.near import NearDupConfig, signatures
from aznews.dedup.state import INDEX_NAME, Signatures, load_signatures, open_index
from aznews.ledger import INDEX_ROWS, Ledger, StageResult
from aznews.parquet import BATCH, RERUN, WRITE_OPTIONS, open_parquet, read_table
from aznews.publish import assign_split
from aznews.publish.catalogue import newest_release
from aznews.publish.takedown import Takedown
from aznews.schema import work_schema
from aznews.sources.registry import load_registry


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
    signature_files: list[Path] | None = None,
) -> StageResult:
    """Extracted records -> one row per story with cluster columns, none already released.

    Writes ``out`` and, beside it, the dedup index as it will be once this release is published
    (``dedup-index.parquet``); the flow publishes that file and only then makes it the state.
    Signatures already computed per batch (``signature_files``) are used, not recomputed.
    """
    registry = load_registry(registry_path)
    config = config or NearDupConfig()
    index, source = open_index(state_dir, newest_release(releases_dir), config, building=version)
    # Decisions need a few columns of every record and its signature, never its text: the
    # columns stay Arrow (only records in a group become dicts), the rows stay on disk and are
    # streamed back, a batch at a time, with the cluster columns set.
    table = read_table(extracted, DECISION_COLUMNS, recover=RERUN)
    known = load_signatures(signature_files or [], config)
    _sign_missing(extracted, table, known, config)
    taken_down = takedown.entry_for if takedown is not None and len(takedown) else None
    result = dedup_records(table, registry, index, config, taken_down, known)
    del known  # before the writes, which peak: the signatures needed are in the result
    ledger = Ledger()
    for d in result.drops:
        ledger.drop(d)
    _write_kept(extracted, out, result, ledger)
    ids = table.column("id").take(pa.array(result.rows, pa.int64()))
    index.add(ids, version, result.signatures, result.decisions.docs(result.rows))
    index.save(out.with_name(INDEX_NAME))
    progress.report("dedup", table.num_rows)
    notes = Counter({INDEX_ROWS: len(index)})  # per-rule counts are in the ledger
    return StageResult(out, ledger, notes, index_source=source)


CLUSTER_COLUMNS = ("cluster_id", "cluster_size", "duplicate_urls", "duplicate_publishers")  # what dedup sets


def _write_kept(extracted: Path, out: Path, result: DedupResult, ledger: Ledger) -> None:
    """The kept rows of ``extracted``, in its order, with their cluster columns and split set:
    Arrow takes the rows a batch at a time; no text becomes a Python object. A row alone in its
    cluster gets the cluster columns of one; only merged survivors' are made in Python."""
    schema = work_schema()
    out.parent.mkdir(parents=True, exist_ok=True)
    rows = np.sort(result.rows)
    with pq.ParquetWriter(out, schema, **WRITE_OPTIONS) as writer:
        start = 0
        for batch in open_parquet(extracted, RERUN).iter_batches(batch_size=BATCH, columns=schema.names):
            lo, hi = np.searchsorted(rows, [start, start + batch.num_rows])
            mine = rows[lo:hi]
            start += batch.num_rows
            if not len(mine):
                continue
            table = pa.Table.from_batches([batch]).take(pa.array(mine - (start - batch.num_rows), pa.int64()))
            ids = table.column("id").to_pylist()  # one batch's
            recs = [result.merged.get(r) or {"id": i} for r, i in zip(mine.tolist(), ids, strict=True)]
            values = [cluster_columns(rec) for rec in recs]
            set_by_dedup = {c: [v[k] for v in values] for k, c in enumerate(CLUSTER_COLUMNS)}
            set_by_dedup["split"] = [assign_split(i) for i in ids]
            columns = [
                pa.array(set_by_dedup[f.name], type=f.type) if f.name in set_by_dedup else table.column(f.name)
                for f in schema
            ]
            writer.write_table(pa.Table.from_arrays(columns, schema=schema))
            for publisher, n in Counter(table.column("publisher").to_pylist()).items():
                ledger.keep("dedup", publisher, n)


def _sign_missing(extracted: Path, table: pa.Table, known: Signatures, config: NearDupConfig) -> None:
    """Add to ``known`` the signature of every text in ``extracted`` it lacks (a run without the
    workers' signature files), reading the texts a batch at a time."""
    missing = np.flatnonzero(known.positions(table.column("text_sha1")) < 0)
    if not len(missing):
        return
    pending: dict[str, str] = {}

    def flush() -> None:
        known.extend(list(pending), signatures(list(pending.values()), config))
        pending.clear()

    start = 0
    for batch in open_parquet(extracted, RERUN).iter_batches(batch_size=BATCH, columns=["text_sha1", "text"]):
        lo, hi = np.searchsorted(missing, [start, start + batch.num_rows])
        mine = pa.array(missing[lo:hi] - start, pa.int64())
        start += batch.num_rows
        part = batch.take(mine)
        for sha1, text in zip(part.column(0).to_pylist(), part.column(1).to_pylist(), strict=True):
            if sha1 not in pending:
                pending[sha1] = text
        if len(pending) >= BATCH:
            flush()
    if pending:
        flush()


def commit_dedup_state(work_index: Path, state_dir: Path) -> Path:
    """Make a published release's dedup index the local state (atomic replace)."""
    state_dir.mkdir(parents=True, exist_ok=True)
    dest = state_dir / INDEX_NAME
    tmp = dest.with_suffix(".partial")
    try:
        shutil.copyfile(work_index, tmp)
        tmp.replace(dest)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)  # a full disk: leave no half copy behind (the old state stands)
        raise
    return dest
