"""When two near texts are one story: more than one Jaccard threshold.

* A **credited repost** (its ``original_publisher`` is the other's publisher) joins its original
  when the repost's text is contained in the original's (containment, estimated from the MinHash
  Jaccard and the two texts' sizes), even when it kept only a quarter of it: Jaccard alone is
  ~0.24 for 72 of 286 words. Such pairs are looked for directly among the credited outlet's
  articles of the same days, not left to LSH, which rarely proposes a pair that far apart.
* Two stories of **one outlet on different days** (a templated series: exam results, exchange
  rates) are one story only when their texts are near identical.
* Across outlets, a pair below a clear Jaccard must also **agree in extent**: the shorter text
  mostly contained in the longer, not only sharing a lead, a quote and a topic.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from aznews.dedup.columns import NO_TIME, Doc, DocView, doc_view

CREDIT_CONTAINMENT = 0.75  # share of the repost's shingles found in the credited original
CREDIT_MIN_JACCARD = 0.08  # and some overlap at all (the estimate's noise floor is ~0.03)
CREDIT_WINDOW_S = 3 * 86400  # the original ran within 3 days of the repost
SERIES_JACCARD = 0.9  # one outlet, different days: near identical only
SERIES_GAP_S = 86400
AGREE_JACCARD = 0.6  # across outlets, below this Jaccard ...
AGREE_CONTAINMENT = 0.7  # ... the shorter text must be this much inside the longer


def shingles(words: int, k: int) -> int:
    return max(1, words - k + 1)


def containment(jaccard: float | np.ndarray, a: float | np.ndarray, b: float | np.ndarray):
    """Estimated share of the smaller shingle set inside the larger: |A∩B| = J/(1+J)·(|A|+|B|)."""
    inter = jaccard / (1 + jaccard) * (a + b)
    return np.minimum(1.0, inter / np.minimum(a, b))


def _gap_s(a: Doc, b: Doc) -> float | None:
    if a.published_at is None or b.published_at is None:
        return None
    return abs((a.published_at - b.published_at).total_seconds())


def credited(a: Doc, b: Doc) -> bool:
    return a.original_publisher == b.publisher or b.original_publisher == a.publisher


def same_story(jaccard: float, a: Doc, b: Doc, threshold: float, k: int) -> bool:
    """The decision for one candidate pair (estimated Jaccard ``jaccard``)."""
    c = float(containment(jaccard, shingles(a.words, k), shingles(b.words, k)))
    if credited(a, b) and jaccard >= CREDIT_MIN_JACCARD and c >= CREDIT_CONTAINMENT:
        return True
    if jaccard < threshold:
        return False
    gap = _gap_s(a, b)
    if a.publisher == b.publisher and gap is not None and gap > SERIES_GAP_S:
        return jaccard >= SERIES_JACCARD
    if a.publisher != b.publisher and jaccard < AGREE_JACCARD:
        return c >= AGREE_CONTAINMENT
    return True


def credited_original(
    doc: Doc, sig: np.ndarray, rows: np.ndarray, docs: Sequence[Doc], sigs: np.ndarray, k: int
) -> tuple[int, float] | None:
    """Among candidate originals ``rows`` (with their ``docs`` and ``sigs``), the one ``doc``'s
    text is most contained in: (position in ``rows``, estimated Jaccard), or None."""
    if not len(rows):
        return None
    jac = (sigs == sig).mean(axis=1)
    sizes = np.array([shingles(d.words, k) for d in docs], dtype=float)
    cont = containment(jac, float(shingles(doc.words, k)), sizes)
    ok = (jac >= CREDIT_MIN_JACCARD) & (cont >= CREDIT_CONTAINMENT)
    if not ok.any():
        return None
    best = int(np.argmax(np.where(ok, jac, -1)))
    return best, float(jac[best])


def credit_pairs(docs: DocView | Sequence[Doc], sigs: np.ndarray, k: int) -> list[tuple[int, int, float]]:
    """For each credited repost, its original among the credited outlet's documents of the same
    days, when the repost is contained in it: (repost row, original row, estimated Jaccard).
    Rows are positions in ``docs``; the outlets' rows are found on its columns, not in lists."""
    docs = doc_view(docs)
    d, rows = docs.decisions, docs.rows
    pubs, times = d.publishers[rows], d.times[rows]
    code = {name: c for c, name in enumerate(d.names) if name}
    as_publisher = np.array([code.get(name, -1) for name in d.original_names], dtype=np.int64)[d.originals[rows]]
    reposts = np.flatnonzero((d.originals[rows] != 0) & (as_publisher >= 0) & (as_publisher != pubs))
    by_pub = np.argsort(pubs, kind="stable")  # positions of each outlet, ascending, side by side
    starts = np.searchsorted(pubs[by_pub], np.arange(len(d.names) + 1))
    window_us = CREDIT_WINDOW_S * 1_000_000
    out = []
    for i in reposts.tolist():
        p = as_publisher[i]
        cand = by_pub[starts[p] : starts[p + 1]]
        if times[i] != NO_TIME:
            cand = cand[(times[cand] == NO_TIME) | (np.abs(times[cand] - times[i]) <= window_us)]
        found = credited_original(docs[i], sigs[i], cand, d.docs(rows[cand]), sigs[cand], k)
        if found:
            out.append((i, int(cand[found[0]]), found[1]))
    return out
