"""A release's new rows as the suites and the report read them: a SQLite file written one Arrow
batch at a time, with the text as its measures. Great Expectations checks its tables with its SQL
engine and the report aggregates them with queries, so nothing holds the release whole: no
DataFrame, no list of rows (SQLite reads pages from disk as a query needs them)."""

from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile
import weakref
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from aznews.limits import REPLACEMENT_RUN
from aznews.parquet import open_parquet

ARTICLES = "articles"  # the new rows, text measured
PROFILE = "articles_profile"  # one derived row per article (a view over PROFILE_ROWS)
PROFILE_ROWS = "profile_rows"
TEXT_MEASURES = ("text_chars", "text_damaged")  # what the suites see of ``text``
PUBLISHED_MONTH = "substr(published_at, 1, 7)"  # YYYY-MM of the ISO text a store holds
_UTC_US = pa.timestamp("us", "UTC")
_json = json.JSONEncoder(ensure_ascii=False).encode  # one encoder (json.dumps with options makes one per call)


def measured_columns(columns: list[str]) -> list[str]:
    """The column list with ``text`` replaced, in place, by its measures."""
    return [m for c in columns for m in (TEXT_MEASURES if c == "text" else (c,))]


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sql_type(kind: pa.DataType) -> str:
    if pa.types.is_boolean(kind) or pa.types.is_integer(kind):
        return "INTEGER"
    return "REAL" if pa.types.is_floating(kind) else "TEXT"


def _cells(column: pa.Array | pa.ChunkedArray) -> list[Any]:
    """One column's values as SQLite takes them: lists as JSON text, times as ISO text (UTC)."""
    kind = column.type
    if pa.types.is_dictionary(kind):
        return _cells(column.cast(kind.value_type))
    if pa.types.is_list(kind) or pa.types.is_large_list(kind):
        return [None if v is None else _json(v) if v else "[]" for v in column.to_pylist()]
    if pa.types.is_timestamp(kind):
        iso = pc.strftime(pc.cast(column, _UTC_US if kind.tz else pa.timestamp("us"), safe=False), "%Y-%m-%dT%H:%M:%S")
        return iso.to_pylist()
    if pa.types.is_null(kind):
        return [None] * len(column)
    if pa.types.is_boolean(kind) or pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_string(kind):
        return column.to_pylist()
    return pc.cast(column, pa.string()).to_pylist()


@dataclass(frozen=True)
class Table:
    """One table (or view) of a RowStore."""

    store: RowStore
    name: str

    def query(self, sql: str, params: Iterable[Any] = ()) -> sqlite3.Cursor:
        """Run ``sql`` with ``{t}`` standing for this table's quoted name."""
        return self.store.con.execute(sql.format(t=_quoted(self.name)), tuple(params))

    def __len__(self) -> int:
        return int(self.query("SELECT COUNT(*) FROM {t}").fetchone()[0])

    @property
    def columns(self) -> list[str]:
        return [row[1] for row in self.query("PRAGMA table_info({t})")]

    def strings(self, column: str, *, distinct: bool = False, chunk: int = 10_000) -> pa.Array:
        """A column as one Arrow string array, fetched ``chunk`` rows at a time."""
        cursor = self.query(f"SELECT {'DISTINCT ' if distinct else ''}{_quoted(column)} FROM {{t}}")
        parts = [pa.array([r[0] for r in rows], pa.string()) for rows in iter(lambda: cursor.fetchmany(chunk), [])]
        return pa.concat_arrays(parts) if parts else pa.array([], pa.string())

    def counts(self, expression: str) -> Counter:
        """Rows per value of the SQL ``expression`` (a column, or e.g. ``PUBLISHED_MONTH``);
        nulls are counted under None."""
        return Counter(dict(self.query(f"SELECT {expression}, COUNT(*) FROM {{t}} GROUP BY 1")))

    def histogram(self, column: str, bins: int) -> tuple[float, float, list[int]]:
        """(low, high, counts) of ``column`` in ``bins`` equal bins; nulls left out."""
        c = _quoted(column)
        lo, hi = self.query(f"SELECT MIN({c}), MAX({c}) FROM {{t}}").fetchone()
        if lo is None:
            return 0.0, 1.0, [0] * bins
        width = (hi - lo) / bins or 1.0
        counts = [0] * bins
        sql = f"SELECT MIN(?, CAST(({c} - ?) / ? AS INTEGER)), COUNT(*) FROM {{t}} WHERE {c} IS NOT NULL GROUP BY 1"
        for b, n in self.query(sql, (bins - 1, lo, float(width))):
            counts[b] = n
        return float(lo), float(hi), counts


class RowStore:
    """A SQLite file of tables written from Arrow batches. Without ``path`` it is a temporary
    file, removed with the store; with one, ``close()`` removes it."""

    def __init__(self, path: Path | None = None) -> None:
        if path is None:
            tmp = tempfile.mkdtemp(prefix="aznews-rows-")
            weakref.finalize(self, shutil.rmtree, tmp, True)
            path = Path(tmp) / "rows.sqlite"
        self.path = Path(path).resolve()
        self.path.unlink(missing_ok=True)  # a store left by a killed run is rebuilt, not appended to
        self.con = sqlite3.connect(self.path)
        self.con.execute("PRAGMA journal_mode=OFF")  # a scratch file: rebuilt on any failure
        self.con.execute("PRAGMA synchronous=OFF")

    @property
    def url(self) -> str:
        """The store as a SQLAlchemy connection string (what GX's SQL data source takes)."""
        return f"sqlite:///{self.path}"

    def table(self, name: str) -> Table:
        return Table(self, name)

    def create(self, name: str, schema: pa.Schema) -> Table:
        """An empty table ``name`` with ``schema``'s columns (replacing one of that name)."""
        columns = ", ".join(f"{_quoted(f.name)} {_sql_type(f.type)}" for f in schema)
        self.con.execute(f"DROP TABLE IF EXISTS {_quoted(name)}")
        self.con.execute(f"CREATE TABLE {_quoted(name)} ({columns})")
        return self.table(name)

    def insert(self, table: Table, batch: pa.RecordBatch) -> None:
        """Append ``batch``'s rows (its columns matched to the table's by name)."""
        names = table.columns
        rows = zip(*(_cells(batch.column(n)) for n in names), strict=True)
        self.con.executemany(f"INSERT INTO {_quoted(table.name)} VALUES ({', '.join('?' * len(names))})", rows)

    def write(self, name: str, schema: pa.Schema, batches: Iterable[pa.RecordBatch]) -> Table:
        """Table ``name`` with ``schema``'s columns, filled from ``batches``."""
        table = self.create(name, schema)
        for batch in batches:
            self.insert(table, batch)
        self.con.commit()
        return table

    def close(self) -> None:
        self.con.close()
        self.path.unlink(missing_ok=True)

    def __enter__(self) -> RowStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def measured(batch: pa.RecordBatch) -> pa.RecordBatch:
    """``batch`` with ``text`` replaced, in place, by its length in characters and whether it
    holds a run of U+FFFD (bytes that did not decode; aznews.limits). Null text, null measures."""
    if "text" not in batch.schema.names:
        return batch
    text = batch.column("text")
    if pa.types.is_null(text.type):  # no text at all (a frame whose texts are all None)
        text = text.cast(pa.string())
    values = (pc.utf8_length(text), pc.match_substring_regex(text, REPLACEMENT_RUN))
    measures = dict(zip(TEXT_MEASURES, values, strict=True))
    names = measured_columns(batch.schema.names)
    return pa.record_batch([measures[n] if n in measures else batch.column(n) for n in names], names=names)


def _utc(column: pa.Array) -> pa.Array:
    return pc.cast(column, _UTC_US, safe=False)


def _profile(batch: pa.RecordBatch) -> pa.RecordBatch:
    """Per article: its publisher, how many seconds its published time lies after its fetch time
    (null without a date), has_date, has_author and in_cluster (as 0.0/1.0, for the suite's means)."""
    published, fetched = _utc(batch.column("published_at")), _utc(batch.column("fetched_at"))
    lead = pc.divide(pc.subtract(published, fetched).cast(pa.int64()), 1e6)
    authors = batch.column("authors")
    has_author = (
        pc.greater(pc.list_value_length(authors), 0) if not pa.types.is_null(authors.type) else pa.nulls(len(authors))
    )
    flags = [pc.is_valid(published), has_author, pc.greater(batch.column("cluster_size"), 1)]
    as_float = [pc.fill_null(f, False).cast(pa.float64()) for f in flags]
    return pa.record_batch(
        [batch.column("publisher"), lead, *as_float],
        names=["publisher", "published_lead_s", "has_date", "has_author", "in_cluster"],
    )


_PROFILE_SCHEMA = pa.schema(
    [("publisher", pa.string()), ("published_lead_s", pa.float64())]
    + [(name, pa.float64()) for name in ("has_date", "has_author", "in_cluster")]
)


def measured_schema(schema: pa.Schema) -> pa.Schema:
    """``schema`` with ``text`` replaced, in place, by its measures (as :func:`measured` makes them)."""
    return measured(pa.RecordBatch.from_pylist([], schema=schema)).schema


def write_articles(store: RowStore, schema: pa.Schema, batches: Iterable[pa.RecordBatch]) -> Table:
    """The articles table (text measured) and, in the same pass, the profile: a table of
    per-article values and a view adding each publisher's share of the release's rows."""
    articles = store.create(ARTICLES, measured_schema(schema))
    profile = store.create(PROFILE_ROWS, _PROFILE_SCHEMA)
    for batch in batches:
        store.insert(articles, measured(batch))
        store.insert(profile, _profile(batch))
    store.con.execute(f"DROP VIEW IF EXISTS {_quoted(PROFILE)}")
    store.con.execute(
        f"CREATE VIEW {_quoted(PROFILE)} AS SELECT publisher, published_lead_s, has_date, has_author, in_cluster, "
        "CASE WHEN publisher IS NULL THEN NULL ELSE CAST(COUNT(*) OVER (PARTITION BY publisher) AS REAL) "
        f"/ COUNT(publisher) OVER () END AS publisher_share FROM {_quoted(PROFILE_ROWS)} ORDER BY rowid"
    )
    store.con.commit()
    return articles


def release_rows(path: Path, store: RowStore, batch_rows: int = 2000) -> Table:
    """A release file's rows into ``store``, a batch at a time (texts are never held whole)."""
    reader = open_parquet(path)
    return write_articles(store, reader.schema_arrow, reader.iter_batches(batch_size=batch_rows))


def _arrow(frame: pd.DataFrame | pa.Table) -> pa.Table:
    return frame if isinstance(frame, pa.Table) else pa.Table.from_pandas(frame, preserve_index=False)


def frame_rows(frame: Table | pd.DataFrame | pa.Table, store: RowStore | None = None) -> Table:
    """Articles already in memory (tests, small callers) into a store (a temporary one unless
    given), by the same path as a release's; a Table is returned as it is."""
    if isinstance(frame, Table):
        return frame
    table = _arrow(frame)
    return write_articles(store or RowStore(), table.schema, table.to_batches())


def as_table(rows: Table | pd.DataFrame | pa.Table, name: str) -> Table:
    """``rows`` as a table of a store: a Table as it is, a frame written (its text measured) to
    a temporary store."""
    if isinstance(rows, Table):
        return rows
    table = _arrow(rows)
    return RowStore().write(name, measured_schema(table.schema), map(measured, table.to_batches()))
