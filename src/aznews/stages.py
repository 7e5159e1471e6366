"""Each stage as a function from files to files, so orchestration (Prefect, Dask, a test) only
passes paths. Intermediates live in ``data/work/<version>/`` as Parquet with the release schema.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from aznews import progress
from aznews.config import BATCH_RECORDS
from aznews.dedup import (
    NearDupConfig,
    save_signatures,
    signatures,
)
from aznews.extract import ExtractConfig, extract_pages
from aznews.extract.batches import deadline_off
from aznews.extract.page import robots_rules
from aznews.faults import checkpoint
from aznews.fetch.warc import WarcReadError, WarcSlice, plan_slices
from aznews.ledger import LIBRARY_WARNINGS, NO_DEADLINE, OTHER_MONTH, Drop, Ledger, StageResult
from aznews.logs import take_library_warnings
from aznews.parquet import BATCH, RERUN, WRITE_OPTIONS, open_parquet, read_table
from aznews.schema import records_table, work_schema


class ParquetSink:
    """Append record batches to one Parquet file with the release schema (memory stays flat)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._writer = pq.ParquetWriter(path, work_schema(), **WRITE_OPTIONS)
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


def plan_extract(
    warc_paths: Iterable[Path], records_per_batch: int = BATCH_RECORDS
) -> tuple[list[WarcSlice], Ledger, dict[str, tuple[int, str]]]:
    """Cut the WARC inputs into batches of records (the unit a worker extracts); a corrupt WARC
    tail is a ``warc_unreadable`` drop in the returned ledger. Also returns the robots.txt
    responses the inputs hold (host -> (status, body)), for the extract stage to apply."""
    errors: list[WarcReadError] = []
    robots: dict[str, tuple[int, str]] = {}
    slices = plan_slices(warc_paths, records_per_batch, errors, robots)
    ledger = Ledger()
    _drop_unreadable(ledger, errors)
    return slices, ledger, robots


def _drop_unreadable(ledger: Ledger, errors: list[WarcReadError]) -> None:
    for err in errors:
        ledger.drop(Drop("read", "warc_unreadable", f"{err.warc_file}@{err.offset}", None, err.reason))


def extract_batch(batch: WarcSlice, out: Path, config: ExtractConfig | None = None) -> StageResult:
    """One batch of WARC records -> one Parquet part of extracted records + its ledger. Only this
    batch's pages are ever in memory, so any worker of any size can take any batch."""
    ledger = Ledger()
    notes: Counter = Counter()
    errors: list[WarcReadError] = []
    config = config or ExtractConfig()
    take_library_warnings()  # this batch's only
    tmp = out.with_name(out.name + ".partial")
    sink = ParquetSink(tmp)
    try:
        for result in extract_pages(batch.pages(errors), config):
            if isinstance(result, Drop):
                ledger.drop(result)
                continue
            if rejected := result.pop("date_rejected", None):
                notes[f"date_rejected_{rejected}"] += 1
            ledger.keep("extract", result["publisher"])
            sink.add(result)
            if sum(ledger.kept.values()) == 3:
                checkpoint("extract")  # crash tests: die mid-stage, output half written
    finally:
        sink.close()
    tmp.replace(out)  # a part exists only once complete
    if deadline_off(config):
        notes[NO_DEADLINE] += sum(ledger.kept.values()) + len(ledger.drops)
    if warned := sum(take_library_warnings().values()):
        notes[LIBRARY_WARNINGS] += warned
    _drop_unreadable(ledger, errors)  # the plan cut corrupt tails off; this is a file changed since
    return StageResult(out, ledger, notes)


def sign_batch(part: Path, out: Path, config: NearDupConfig | None = None) -> Path:
    """MinHash signatures of one extracted part, by ``text_sha1`` (the dedup stage reads them
    instead of hashing the corpus again in one process)."""
    config = config or NearDupConfig()
    table = read_table(part, ["text_sha1", "text"], recover=RERUN)
    sha1s, texts, seen = [], [], set()
    for sha1, text in zip(table["text_sha1"].to_pylist(), table["text"].to_pylist(), strict=True):
        if sha1 not in seen:
            seen.add(sha1)
            sha1s.append(sha1)
            texts.append(text)
    save_signatures(out, sha1s, signatures(texts, config), config)
    return out


@dataclass(frozen=True)
class MonthSlice:
    """One month of a backfill over WARC input that spans many: a record belongs to the month of
    its publication date (its capture date when it has none), Baku calendar. Records of another
    month of the backfill are left to that month's release; records before its first month are
    dropped with the reason by the first month, those after its last by the last month (no month
    of this backfill takes them; each is told once)."""

    since: str  # YYYY-MM-DD, this month
    until: str
    first: str  # the backfill's first and end day
    end: str

    def split(self, batch: pa.RecordBatch) -> tuple[np.ndarray, np.ndarray]:
        """(in this month, outside the backfill and told by this month) masks of a batch's rows."""
        from aznews.clock import BAKU

        def at(day: str) -> pa.Scalar:
            return pa.scalar(datetime.fromisoformat(day).replace(tzinfo=BAKU), pa.timestamp("us", tz="UTC"))

        when = pc.coalesce(batch.column("published_at"), batch.column("fetched_at")).cast(pa.timestamp("us", tz="UTC"))
        when = when.fill_null(at(self.first))  # no date at all: the first month takes it

        def mask(expr: pa.Array) -> np.ndarray:
            return np.asarray(expr.to_numpy(zero_copy_only=False), dtype=bool)

        mine = mask(pc.and_(pc.greater_equal(when, at(self.since)), pc.less(when, at(self.until))))
        before = mask(pc.less(when, at(self.first))) & (self.since == self.first)
        after = mask(pc.greater_equal(when, at(self.end))) & (self.until == self.end)
        return mine, before | after


def _slice_month(batch: pa.RecordBatch, month: MonthSlice, ledger: Ledger, notes: Counter) -> pa.RecordBatch:
    """The rows of ``batch`` that belong to ``month``; the others are noted or dropped (and no
    longer counted as kept by the extract stage, so outlet figures stay those of this month)."""
    mine, told = month.split(batch)
    gone = ~mine
    if not gone.any():
        return batch
    rows = batch.select(["url", "publisher", "published_at", "fetched_at"]).filter(pa.array(gone)).to_pylist()
    for row, drop in zip(rows, told[gone].tolist(), strict=True):
        ledger.keep("extract", row["publisher"], -1)  # not this month's page: not counted as one
        if drop:
            day = (row["published_at"] or row["fetched_at"]).date().isoformat()
            why = f"dated {day}, outside the backfill {month.first} to {month.end}"
            ledger.drop(Drop("extract", "outside_backfill", row["url"], row["publisher"], why))
        else:
            notes[OTHER_MONTH] += 1
    return batch.filter(pa.array(mine))


def merge_extract(
    parts: list[StageResult], out: Path, read_ledger: Ledger | None = None, month: MonthSlice | None = None
) -> StageResult:
    """Concatenate extracted parts in batch order (streaming) into one file; the result is the
    same whichever workers made the parts and in whatever order they finished. With ``month``,
    only that month's records go on (a backfill month of WARC input that spans many); the pages
    the extract stage dropped (undated: no month is theirs) are told by the first month only."""
    ledger, notes = Ledger(), Counter()
    out.parent.mkdir(parents=True, exist_ok=True)
    told_elsewhere = month is not None and month.since != month.first
    with pq.ParquetWriter(out, work_schema(), **WRITE_OPTIONS) as writer:
        for part in parts:
            ledger.merge(Ledger(kept=Counter(part.ledger.kept)) if told_elsewhere else part.ledger)
            notes.update(part.notes)
            for batch in open_parquet(part.path, RERUN).iter_batches(batch_size=BATCH):
                if month is not None:
                    batch = _slice_month(batch, month, ledger, notes)
                writer.write_batch(batch)
    if read_ledger is not None:
        ledger.merge(read_ledger)
    return StageResult(out, ledger, notes)


def part_path(work: Path, index: int, kind: str = "extracted") -> Path:
    return work / "parts" / f"{kind}-{index:05d}.parquet"


def _with_robots(config: ExtractConfig | None, robots: dict[str, tuple[int, str]]) -> ExtractConfig:
    """``config`` with the input's robots.txt rules, unless it says robots are not applied."""
    config = config or ExtractConfig()
    return replace(config, robots=robots_rules(robots)) if config.respect_robots else config


def run_extract(
    warc_paths: list[Path],
    out: Path,
    config: ExtractConfig | None = None,
    records_per_batch: int = BATCH_RECORDS,
    *,
    sign: bool = False,
) -> StageResult:
    """WARC files -> extracted records (Parquet) + ledger of drops, batch after batch in this
    process (the flow runs the same batches on its task runner). With ``sign``, each batch's
    MinHash signatures are written beside its part."""
    batches, read_ledger, robots = plan_extract(warc_paths, records_per_batch)
    config = _with_robots(config, robots)
    parts, total = [], sum(b.records for b in batches)
    for i, batch in enumerate(batches):
        part = extract_batch(batch, part_path(out.parent, i), config)
        if sign:
            sign_batch(part.path, part_path(out.parent, i, "minhash"))
        parts.append(part)
        progress.report("extract", batch.records, total)
    return merge_extract(parts, out, read_ledger)


def survey_outlets(warc_paths: list[Path], config: ExtractConfig | None = None) -> dict[str, Counter]:
    """Per outlet, what the extract stage makes of a WARC input: pages seen, ``article`` (kept)
    and each drop rule, without writing a release (``aznews registry check``). Pages of hosts
    outside the registry count under ``(not in registry)``."""
    batches, _, robots = plan_extract(warc_paths, BATCH_RECORDS)
    config = _with_robots(config, robots)
    out: dict[str, Counter] = {}
    for batch in batches:
        for result in extract_pages(batch.pages(), config):
            if isinstance(result, Drop):
                pid, what = result.publisher or "(not in registry)", result.rule
            else:
                pid, what = result["publisher"], "article"
            counts = out.setdefault(pid, Counter())
            counts["seen"] += 1
            counts[what] += 1
    return out
