"""The cross-release dedup index: persisted, published, rebuilt, and refused when incompatible."""

from __future__ import annotations

import pytest

from aznews.dedup import INDEX_NAME, DedupIndex, IndexMismatch, NearDupConfig, open_index, signatures

CFG = NearDupConfig()


def _index(*releases: str) -> DedupIndex:
    index = DedupIndex.empty(CFG)
    for n, rel in enumerate(releases):
        index.add([f"id{n}"], rel, signatures([f"xəbər nömrə {n} haqqında uzun mətn burada yazılıb"], CFG))
    return index


def test_save_and_load_round_trip(tmp_path):
    index = _index("2026.10", "2026.11")
    index.save(tmp_path / INDEX_NAME)
    back = DedupIndex.load(tmp_path / INDEX_NAME, CFG)
    assert back.ids.tolist() == index.ids.tolist()
    assert back.releases.tolist() == [b"2026.10", b"2026.11"]
    assert (back.index.sigs == index.index.sigs).all()
    assert not (tmp_path / "dedup-index.partial").exists()


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
