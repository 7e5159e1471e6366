from collections import Counter

import pyarrow.parquet as pq
import pytest

from aznews.publish import (
    EmptySplit,
    ReleaseExists,
    assign_split,
    next_version,
    validate_version,
    write_release,
)
from aznews.schema import arrow_schema

from . import release_rows


def test_split_is_stable_and_roughly_90_5_5():
    ids = [f"{i:032x}" for i in range(20_000)]
    counts = Counter(assign_split(i) for i in ids)
    assert 0.88 < counts["train"] / 20_000 < 0.92
    assert 0.04 < counts["validation"] / 20_000 < 0.06
    assert [assign_split(i) for i in ids[:100]] == [assign_split(i) for i in ids[:100]]


def test_versions():
    assert next_version([], "2026.11") == "2026.11"
    assert next_version(["2026.11"], "2026.11") == "2026.11.1"
    assert next_version(["2026.11", "2026.11.1"], "2026.11") == "2026.11.2"
    assert next_version(["2026.11", "2026.11.1"], "2026.11.1") == "2026.11.2"  # a re-release of a re-release
    assert validate_version("2026.11.2") == "2026.11.2"
    with pytest.raises(ValueError, match=r"YYYY\.MM"):
        validate_version("2026-11")


def test_release_layout_schema_and_immutability(tmp_path, sample_records):
    from aznews.dedup import dedup_exact
    from aznews.sources import load_registry

    rows, _ = dedup_exact(release_rows(sample_records), load_registry())
    path = write_release(rows, "2026.11", tmp_path)
    files = sorted(p.relative_to(path).as_posix() for p in (path / "data").rglob("*.parquet"))
    assert files == [f"data/{s}-2026.11-00000-of-00001.parquet" for s in ("test", "train", "validation")]
    assert (path / "sample" / "train-sample.parquet").exists() and (path / "LICENSE.md").exists()
    for f in path.rglob("*.parquet"):
        meta = pq.ParquetFile(f)
        assert meta.schema_arrow.equals(arrow_schema(), check_metadata=False)
        assert meta.metadata.row_group(0).column(0).compression == "ZSTD"
    card = (path / "README.md").read_text(encoding="utf-8")
    assert card.startswith("---\n") and "configs:" in card and "- az" in card
    assert 'revision="2026.11"' in card
    with pytest.raises(ReleaseExists, match="immutable"):
        write_release(rows, "2026.11", tmp_path)
    write_release(rows, "2026.11", tmp_path, force=True)
    assert not list(tmp_path.glob(".*partial"))


def test_a_release_names_its_inputs_and_later_releases_read_only_the_rest(tmp_path, sample_records):
    from aznews.dedup import dedup_exact
    from aznews.publish import unreleased_warcs
    from aznews.sources import load_registry

    raw, releases = tmp_path / "raw", tmp_path / "releases"
    raw.mkdir()
    for name in ("a.warc.gz", "b.warc.gz", "c.warc.gz"):
        (raw / name).write_bytes(b"")
    rows, _ = dedup_exact(release_rows(sample_records), load_registry())
    write_release(rows, "2026.11", releases, inputs=["b.warc.gz", "a.warc.gz"])
    assert [p.name for p in unreleased_warcs(raw, releases, before="2026.12")] == ["c.warc.gz"]
    # rebuilding 2026.11 itself (--force) reads its own inputs again
    assert len(unreleased_warcs(raw, releases, before="2026.11")) == 3


def test_empty_split_is_refused(tmp_path, sample_records):
    rows = release_rows(sample_records)[:1]
    with pytest.raises(EmptySplit, match="no rows in split"):
        write_release(rows, "2026.10", tmp_path)
    assert not (tmp_path / "2026.10").exists()
