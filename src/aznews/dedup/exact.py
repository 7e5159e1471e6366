"""URL-level and exact-text deduplication with a deterministic survivor per cluster."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from aznews.ledger import Drop
from aznews.sources.registry import Registry

STAGE = "dedup"
_FAR_FUTURE = datetime.max.replace(tzinfo=UTC)

Record = dict[str, Any]


def survivor_order(registry: Registry) -> Callable[[list[Record]], list[Record]]:
    """Sort a cluster best-first: the outlet the others credit, then the earliest
    ``published_at``, then registry priority, then id (so ties are still deterministic)."""

    def order(group: list[Record]) -> list[Record]:
        credited = {r["original_publisher"] for r in group if r.get("original_publisher")}

        def key(r: Record) -> tuple:
            pub = registry.by_id.get(r["publisher"])
            return (
                0 if r["publisher"] in credited else 1,
                1 if r.get("original_publisher") else 0,
                r.get("published_at") or _FAR_FUTURE,
                pub.priority if pub else 1000,
                r["id"],
            )

        return sorted(group, key=key)

    return order


def merge_cluster(ordered: list[Record], rule: str) -> tuple[Record, list[Drop]]:
    """Keep the first record; fold the others into its cluster columns and drop them. A record
    alone whose cluster columns already say so is returned as it is (most are: no copy)."""
    first = ordered[0]
    if len(ordered) == 1 and _alone(first):
        return first, []
    survivor = dict(first)
    others = ordered[1:]
    _, _, urls, pubs = cluster_columns(survivor)
    drops = []
    for other in others:
        for url, pub in [
            (other["url"], other["publisher"]),
            *zip(other.get("duplicate_urls") or [], other.get("duplicate_publishers") or [], strict=True),
        ]:
            if url != survivor["url"] and url not in urls:
                urls.append(url)
                pubs.append(pub)
        drops.append(Drop(STAGE, rule, other["url"], other["publisher"], f"duplicate of {survivor['url']}"))
    survivor["duplicate_urls"] = urls
    survivor["duplicate_publishers"] = pubs
    survivor["cluster_size"] = 1 + len(urls)
    survivor["cluster_id"] = survivor["id"]
    return survivor, drops


def _alone(rec: Record) -> bool:
    """``rec``'s cluster columns are those of a cluster of one, or absent (see :func:`cluster_columns`)."""
    return cluster_columns(rec) == (rec["id"], 1, [], [])


def cluster_columns(rec: Record) -> tuple[str, int, list[str], list[str]]:
    """A kept record's cluster_id, cluster_size, duplicate_urls and duplicate_publishers; a
    record without them is a cluster of one (the dedup stage reads them only for clusters)."""
    return (
        rec.get("cluster_id") or rec["id"], rec.get("cluster_size") or 1,
        list(rec.get("duplicate_urls") or []), list(rec.get("duplicate_publishers") or []),
    )  # fmt: skip


def dedup_exact(records: list[Record], registry: Registry) -> tuple[list[Record], list[Drop]]:
    """Drop URL duplicates (same canonical id) then exact text duplicates (same text_sha1)."""
    order = survivor_order(registry)
    drops: list[Drop] = []

    by_id: dict[str, list[Record]] = defaultdict(list)
    for rec in records:
        by_id[rec["id"]].append(rec)
    unique: list[Record] = []
    for group in by_id.values():
        # the same article fetched twice: keep the latest fetch
        group.sort(key=lambda r: (r["fetched_at"], r["warc_record_id"]), reverse=True)
        unique.append(group[0])
        drops.extend(
            Drop(STAGE, "url_duplicate", r["url"], r["publisher"], f"same canonical URL as {group[0]['url']}")
            for r in group[1:]
        )

    by_text: dict[str, list[Record]] = defaultdict(list)
    for rec in unique:
        by_text[rec["text_sha1"]].append(rec)
    kept: list[Record] = []
    for group in by_text.values():
        survivor, dropped = merge_cluster(order(group), "exact_duplicate")
        kept.append(survivor)
        drops.extend(dropped)
    kept.sort(key=lambda r: r["id"])
    return kept, drops
