"""The cross-release dedup index: persisted, published, rebuilt, and refused when incompatible."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pyarrow.parquet as pq
import pytest

from aznews.dedup import INDEX_NAME, DedupIndex, IndexMismatch, NearDupConfig, open_index, signatures
from aznews.dedup.columns import Doc

CFG = NearDupConfig()
WHEN = datetime(2026, 10, 31, 20, 30, tzinfo=UTC)


def _index(*releases: str) -> DedupIndex:
    index = DedupIndex.empty(CFG)
    for n, rel in enumerate(releases):
        text = f"xəbər nömrə {n} haqqında uzun mətn burada yazılıb"
        doc = Doc("apa", WHEN if n % 2 else None, "report" if n % 2 else None, 8)
        index.add([f"id{n}"], rel, signatures([text], CFG), [doc])
    return index


def test_save_and_load_round_trip(tmp_path):
    index = _index("2026.10", "2026.11")
    index.save(tmp_path / INDEX_NAME)
    back = DedupIndex.load(tmp_path / INDEX_NAME, CFG)
    assert back.ids.tolist() == index.ids.tolist()
    assert back.releases.tolist() == [b"2026.10", b"2026.11"]
    assert (back.index.sigs == index.index.sigs).all()
    assert [back.doc(i) for i in range(2)] == [Doc("apa", None, None, 8), Doc("apa", WHEN, "report", 8)]
    assert not (tmp_path / "dedup-index.partial").exists()


def test_a_large_index_is_written_in_bounded_row_groups_without_a_signature_dictionary(tmp_path):
    n = 20_000  # the writer's buffers must not grow with the index
    index = DedupIndex.empty(CFG)
    sigs = np.random.default_rng(3).integers(0, 2**32, size=(n, CFG.num_perm), dtype=np.uint32)
    index.add([f"{i:032x}" for i in range(n)], "2026.11", sigs, [Doc("apa", WHEN, None, 300)] * n)
    index.save(tmp_path / INDEX_NAME)
    meta = pq.ParquetFile(tmp_path / INDEX_NAME).metadata
    assert meta.num_row_groups == 3 and all(meta.row_group(g).num_rows <= 8192 for g in range(3))
    names = [meta.schema.column(c).path for c in range(meta.num_columns)]
    sig_col = next(c for c, name in enumerate(names) if name.startswith("signature"))
    assert "RLE_DICTIONARY" not in meta.row_group(0).column(sig_col).encodings
    assert (DedupIndex.load(tmp_path / INDEX_NAME, CFG).index.sigs == sigs).all()


def test_an_index_from_before_the_pair_columns_loads_with_them_unknown(tmp_path):
    _index("2026.10").save(tmp_path / INDEX_NAME)
    table = pq.read_table(tmp_path / INDEX_NAME)
    old = table.select(["id", "release", "signature"]).replace_schema_metadata(table.schema.metadata)
    pq.write_table(old, tmp_path / INDEX_NAME)
    back = DedupIndex.load(tmp_path / INDEX_NAME, CFG)
    assert back.doc(0) == Doc("", None, None, 0)


def test_rows_of_a_publisher_near_a_time():
    index = DedupIndex.empty(CFG)
    days = [None, 1, 5, 9, 10, 20]
    docs = [Doc("apa", None if d is None else WHEN.replace(day=d), None, 50) for d in days]
    docs.append(Doc("oxu", WHEN.replace(day=10), None, 50))
    index.add([f"id{i}" for i in range(len(docs))], "2026.10", signatures(["mətn"] * len(docs), CFG), docs)
    assert sorted(index.rows_of("apa", WHEN.replace(day=8), 3 * 86400).tolist()) == [0, 2, 3, 4]
    assert sorted(index.rows_of("apa", None, 86400).tolist()) == [0, 1, 2, 3, 4, 5]
    assert index.rows_of("report", WHEN, 86400).tolist() == []


def test_other_parameters_are_refused(tmp_path):
    _index("2026.10").save(tmp_path / INDEX_NAME)
    with pytest.raises(IndexMismatch, match="cannot be compared"):
        DedupIndex.load(tmp_path / INDEX_NAME, NearDupConfig(seed=1))


def _release(root, version, index):
    (root / version / "meta").mkdir(parents=True)
    index.save(root / version / "meta" / INDEX_NAME)
    return root / version


def test_lost_state_is_rebuilt_from_the_newest_release(tmp_path):
    release = _release(tmp_path / "releases", "2026.11", _index("2026.10", "2026.11"))
    index, source = open_index(tmp_path / "state", release, CFG, building="2026.12")
    assert len(index) == 2 and "rebuilt from" in source


def test_stale_state_loses_to_a_newer_release(tmp_path):
    """A crash after publishing but before saving state must not forget that release."""
    _index("2026.10").save(tmp_path / "state" / INDEX_NAME)
    release = _release(tmp_path / "releases", "2026.11", _index("2026.10", "2026.11"))
    index, source = open_index(tmp_path / "state", release, CFG, building="2026.12")
    assert len(index) == 2 and "rebuilt from" in source


def test_rebuilding_a_release_leaves_its_own_rows_out(tmp_path):
    _index("2026.10", "2026.11").save(tmp_path / "state" / INDEX_NAME)
    index, source = open_index(tmp_path / "state", None, CFG, building="2026.11")
    assert index.releases.tolist() == [b"2026.10"] and source.startswith("state")
