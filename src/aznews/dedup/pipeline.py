"""The dedup stage in order: URL -> exact text -> already released -> near-duplicate clusters ->
near duplicates of released articles. Each step records its drops with its own rule."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from aznews.dedup.agree import CREDIT_WINDOW_S, Doc, credit_pairs, credited_original, same_story
from aznews.dedup.exact import STAGE, Record, dedup_exact, merge_cluster, survivor_order
from aznews.dedup.near import NearDupConfig, clusters, signatures
from aznews.dedup.state import DedupIndex
from aznews.ledger import Drop
from aznews.sources.registry import Registry

SIGNATURE_BATCH = 5000


@dataclass
class DedupResult:
    kept: list[Record]
    drops: list[Drop]
    signatures: np.ndarray  # one row per kept record, same order


def _signatures(records: list[Record], config: NearDupConfig, known: Mapping[str, np.ndarray] | None) -> np.ndarray:
    """One signature per record: looked up by text hash in ``known`` (computed by the extract
    workers), else computed here in batches."""
    out = np.empty((len(records), config.num_perm), dtype=np.uint32)
    missing = []
    for i, rec in enumerate(records):
        sig = known.get(rec["text_sha1"]) if known else None
        if sig is None:
            missing.append(i)
        else:
            out[i] = sig
    for start in range(0, len(missing), SIGNATURE_BATCH):
        rows = missing[start : start + SIGNATURE_BATCH]
        out[rows] = signatures([records[i]["text"] for i in rows], config)
    return out


def doc_of(rec: Record) -> Doc:
    """What a pair decision needs of a record besides its signature."""
    words = rec.get("word_count")
    if words is None:  # a caller without the column: count from the text
        words = len((rec.get("text") or "").split())
    return Doc(rec["publisher"], rec.get("published_at"), rec.get("original_publisher"), int(words))


def dedup_records(
    records: list[Record],
    registry: Registry,
    index: DedupIndex,
    config: NearDupConfig | None = None,
    taken_down: Callable[[str, str], object] | None = None,
    known: Mapping[str, np.ndarray] | None = None,
) -> DedupResult:
    """One row per story among ``records``, none of them already in ``index`` (earlier releases)
    nor ``taken_down(id, url)`` (the takedown list, applied last to each story's survivor; what it
    returns, when true, names the entry in the drop's detail).
    ``known`` maps text_sha1 to signatures computed earlier (with ``config``)."""
    config = config or index.config
    kept, drops = dedup_exact(records, registry)

    released = index.id_set()
    fresh = []
    for rec in kept:
        if rec["id"] in released:
            drops.append(
                Drop(STAGE, "already_released", rec["url"], rec["publisher"], "same article id in an earlier release")
            )
        else:
            fresh.append(rec)

    sigs = _signatures(fresh, config, known)
    docs = [doc_of(rec) for rec in fresh]

    def accept(a: int, b: int, jaccard: float) -> bool:
        return same_story(jaccard, docs[a], docs[b], config.threshold, config.shingle)

    order = survivor_order(registry)
    in_cluster: set[int] = set()
    survivors: list[tuple[Record, int]] = []
    for group in clusters(sigs, config, accept, credit_pairs(docs, sigs, config.shingle)):
        ordered = order([fresh[i] for i in group])
        survivor, dropped = merge_cluster(ordered, "near_duplicate")
        drops.extend(dropped)
        in_cluster.update(group)
        survivors.append((survivor, next(i for i in group if fresh[i] is ordered[0])))
    survivors.extend((fresh[i], i) for i in range(len(fresh)) if i not in in_cluster)

    out_sigs = sigs[np.array([row for _, row in survivors], dtype=np.int64)]
    earlier = _in_earlier_release(index, out_sigs, [docs[row] for _, row in survivors], config)
    final: list[tuple[Record, int]] = []
    for k, (rec, row) in enumerate(survivors):
        if k in earlier:
            ri, detail = earlier[k]
            other, rel = index.ids[ri].decode(), index.releases[ri].decode()
            detail = f"{detail} of {other} released in {rel}"
            drops.append(Drop(STAGE, "already_released", rec["url"], rec["publisher"], detail))
        elif taken_down is not None and (entry := taken_down(rec["id"], rec["url"])):
            detail = "on the takedown list" + ("" if entry is True else f": {entry}")
            drops.append(Drop(STAGE, "takedown", rec["url"], rec["publisher"], detail))
        else:
            final.append((rec, row))
    final.sort(key=lambda pair: pair[0]["id"])
    rows = np.array([row for _, row in final], dtype=np.int64)
    return DedupResult([rec for rec, _ in final], drops, sigs[rows])


def _in_earlier_release(
    index: DedupIndex, sigs: np.ndarray, docs: list[Doc], config: NearDupConfig
) -> dict[int, tuple[int, str]]:
    """Rows whose story an earlier release holds: query row -> (index row, why). The same
    decision as within a release: LSH matches that :func:`same_story` accepts, and credited
    reposts contained in an original of the credited outlet from the same days."""
    out: dict[int, tuple[int, str]] = {}
    q, r, jac = index.index.matches(sigs)
    best: dict[int, tuple[float, int]] = {}
    for qi, ri, j in zip(q.tolist(), r.tolist(), jac.tolist(), strict=True):
        if qi in best and j <= best[qi][0]:
            continue
        if same_story(j, docs[qi], index.doc(ri), config.threshold, config.shingle):
            best[qi] = (j, ri)
    out.update((qi, (ri, f"near duplicate (Jaccard ~{j:.2f})")) for qi, (j, ri) in best.items())
    for qi, doc in enumerate(docs):
        if qi in out or not doc.original_publisher or doc.original_publisher == doc.publisher:
            continue
        rows = index.rows_of(doc.original_publisher, doc.published_at, CREDIT_WINDOW_S)
        originals = [index.doc(int(ri)) for ri in rows]
        found = credited_original(doc, sigs[qi], rows, originals, index.index.sigs[rows], config.shingle)
        if found:
            out[qi] = (int(rows[found[0]]), f"credited repost (Jaccard ~{found[1]:.2f}, contained)")
    return out
