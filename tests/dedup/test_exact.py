from datetime import UTC, datetime

from aznews.dedup import dedup_exact


def _rec(i, publisher, text_sha1="t1", published=None, original=None, url=None):
    return {
        "id": f"id{i}",
        "url": url or f"https://{publisher}.az/{i}",
        "publisher": publisher,
        "text_sha1": text_sha1,
        "published_at": published,
        "original_publisher": original,
        "fetched_at": datetime(2026, 11, 20, tzinfo=UTC),
        "warc_record_id": f"<r{i}>",
        "duplicate_urls": [],
        "duplicate_publishers": [],
        "cluster_size": 1,
        "cluster_id": f"id{i}",
    }


def test_credited_original_survives_even_if_later(registry):
    early = datetime(2026, 11, 19, 6, tzinfo=UTC)
    late = datetime(2026, 11, 19, 7, tzinfo=UTC)
    recs = [
        _rec(1, "icma", published=early, original="apa"),
        _rec(2, "apa", published=late),
        _rec(3, "banker", published=early, original="apa"),
    ]
    kept, drops = dedup_exact(recs, registry)
    assert [r["publisher"] for r in kept] == ["apa"]
    assert kept[0]["cluster_size"] == 3
    assert sorted(kept[0]["duplicate_publishers"]) == ["banker", "icma"]
    assert {d.rule for d in drops} == {"exact_duplicate"}


def test_earliest_then_priority_then_id(registry):
    t = datetime(2026, 11, 19, tzinfo=UTC)
    kept, _ = dedup_exact([_rec(1, "oxu", published=t), _rec(2, "azertag", published=t)], registry)
    assert kept[0]["publisher"] == "azertag"  # same time: lower registry priority number wins
    kept, _ = dedup_exact([_rec(1, "oxu", published=t), _rec(2, "azertag", published=None)], registry)
    assert kept[0]["publisher"] == "oxu"  # a dated record beats an undated one
    order_a, _ = dedup_exact([_rec(1, "oxu"), _rec(2, "oxu")], registry)
    order_b, _ = dedup_exact([_rec(2, "oxu"), _rec(1, "oxu")], registry)
    assert order_a == order_b


def test_same_canonical_url_kept_once(registry):
    a = _rec(1, "oxu", text_sha1="a")
    b = dict(_rec(1, "oxu", text_sha1="b"), fetched_at=datetime(2026, 11, 21, tzinfo=UTC), warc_record_id="<r9>")
    kept, drops = dedup_exact([a, b], registry)
    assert len(kept) == 1 and kept[0]["text_sha1"] == "b"
    assert drops[0].rule == "url_duplicate"


def test_sample_reposts_cluster(sample_records, registry):
    kept, _drops = dedup_exact(sample_records[0], registry)
    metro = next(r for r in kept if r["url"] == "https://apa.az/cemiyyet/901234")
    assert "https://icma.az/az/cemiyyet/55501" in metro["duplicate_urls"]
    comment = next(r for r in kept if "qaynarinfo" in r["url"])
    assert comment["duplicate_publishers"] == ["icma"]


def test_a_record_alone_is_kept_as_it_is_and_a_cluster_gets_a_new_survivor(registry):
    from aznews.dedup import merge_cluster

    alone = _rec(1, "apa")
    survivor, drops = merge_cluster([alone], "exact_duplicate")
    assert survivor is alone and drops == []  # no copy of the most common case
    odd = dict(alone, cluster_size=3)  # cluster columns that disagree are set again, on a copy
    survivor, _ = merge_cluster([odd], "exact_duplicate")
    assert survivor is not odd and survivor["cluster_size"] == 1 and odd["cluster_size"] == 3
    pair = [_rec(2, "apa"), _rec(3, "oxu")]
    survivor, drops = merge_cluster(pair, "exact_duplicate")
    assert survivor is not pair[0] and pair[0]["duplicate_urls"] == [] and len(drops) == 1
