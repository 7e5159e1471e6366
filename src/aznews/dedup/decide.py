"""The dedup stage in order: URL -> exact text -> already released -> near-duplicate clusters ->
near duplicates of released articles. Each step records its drops with its own rule."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from aznews.dedup.agree import CREDIT_WINDOW_S, credit_pairs, credited_original, same_story
from aznews.dedup.columns import ROW, Decisions, Doc, Record, table_of
from aznews.dedup.exact import STAGE, exact_rows, merge_cluster, survivor_order
from aznews.dedup.near import NearDupConfig, clusters, signatures
from aznews.dedup.state import DedupIndex, Signatures
from aznews.ledger import Drop
from aznews.sources.registry import Registry

SIGNATURE_BATCH = 5000


@dataclass
class DedupResult:
    """What dedup keeps, as rows of the table it read: in id order, with the signature of each;
    ``merged`` holds the survivors that absorbed other records (their cluster columns set)."""

    decisions: Decisions
    rows: np.ndarray
    merged: dict[int, Record]
    drops: list[Drop]
    signatures: np.ndarray  # one row per kept record, same order

    @property
    def kept(self) -> list[Record]:
        """The kept records themselves (for small inputs: each becomes a dict)."""
        found = self.decisions.records(self.rows)
        out = [self.merged.get(rec[ROW], rec) for rec in found]
        return [{k: v for k, v in rec.items() if k != ROW} for rec in out]


def _signatures(decisions: Decisions, rows: np.ndarray, config: NearDupConfig, known: Signatures | None) -> np.ndarray:
    """One signature per row: looked up by text hash in ``known`` (computed by the extract
    workers), else computed here from the text, in batches."""
    out = np.empty((len(rows), config.num_perm), dtype=np.uint32)
    sha1 = decisions.table.column("text_sha1").take(pa.array(rows, pa.int64())) if len(rows) else None
    found = known.positions(sha1) if known is not None and sha1 is not None else np.full(len(rows), -1)
    have = found >= 0
    if known is not None:
        out[have] = known.sigs[found[have]]
    missing = np.flatnonzero(~have)
    for start in range(0, len(missing), SIGNATURE_BATCH):
        part = missing[start : start + SIGNATURE_BATCH]
        out[part] = signatures(decisions.value("text", rows[part]), config)
    return out


def doc_of(rec: Record) -> Doc:
    """What a pair decision needs of a record besides its signature."""
    words = rec.get("word_count")
    if words is None:  # a caller without the column: count from the text
        words = len((rec.get("text") or "").split())
    return Doc(rec["publisher"], rec.get("published_at"), rec.get("original_publisher"), int(words))


def dedup_records(
    records: pa.Table | list[Record],
    registry: Registry,
    index: DedupIndex,
    config: NearDupConfig | None = None,
    taken_down: Callable[[str, str], object] | None = None,
    known: Signatures | None = None,
) -> DedupResult:
    """One row per story among ``records`` (a table of ``DECISION_COLUMNS``, or a list of
    records), none of them already in ``index`` (earlier releases) nor ``taken_down(id, url)``
    (the takedown list, applied last to each story's survivor; what it returns, when true,
    names the entry in the drop's detail). ``known`` holds signatures computed earlier (with
    ``config``) by text hash; a table needs ``text`` for the rows it lacks."""
    config = config or index.config
    dec = Decisions(records, None) if isinstance(records, pa.Table) else Decisions(table_of(records), records)
    rows, merged, drops = exact_rows(dec, registry)

    released = index.has_ids(dec.table.column("id").take(pa.array(rows, pa.int64())))
    for _, url, pub in _named(dec, rows[released]):
        drops.append(Drop(STAGE, "already_released", url, pub, "same article id in an earlier release"))
    fresh = rows[~released]

    sigs = _signatures(dec, fresh, config, known)
    docs = dec.docs(fresh)

    def accept(a: int, b: int, jaccard: float) -> bool:
        return same_story(jaccard, docs[a], docs[b], config.threshold, config.shingle)

    order = survivor_order(registry)
    in_cluster = np.zeros(len(fresh), dtype=bool)
    survivors: list[int] = []  # positions in fresh
    for group in clusters(sigs, config, accept, credit_pairs(docs, sigs, config.shingle)):
        recs = [merged.get(int(fresh[i])) or rec for i, rec in zip(group, dec.records(fresh[group]), strict=True)]
        survivor, dropped = merge_cluster(order(recs), "near_duplicate")
        drops.extend(dropped)
        merged[survivor[ROW]] = survivor
        in_cluster[group] = True
        survivors.append(int(np.searchsorted(fresh, survivor[ROW])))
    at = np.concatenate([np.array(survivors, dtype=np.int64), np.flatnonzero(~in_cluster)])

    earlier = _in_earlier_release(index, sigs[at], dec.docs(fresh[at]), config)
    final = np.ones(len(at), dtype=bool)
    gone = sorted(earlier)
    for k, (_, url, pub) in zip(gone, _named(dec, fresh[at[gone]]), strict=True):
        ri, detail = earlier[k]
        other, rel = index.ids[ri].decode(), index.releases[ri].decode()
        drops.append(Drop(STAGE, "already_released", url, pub, f"{detail} of {other} released in {rel}"))
        final[k] = False
    if taken_down is not None:
        for k, (row, url, pub) in _each(dec, fresh[at], final):
            if entry := taken_down(dec.id_names[dec.ids[row]], url):
                detail = "on the takedown list" + ("" if entry is True else f": {entry}")
                drops.append(Drop(STAGE, "takedown", url, pub, detail))
                final[k] = False
    at = at[final]
    by_id = np.asarray(pc.sort_indices(dec.table.column("id").take(pa.array(fresh[at], pa.int64()))))
    at = at[by_id]
    kept = fresh[at]
    rows_merged = np.fromiter(merged, dtype=np.int64, count=len(merged))
    survived = rows_merged[np.isin(rows_merged, kept)].tolist()
    return DedupResult(dec, kept, {r: merged[r] for r in survived}, drops, sigs[at])


def _named(dec: Decisions, rows: np.ndarray) -> list[tuple[int, str, str]]:
    """(row, url, publisher) of a few rows, for their drops."""
    return list(zip(rows.tolist(), dec.value("url", rows), dec.value("publisher", rows), strict=True))


def _each(dec: Decisions, rows: np.ndarray, wanted: np.ndarray, chunk: int = 8192):
    """(position, (row, url, publisher)) of the ``wanted`` positions of ``rows``, read a chunk
    at a time."""
    positions = np.flatnonzero(wanted)
    for start in range(0, len(positions), chunk):
        part = positions[start : start + chunk]
        yield from zip(part.tolist(), _named(dec, rows[part]), strict=True)


def _in_earlier_release(
    index: DedupIndex, sigs: np.ndarray, docs: Sequence[Doc], config: NearDupConfig
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
