"""Takedowns: applied to carried rows by rewriting their shard, recorded in the changelog."""

from __future__ import annotations

import json
import re

import pytest

from aznews.publish import assign_split, read_manifest, write_release
from aznews.publish.catalogue import release_ids
from aznews.publish.takedown import Takedown, TakedownError

from . import release_rows


def test_takedown_removes_a_carried_row_and_is_recorded(sample_records, tmp_path):
    rows = release_rows(sample_records)
    train = [r for r in rows if assign_split(r["id"]) == "train"]
    victim, late = train[0], train[-1]  # both in train, so no split runs empty
    rows = [r for r in rows if r is not late] + [late]
    first = write_release(rows[:-1], "2026.11", tmp_path)
    (tmp_path / "takedown.yaml").write_text(f"- id: {victim['id']}\n  reason: publisher request\n  date: 2026-12-02\n")
    takedown = Takedown.load(tmp_path / "takedown.yaml")
    second = write_release(rows[-1:], "2026.12", tmp_path, previous=first, takedown=takedown)
    ids = release_ids(second)
    assert victim["id"] not in ids and len(ids) == len(rows) - 1
    manifest = read_manifest(second)
    assert [t["id"] for t in manifest["takedowns"]] == [victim["id"]]
    assert manifest["changelog"][-1] == {"version": "2026.12", "rows": len(rows) - 1, "new_rows": 1, "taken_down": 1}
    assert any("-r2026.12" in f["path"] for f in manifest["files"])
    assert victim["id"] in release_ids(first)  # the old release is untouched
    card = (second / "README.md").read_text()
    n = len(rows)
    assert f"2026.12: {n - 1} rows, 1 new, 1 taken down on request." in card
    assert f"2026.11: {n - 1} rows, {n - 1} new." in card


def test_url_is_one_exact_url_and_patterns_are_explicit(tmp_path):
    (tmp_path / "t.yaml").write_text(
        "- url: http://www.apa.az/cemiyyet/9012/\n  reason: author request\n"
        "- url_pattern: '^https://oxu\\.az/siyaset/'\n"
    )
    td = Takedown.load(tmp_path / "t.yaml")
    assert td.matches("x", "https://apa.az/cemiyyet/9012")  # the same article, spelled otherwise
    assert not td.matches("x", "https://apa.az/cemiyyet/901234")  # a pasted URL is not a prefix
    assert not td.matches("x", "https://apa.az/cemiyyet/9012/foto")
    assert td.matches("x", "https://oxu.az/siyaset/1") and not td.matches("x", "https://oxu.az/iqtisadiyyat/1")
    urls = ["https://apa.az/cemiyyet/9012", "https://apa.az/cemiyyet/90123", "https://oxu.az/siyaset/7"]
    checked = td.check((f"id{i}", u) for i, u in enumerate(urls))
    assert [(str(e), hits) for e, hits in checked] == [
        ("entry 1 (url: https://apa.az/cemiyyet/9012)", [urls[0]]),
        ("entry 2 (url_pattern: ^https://oxu\\.az/siyaset/)", [urls[2]]),
    ]
    assert td.entry_for("id0", urls[0]).reason == "author request"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- reason: no target\n", "entry 1 needs exactly one of 'id', 'url' or 'url_pattern'"),
        ("- id: a\n  url: https://apa.az/1\n", "needs exactly one of"),
        ("- url: '^https://apa\\.az/'\n", "looks like a regular expression; write it as 'url_pattern'"),
        ("- url: apa.az/1\n", "'url' must be one article URL"),
        ("- url_pattern: '(unclosed'\n", "bad url_pattern"),
        ("- [a\n", "not valid YAML"),
        ("- url: 'https://'\n", "'url' must be one article URL"),
        ("- id: 123\n", "'id' must be text, got 123"),
        ("- id: abc\n", "'id' must be an article id"),
    ],
)
def test_bad_takedown_files_name_the_entry(tmp_path, text, message):
    (tmp_path / "bad.yaml").write_text(text)
    with pytest.raises(TakedownError, match=re.escape(message)):
        Takedown.load(tmp_path / "bad.yaml")
    assert len(Takedown.load(tmp_path / "missing.yaml")) == 0
    (tmp_path / "latin1.yaml").write_bytes(b"- url: https://apa.az/\xe6\n")
    with pytest.raises(TakedownError, match="not UTF-8"):
        Takedown.load(tmp_path / "latin1.yaml")


def test_schema_is_pinned_only_additive_changes_pass(sample_records, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    import aznews.publish.writer as release
    from aznews.schema import arrow_schema

    schema = arrow_schema()
    assert release._schema_change(schema, schema.append(pa.field("new_col", pa.string()))) is None
    narrowed = schema.set(schema.get_field_index("word_count"), pa.field("word_count", pa.string()))
    assert "changed type" in release._schema_change(schema, narrowed)

    rows = release_rows(sample_records)
    first = write_release(rows, "2026.11", tmp_path)
    for shard in (first / "data").glob("*.parquet"):  # a release written by an older schema, with a
        table = pq.read_table(shard)  # column the current schema no longer has
        pq.write_table(table.append_column("legacy", pa.array(["x"] * table.num_rows)), shard)
    manifest = json.loads(release.manifest_path(first).read_text(encoding="utf-8"))
    for entry in manifest["files"]:  # as that older release's manifest described its files
        entry["bytes"] = (first / entry["path"]).stat().st_size
    release.manifest_path(first).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(release.SchemaChanged, match="'legacy' was removed"):
        write_release(rows[:1], "2026.12", tmp_path, previous=first)
    assert not (tmp_path / "2026.12").exists() and not (tmp_path / ".2026.12.partial").exists()
