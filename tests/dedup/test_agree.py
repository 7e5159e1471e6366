"""More than one Jaccard threshold: credited cut copies join their original, one outlet's
templated series and two outlets' related-topic stories stay apart (aznews.dedup.agree)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from aznews.dedup.agree import containment, same_story
from aznews.dedup.columns import Doc
from aznews.dedup.near import NearDupConfig
from benchmarks.dedup_pairs import synthetic_pairs
from benchmarks.dedup_quality import detect

DAY = datetime(2026, 11, 20, 9, tzinfo=UTC)


def test_each_pair_kind_is_decided_by_its_rule():
    pairs = list(synthetic_pairs(40, seed=3))
    found = detect(pairs, NearDupConfig())
    hits, totals = Counter(), Counter()
    for pair, hit in zip(pairs, found, strict=True):
        totals[pair.kind] += 1
        hits[pair.kind] += hit
    assert hits["cut_quarter"] >= 0.95 * totals["cut_quarter"]  # a quarter kept, credited: joined
    for kind in ("series", "related_topic", "same_event", "templated"):
        assert hits[kind] <= 0.02 * totals[kind], kind


def test_containment_of_a_quarter_copy():
    # 68 of the original's 282 shingles, all inside it: Jaccard 68/282 = 0.24, containment 1
    assert round(float(containment(68 / 282, 68, 282)), 2) == 1.0


def test_one_outlet_on_different_days_needs_near_identical_text():
    a = Doc("report", DAY, None, 120)
    b = Doc("report", DAY + timedelta(days=3), None, 120)
    assert not same_story(0.7, a, b, 0.4, 5)
    assert same_story(0.95, a, b, 0.4, 5)
    assert same_story(0.7, a, Doc("report", DAY + timedelta(hours=5), None, 120), 0.4, 5)  # same day: an update


def test_a_credit_alone_does_not_merge_unrelated_texts():
    original = Doc("apa", DAY, None, 300)
    repost = Doc("icma", DAY + timedelta(hours=2), "apa", 80)
    assert same_story(0.25, original, repost, 0.4, 5)  # contained
    assert not same_story(0.03, original, repost, 0.4, 5)  # credits APA, says something else
