"""Dedup on Arrow columns decides as it does on a list of records, and holds no dict per record."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import numpy as np
import pyarrow as pa

from aznews.dedup import DedupIndex, NearDupConfig, dedup_records, doc_of, signatures
from aznews.dedup.columns import Decisions, codes, groups, repeated, table_of
from aznews.dedup.state import Signatures
from aznews.textnorm import text_sha1
from benchmarks.corpus import article_text
from benchmarks.dedup_pairs import cut_quarter, republish

CFG = NearDupConfig()
PUBS = ["apa", "oxu", "icma", "banker", "azertag", "report"]


def _rec(i: int, pub: str, text: str, when: datetime | None, original: str | None = None) -> dict:
    return {
        "id": f"{i:032x}", "url": f"https://{pub}.az/{i}", "publisher": pub, "text": text,
        "text_sha1": text_sha1(text), "published_at": when, "original_publisher": original,
        "fetched_at": datetime(2026, 11, 20, tzinfo=UTC), "warc_record_id": f"<r{i}>", "word_count": len(text.split()),
    }  # fmt: skip


def _corpus(stories: int, seed: int) -> list[dict]:
    """Stories with exact copies, credited near copies, quarter cuts and second fetches."""
    rng, recs = random.Random(seed), []
    for _ in range(stories):
        paras = article_text(rng, rng.choice([800, 2000]))
        when = datetime(2026, 11, 1, tzinfo=UTC) + timedelta(hours=rng.randrange(600))
        pub = rng.choice(PUBS)
        recs.append(_rec(len(recs) + 1, pub, "\n\n".join(paras), when if rng.random() < 0.9 else None))
        kind = rng.random()
        if kind < 0.2:
            recs.append(_rec(len(recs) + 1, rng.choice(PUBS), "\n\n".join(paras), when + timedelta(hours=1)))
        elif kind < 0.45:
            copy = republish(paras, rng.choice(["preamble", "drop_last", "all"]), rng)
            recs.append(_rec(len(recs) + 1, rng.choice(PUBS), "\n\n".join(copy), when, pub))
        elif kind < 0.55:
            recs.append(_rec(len(recs) + 1, rng.choice(PUBS), "\n\n".join(cut_quarter(paras, rng)), when, pub))
        elif kind < 0.7:
            again = dict(recs[-1], fetched_at=datetime(2026, 11, 21, tzinfo=UTC), warc_record_id="<again>")
            recs.append(again)
    rng.shuffle(recs)
    return recs


def _outcome(result) -> tuple:
    kept = [(r["id"], r.get("cluster_size", 1), r.get("duplicate_urls")) for r in result.kept]
    drops = sorted((d.rule, d.url, d.detail) for d in result.drops)
    return kept, drops, result.signatures.tobytes()


def test_a_table_and_a_list_of_the_same_records_give_the_same_release(registry):
    recs = _corpus(60, seed=3)
    index = DedupIndex.empty(CFG)
    old = recs[:10]
    index.add([r["id"] for r in old], "2026.10", signatures([r["text"] for r in old], CFG), [doc_of(r) for r in old])
    down = lambda i, url: url.endswith("7")  # noqa: E731
    from_list = dedup_records(recs, registry, index, taken_down=down)
    table = table_of(recs)
    sha1 = table.column("text_sha1").combine_chunks()
    known = Signatures(sha1, signatures(table.column("text").to_pylist(), CFG))  # as the workers computed them
    from_table = dedup_records(table.drop_columns(["text"]), registry, index, taken_down=down, known=known)
    assert _outcome(from_list) == _outcome(from_table)
    rules = {d.rule for d in from_list.drops}
    assert rules == {"url_duplicate", "exact_duplicate", "near_duplicate", "already_released", "takedown"}
    assert len(from_table.merged) < len(from_table.rows) / 2  # most kept rows never became a dict


def test_codes_groups_and_repeats():
    keys, names = codes(pa.chunked_array([["b", None, "a"], ["b", "c", "a"]]))
    assert [names[k] for k in keys] == ["b", "", "a", "b", "c", "a"]
    assert repeated(keys).tolist() == [0, 2, 3, 5]
    assert [g.tolist() for g in groups(keys, np.arange(6))] == [[0, 3], [2, 5]]


def test_docs_come_from_the_columns_as_from_the_records():
    when = datetime(2026, 11, 2, 9, 30, 15, 250, tzinfo=UTC)
    recs = [_rec(1, "apa", "bir iki üç", when, "oxu"), _rec(2, "oxu", "dörd beş", None)]
    recs[1]["word_count"] = None  # counted from the text
    decisions = Decisions(table_of(recs))
    assert list(decisions.docs(np.arange(2))) == [doc_of(recs[0]), doc_of(recs[1])]


def test_index_membership_and_signature_lookup_in_arrow():
    index = DedupIndex.empty(CFG)
    ids = pa.array([f"{i:032x}" for i in range(3)])
    index.add(ids, "2026.10", signatures(["a b c", "d e f", "g h i"], CFG), [doc_of({"publisher": "apa"})] * 3)
    assert index.ids.dtype == np.dtype("S32") and index.ids[1] == f"{1:032x}".encode()
    assert index.has_ids(pa.array([f"{2:032x}", "nope", None])).tolist() == [True, False, False]
    known = Signatures(pa.array(["x", "y"]), np.arange(2 * CFG.num_perm, dtype=np.uint32).reshape(2, -1))
    assert known.positions(pa.chunked_array([["y", "z", "x"]])).tolist() == [1, -1, 0]
