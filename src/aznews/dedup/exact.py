"""URL-level and exact-text deduplication with a deterministic survivor per cluster."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import numpy as np

from aznews.dedup.columns import ROW, Decisions, Record, groups, repeated, table_of
from aznews.ledger import Drop
from aznews.sources.registry import Registry

STAGE = "dedup"
_FAR_FUTURE = datetime.max.replace(tzinfo=UTC)


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
    """Drop URL duplicates (same canonical id) then exact text duplicates (same text_sha1);
    the survivors in id order."""
    decisions = Decisions(table_of(records), records)
    rows, merged, drops = exact_rows(decisions, registry)
    kept = [merged.get(int(r)) or records[int(r)] for r in rows]
    for rec in kept:
        rec.pop(ROW, None)
    kept.sort(key=lambda r: r["id"])
    return kept, drops


def exact_rows(decisions: Decisions, registry: Registry) -> tuple[np.ndarray, dict[int, Record], list[Drop]]:
    """The rows :func:`dedup_exact` keeps (ascending), the survivors that absorbed others (row ->
    record with its cluster columns), and the drops. Only rows with a duplicate id or text
    become records."""
    order = survivor_order(registry)
    drops: list[Drop] = []
    keep = np.ones(decisions.n, dtype=bool)
    for group in groups(decisions.ids, repeated(decisions.ids)):
        # the same article fetched twice: keep the latest fetch
        recs = decisions.records(group)
        recs.sort(key=lambda r: (r["fetched_at"], r["warc_record_id"]), reverse=True)
        keep[group] = False
        keep[recs[0][ROW]] = True
        drops.extend(
            Drop(STAGE, "url_duplicate", r["url"], r["publisher"], f"same canonical URL as {recs[0]['url']}")
            for r in recs[1:]
        )
    unique = np.flatnonzero(keep)
    merged: dict[int, Record] = {}
    texts = np.zeros(decisions.n, dtype=np.int32)
    texts[unique] = decisions.texts[unique] + 1  # 0: not competing
    for group in groups(texts, unique[repeated(texts[unique])]):
        survivor, dropped = merge_cluster(order(decisions.records(group)), "exact_duplicate")
        keep[group] = False
        keep[survivor[ROW]] = True
        merged[survivor[ROW]] = survivor
        drops.extend(dropped)
    return np.flatnonzero(keep), merged, drops
