"""A release's decision columns held as Arrow and numpy: no Python object per record.

Dedup decides by a few columns of every record (``DECISION_COLUMNS``). Most records are alone
(no duplicate id, text or near text); only the rows of a group become Python dicts, and a
pair's :class:`Doc` is made when the pair is judged.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, overload

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

NO_TIME = np.iinfo(np.int64).min  # in columns of published_at (epoch integers): unknown


@dataclass(frozen=True)
class Doc:
    """What a pair decision (aznews.dedup.agree) needs besides the signature."""

    publisher: str
    published_at: datetime | None
    original_publisher: str | None
    words: int


Record = dict[str, Any]
ROW = "_row"  # a materialised record's row in its table
# what dedup decides by (grouping, survivor order, merging); extracted records are clusters of
# one, so their cluster columns are not read (exact.cluster_columns gives a record's)
DECISION_COLUMNS = ["id", "url", "publisher", "original_publisher", "published_at", "fetched_at",
                    "warc_record_id", "text_sha1", "word_count"]  # fmt: skip
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def table_of(records: Sequence[Record]) -> pa.Table:
    """The decision columns (and ``text``, when the records carry it) of a list of records."""
    names = [*DECISION_COLUMNS, "text"]
    present = [n for n in names if any(n in r for r in records)]
    return pa.table({n: [r.get(n) for r in records] for n in present} or {"id": pa.array([], pa.string())})


def codes(column: pa.ChunkedArray | pa.Array) -> tuple[np.ndarray, list[str]]:
    """Dictionary codes of a string column (0 for null or empty) and the names they stand for."""
    if isinstance(column, pa.ChunkedArray):  # one dictionary for all chunks
        column = column.combine_chunks()
    encoded = pc.dictionary_encode(column)
    names = ["", *encoded.dictionary.to_pylist()]
    return np.asarray(pc.add(encoded.indices, 1).fill_null(0).to_numpy(zero_copy_only=False), dtype=np.int32), names


def groups(keys: np.ndarray, rows: np.ndarray) -> list[np.ndarray]:
    """The rows (of ``rows``, ascending) that share a key with another, one array per key, in
    the order of each key's first row."""
    if not len(rows):
        return []
    order = np.lexsort((rows, keys[rows]))
    sorted_rows, sorted_keys = rows[order], keys[rows][order]
    bounds = np.flatnonzero(sorted_keys[1:] != sorted_keys[:-1]) + 1
    parts = [p for p in np.split(sorted_rows, bounds) if len(p) > 1]
    return sorted(parts, key=lambda p: int(p[0]))


def repeated(keys: np.ndarray) -> np.ndarray:
    """Rows whose key occurs more than once."""
    if not len(keys):
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(np.bincount(keys)[keys] > 1)


class Decisions:
    """The columns of ``table`` dedup decides by, as numpy codes; records and docs on demand.
    ``source``, when given, is the list the table was made from: its records are returned as
    they are (copied), not rebuilt from Arrow."""

    def __init__(self, table: pa.Table, source: Sequence[Record] | None = None) -> None:
        self.table, self.source = table, source
        n = table.num_rows
        self.n = n
        self.ids, self.id_names = codes(table.column("id"))
        self.texts, _ = codes(self._column("text_sha1", pa.string()))
        self.publishers, self.names = codes(self._column("publisher", pa.string()))
        self.originals, self.original_names = codes(self._column("original_publisher", pa.string()))
        published = self._column("published_at", pa.timestamp("us", tz="UTC"))
        self.times = np.asarray(published.cast(pa.int64()).fill_null(NO_TIME).to_numpy(), dtype=np.int64)
        words = self._column("word_count", pa.int32())
        self.words = np.array(words.fill_null(-1).to_numpy(), dtype=np.int64)  # a copy: filled below
        if (missing := np.flatnonzero(self.words < 0)).size:  # a caller without the column: count from the text
            text = self._column("text", pa.string()).take(pa.array(missing)).to_pylist()
            self.words[missing] = [len((t or "").split()) for t in text]

    def _column(self, name: str, type_: pa.DataType) -> pa.ChunkedArray:
        if name not in self.table.column_names:
            return pa.chunked_array([pa.nulls(self.n, type_)])
        column = self.table.column(name)
        if pa.types.is_timestamp(type_) and column.type != type_:
            return column.cast(type_)
        return column if column.type != pa.null() else pa.chunked_array([pa.nulls(self.n, type_)])

    def records(self, rows: np.ndarray | Sequence[int]) -> list[Record]:
        """The records of ``rows``, each with its row under ``ROW``."""
        rows = [int(r) for r in rows]
        if self.source is not None:
            return [{**self.source[r], ROW: r} for r in rows]
        found = self.table.take(pa.array(rows, pa.int64())).to_pylist()
        for rec, row in zip(found, rows, strict=True):
            rec[ROW] = row
        return found

    def value(self, name: str, rows: np.ndarray) -> list[Any]:
        """One column's values at ``rows`` (for the few rows a drop names)."""
        return self._column(name, pa.string()).take(pa.array(rows, pa.int64())).to_pylist()

    def doc(self, row: int) -> Doc:
        t = int(self.times[row])
        return Doc(
            self.names[self.publishers[row]],
            None if t == NO_TIME else _EPOCH + timedelta(microseconds=t),
            self.original_names[self.originals[row]] or None,
            int(self.words[row]),
        )

    def docs(self, rows: np.ndarray) -> DocView:
        return DocView(self, rows)


class DocView(Sequence[Doc]):
    """The docs of some rows, made when asked for."""

    def __init__(self, decisions: Decisions, rows: np.ndarray) -> None:
        self.decisions, self.rows = decisions, rows

    def __len__(self) -> int:
        return len(self.rows)

    @overload
    def __getitem__(self, i: int) -> Doc: ...
    @overload
    def __getitem__(self, i: slice) -> list[Doc]: ...
    def __getitem__(self, i: int | slice) -> Doc | list[Doc]:
        if isinstance(i, slice):
            return [self.decisions.doc(int(r)) for r in self.rows[i]]
        return self.decisions.doc(int(self.rows[i]))

    def __iter__(self) -> Iterator[Doc]:
        return (self.decisions.doc(int(r)) for r in self.rows)

    def columns(self) -> tuple[list[str], np.ndarray, list[str], np.ndarray, np.ndarray, np.ndarray]:
        """(publisher names, publisher codes, original names, original codes, times in epoch
        seconds or NO_TIME, words) of these rows, for an index to take in bulk."""
        d, rows = self.decisions, self.rows
        known = d.times[rows] != NO_TIME
        seconds = np.where(known, d.times[rows] // 1_000_000, NO_TIME)
        return d.names, d.publishers[rows], d.original_names, d.originals[rows], seconds, d.words[rows]


def doc_view(docs: DocView | Sequence[Doc]) -> DocView:
    """``docs`` as a view on columns (plain docs are put into a table of their own)."""
    if isinstance(docs, DocView):
        return docs
    table = pa.table({
        "id": pa.array([str(i) for i in range(len(docs))], pa.string()),
        "publisher": pa.array([d.publisher for d in docs], pa.string()),
        "original_publisher": pa.array([d.original_publisher for d in docs], pa.string()),
        "published_at": pa.array([d.published_at for d in docs], pa.timestamp("us", tz="UTC")),
        "word_count": pa.array([d.words for d in docs], pa.int64()),
    })  # fmt: skip
    return Decisions(table).docs(np.arange(len(docs)))
