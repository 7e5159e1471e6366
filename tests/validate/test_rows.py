"""The row store the suites and the report read: what it holds, derived as pandas would."""

from __future__ import annotations

import gc
import json
from datetime import UTC, datetime, timedelta

import pandas as pd
import pyarrow as pa
import pytest

from aznews.schema import column_names
from aznews.validate.rows import ARTICLES, PROFILE, RowStore, as_table, frame_rows, measured, measured_columns


@pytest.fixture
def rows(sample_records) -> list[dict]:
    out = [dict(r, split="train") for r in sample_records[0]]
    for r in out:
        r.pop("date_rejected", None)
    return out


def test_the_profile_is_derived_per_article(rows):
    fetched = datetime(2026, 12, 1, 12, tzinfo=UTC)
    rows[0].update(published_at=fetched + timedelta(seconds=90.5), fetched_at=fetched, authors=["A. Əliyev"])
    rows[1].update(published_at=None, authors=[], cluster_size=3)
    table = frame_rows(pd.DataFrame(rows, columns=column_names()))
    profile = table.store.table(PROFILE)
    got = profile.query(
        "SELECT published_lead_s, has_date, has_author, in_cluster, publisher_share FROM {t}"
    ).fetchall()
    share = pd.Series([r["publisher"] for r in rows]).value_counts(normalize=True)
    assert got[0][:3] == (90.5, 1.0, 1.0)
    assert got[1][:4] == (None, 0.0, 0.0, 1.0)
    assert [g[4] for g in got] == pytest.approx([share[r["publisher"]] for r in rows])
    assert len(profile) == len(table) == len(rows)


def test_cells_keep_their_values(rows):
    table = frame_rows(pd.DataFrame(rows, columns=column_names()))
    authors, published, damaged = table.query("SELECT authors, published_at, text_damaged FROM {t}").fetchone()
    assert json.loads(authors) == rows[0]["authors"]  # lists as JSON text
    assert published.startswith(rows[0]["published_at"].astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S"))
    assert damaged == 0
    assert table.strings("id").to_pylist() == [r["id"] for r in rows]
    assert len(table.strings("publisher", distinct=True)) == len({r["publisher"] for r in rows})


def test_histogram_bins_as_the_chart_did(rows):
    table = frame_rows(pd.DataFrame(rows, columns=column_names()))
    values = [len(r["text"]) for r in rows]
    lo, hi, counts = table.histogram("text_chars", 7)
    width = (hi - lo) / 7
    expected = [0] * 7
    for v in values:
        expected[min(6, int((v - lo) / width))] += 1
    assert (lo, hi, counts) == (min(values), max(values), expected)
    assert as_table(pd.DataFrame({"x": [None, None]}, dtype=float), "t").histogram("x", 3) == (0.0, 1.0, [0, 0, 0])


def test_a_store_is_rebuilt_and_its_file_removed(tmp_path, rows):
    path = tmp_path / "rows.sqlite"
    path.write_bytes(b"left by a killed run")
    with RowStore(path) as store:
        frame_rows(pd.DataFrame(rows, columns=column_names()), store)
        assert len(store.table(ARTICLES)) == len(rows)
    assert not path.exists()
    temporary = frame_rows(pd.DataFrame(rows, columns=column_names())).store.path
    gc.collect()
    assert not temporary.parent.exists()  # a temporary store goes with its last table


def test_no_rows_is_an_empty_table_with_every_column():
    """A 0-row batch is measured like any other (an empty Arrow array is falsy: no `or` on one)."""
    empty = pa.record_batch([pa.array([], pa.string()), pa.array([], pa.string())], names=["id", "text"])
    assert measured(empty).schema.names == ["id", "text_chars", "text_damaged"]
    table = frame_rows(pd.DataFrame(columns=column_names()))
    assert len(table) == 0 and table.columns == measured_columns(column_names())
    assert table.histogram("text_chars", 4) == (0.0, 1.0, [0, 0, 0, 0])
