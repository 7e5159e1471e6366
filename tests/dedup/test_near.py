"""Near-duplicate detection: republications cluster, different stories on one event do not."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import numpy as np

from aznews.dedup import DedupIndex, NearDupConfig, dedup_records, doc_of, near, signatures
from aznews.dedup.near import BandIndex, clusters, estimated_jaccard, shingle_hashes, token_hashes
from aznews.textnorm import words
from benchmarks.corpus import article_text
from benchmarks.dedup_pairs import KINDS, cut_quarter, exam_series, republish, same_event, synthetic_pairs
from benchmarks.dedup_quality import detect, score

CFG = NearDupConfig()


def test_labelled_pairs_meet_the_targets():
    pairs = list(synthetic_pairs(30, seed=1))
    result = score(pairs, detect(pairs, CFG))
    assert result["precision"] >= 0.97 and result["recall"] >= 0.97, result


def test_every_republication_kind_clusters_and_same_event_stories_do_not():
    rng = random.Random(3)
    base = article_text(rng, 2500)
    texts = ["\n\n".join(base)] + ["\n\n".join(republish(base, k, rng)) for k in KINDS]
    a, b = same_event(rng)
    texts += ["\n\n".join(a), "\n\n".join(b)]
    groups = clusters(signatures(texts, CFG), CFG)
    assert sorted(map(sorted, groups)) == [list(range(len(KINDS) + 1))]


def test_signatures_are_deterministic_and_shaped():
    sigs = signatures(["bir iki üç dörd beş altı", "", "tək"], CFG)
    assert sigs.shape == (3, CFG.num_perm) and sigs.dtype == np.uint32
    assert (signatures(["bir iki üç dörd beş altı"], CFG)[0] == sigs[0]).all()
    assert estimated_jaccard(sigs[:1], sigs[:1])[0] == 1.0


def test_band_index_batch_queries_find_only_verified_matches():
    rng = random.Random(4)
    docs = ["\n\n".join(article_text(rng, 1500)) for _ in range(50)]
    index = BandIndex(CFG, signatures(docs, CFG))
    probe = signatures([docs[7] + " Əlavə cümlə.", "\n\n".join(article_text(rng, 1500))], CFG)
    q, r, jac = index.matches(probe)
    assert q.tolist() == [0] and r.tolist() == [7] and jac[0] > 0.8


def _token_hash(word: str) -> int:
    """The documented token hash, one word at a time in Python: splitmix64(sum (c + 1) * B**i)."""
    acc = sum((ord(c) + 1) * pow(int(near._BASE), i, 2**64) for i, c in enumerate(word)) % 2**64
    return int(near._mix64(np.array([acc], dtype=np.uint64))[0])


def test_numpy_tokens_are_exactly_the_regex_words_on_hostile_text():
    rng = random.Random(11)
    alphabet = [*"abcəğıöüşçİIxyz0", *" \n\t.,-'’_—\u00ad", "😀", "𝔘", "١", "ǅ", "\u0301", "\ud800"]
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(400)]
    texts += ["", "a-b-c d'e f’g --h i- -j", "-'x'-", "Bakı İstanbul IĞDIR"]
    hashes, offsets = token_hashes(texts)
    assert len(offsets) == len(texts) + 1
    for i, text in enumerate(texts):
        assert hashes[offsets[i] : offsets[i + 1]].tolist() == [_token_hash(w) for w in words(text)], repr(text)


def test_shingles_never_span_two_texts_and_batches_do_not_change_signatures():
    texts = ["bir iki üç dörd beş altı yeddi", "tək", "", "bir iki üç dörd beş", "x y"] * 3
    hashes, offsets = token_hashes(texts)
    shingles, out = shingle_hashes(hashes, offsets, 5)
    for i, text in enumerate(texts):
        own = shingle_hashes(*token_hashes([text]), 5)[0]
        assert shingles[int(out[i]) : int(out[i + 1])].tolist() == own.tolist()
        assert len(own) == max(len(words(text)) - 4, 1)
    long_batch = signatures([*texts, *(["söz " * 40_000] * 3)], CFG)  # several hashing chunks
    assert (long_batch[: len(texts)] == signatures(texts, CFG)).all()
    assert (long_batch[-1] == signatures(["söz " * 40_000], CFG)[0]).all()


def test_a_self_join_gives_each_pair_once_and_never_a_row_with_itself():
    rng = random.Random(5)
    docs = ["\n\n".join(article_text(rng, 1500)) for _ in range(30)]
    docs += [docs[3] + " Əlavə.", docs[3], docs[9] + " Son."]
    sigs = signatures(docs, CFG)
    q, r, _ = BandIndex(CFG, sigs).matches(sigs, within=True)
    assert sorted(zip(q.tolist(), r.tolist(), strict=True)) == [(30, 3), (31, 3), (31, 30), (32, 9)]
    assert sorted(map(sorted, clusters(sigs, CFG))) == [[3, 30, 31], [9, 32]]


def test_adding_to_an_index_gives_the_index_built_at_once():
    rng = np.random.default_rng(0)
    sigs = rng.integers(0, 40, size=(3000, CFG.num_perm), dtype=np.uint32)  # many equal band keys
    sigs[2500:2600] = sigs[:100]  # and rows equal to indexed ones
    grown = BandIndex(CFG, sigs[:2000])
    assert grown.add(sigs[2000:2500]).tolist() == list(range(2000, 2500))
    grown.add(sigs[2500:])
    whole = BandIndex(CFG, sigs)
    assert (grown._keys == whole._keys).all() and (grown._rows == whole._rows).all()


def test_blocks_of_queries_and_of_band_hashes_change_no_result(monkeypatch):
    """matches() makes candidate pairs a block of queries at a time and band_hashes() works in
    chunks (bounded memory on templated pages); the pairs and hashes are those of one pass."""
    rng = np.random.default_rng(4)
    sigs = rng.integers(0, 6, size=(1500, CFG.num_perm), dtype=np.uint32)  # many shared bands
    sigs[1000:1100] = sigs[:100]
    index = BandIndex(CFG, sigs)
    whole = index.matches(sigs, within=True), index.matches(sigs[:300]), near.band_hashes(sigs, CFG)
    monkeypatch.setattr(near, "_QUERY_BLOCK", 128)
    monkeypatch.setattr(near, "_BAND_CHUNK", 100)
    blocked = index.matches(sigs, within=True), index.matches(sigs[:300]), near.band_hashes(sigs, CFG)
    assert len(index.candidates(sigs, within=True)[0]) > 50_000 and len(whole[0][0]) >= 100
    for got, want in zip(blocked[:2], whole[:2], strict=True):
        assert all(np.array_equal(g, w) for g, w in zip(got, want, strict=True))
    assert np.array_equal(blocked[2], whole[2])


def test_config_rejects_inconsistent_bands():
    import pytest

    with pytest.raises(ValueError, match="bands x rows"):
        NearDupConfig(num_perm=112, bands=37, rows=3)


def _rec(i, publisher, text, published=None, original=None):
    return {
        "id": f"id{i:02d}", "url": f"https://{publisher}.az/{i}", "publisher": publisher, "text": text,
        "text_sha1": f"sha{i}", "published_at": published, "original_publisher": original,
        "fetched_at": datetime(2026, 11, 20, tzinfo=UTC), "warc_record_id": f"<r{i}>",
        "duplicate_urls": [], "duplicate_publishers": [], "cluster_size": 1, "cluster_id": f"id{i:02d}",
    }  # fmt: skip


def test_credited_original_survives_a_near_duplicate_cluster(registry):
    rng = random.Random(6)
    base = article_text(rng, 2000)
    t = datetime(2026, 11, 19, 6, tzinfo=UTC)
    recs = [
        _rec(1, "banker", "\n\n".join(republish(base, "drop_last", rng)), t, original="apa"),
        _rec(2, "apa", "\n\n".join(base), datetime(2026, 11, 19, 7, tzinfo=UTC)),
        _rec(3, "icma", "\n\n".join(republish(base, "all", rng)), t, original="apa"),
        _rec(4, "oxu", "\n\n".join(article_text(rng, 2000)), t),
    ]
    result = dedup_records(recs, registry, DedupIndex.empty(CFG))
    kept = {r["publisher"]: r for r in result.kept}
    assert set(kept) == {"apa", "oxu"}
    assert kept["apa"]["cluster_size"] == 3
    assert sorted(kept["apa"]["duplicate_publishers"]) == ["banker", "icma"]
    assert kept["oxu"]["cluster_size"] == 1
    assert {(d.publisher, d.rule) for d in result.drops} == {("banker", "near_duplicate"), ("icma", "near_duplicate")}
    assert result.signatures.shape == (2, CFG.num_perm)


def test_articles_already_released_are_never_added_again(registry):
    rng = random.Random(7)
    old = article_text(rng, 2000)
    index = DedupIndex.empty(CFG)
    index.add(["id01"], "2026.10", signatures(["\n\n".join(old)], CFG), [doc_of(_rec(1, "apa", "\n\n".join(old)))])
    recs = [
        _rec(1, "apa", "\n\n".join(old)),  # the same article again (same id)
        _rec(2, "icma", "\n\n".join(republish(old, "preamble", rng))),  # a late repost of it
        _rec(3, "oxu", "\n\n".join(article_text(rng, 2000))),  # new
    ]
    result = dedup_records(recs, registry, index)
    assert [r["id"] for r in result.kept] == ["id03"]
    rules = {d.url: (d.rule, d.detail) for d in result.drops}
    assert rules["https://apa.az/1"][0] == "already_released"
    assert rules["https://icma.az/2"][0] == "already_released" and "2026.10" in rules["https://icma.az/2"][1]


def _released(recs) -> DedupIndex:
    index = DedupIndex.empty(CFG)
    index.add([r["id"] for r in recs], "2026.10", signatures([r["text"] for r in recs], CFG), [doc_of(r) for r in recs])
    return index


def test_earlier_releases_are_judged_by_the_same_pair_rules(registry):
    """A credited repost that kept a quarter of an original released last month is that story; a
    templated series item of the same outlet, a month later, is not last month's item."""
    rng = random.Random(18)
    oct30 = datetime(2026, 10, 30, 18, tzinfo=UTC)
    original = article_text(rng, 2500)
    series = exam_series(rng)
    index = _released([
        _rec(1, "apa", "\n\n".join(original), oct30),
        _rec(2, "report", "\n\n".join(series), datetime(2026, 10, 2, 9, tzinfo=UTC)),
    ])  # fmt: skip
    nxt = exam_series(random.Random(18))  # the same template, next month's figures
    _, _, jac = index.index.matches(signatures(["\n\n".join(nxt)], CFG))
    assert len(jac) == 1 and jac[0] >= CFG.threshold  # Jaccard alone would call it last month's item
    recs = [
        _rec(3, "icma", "\n\n".join(cut_quarter(original, rng)), datetime(2026, 11, 1, 8, tzinfo=UTC), "apa"),
        _rec(4, "report", "\n\n".join(nxt), datetime(2026, 11, 2, 9, tzinfo=UTC)),
    ]
    result = dedup_records(recs, registry, index)
    rules = {d.url: (d.rule, d.detail) for d in result.drops}
    assert rules["https://icma.az/3"][0] == "already_released"
    assert "credited repost" in rules["https://icma.az/3"][1] and "id01" in rules["https://icma.az/3"][1]
    assert [r["id"] for r in result.kept] == ["id04"]


def test_taken_down_stories_are_dropped_with_their_rule(registry):
    rng = random.Random(8)
    recs = [_rec(1, "apa", "\n\n".join(article_text(rng, 2000))), _rec(2, "oxu", "\n\n".join(article_text(rng, 2000)))]
    result = dedup_records(recs, registry, DedupIndex.empty(CFG), taken_down=lambda i, url: url.endswith("/2"))
    assert [r["id"] for r in result.kept] == ["id01"] and result.signatures.shape == (1, CFG.num_perm)
    assert [(d.url, d.rule) for d in result.drops] == [("https://oxu.az/2", "takedown")]
