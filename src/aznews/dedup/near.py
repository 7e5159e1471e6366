"""Near-duplicate detection: MinHash signatures (rensa) over word shingles, LSH banding, and
verification by estimated Jaccard.

Signatures come from rensa in batches: tokens are the Turkic-folded words of the cleaned text,
hashed by rensa, combined into shingle hashes with numpy (no Python string joins), then
digested as one matrix. The banding index is a few numpy arrays (one sorted array of band
hashes per band), because it must persist between releases as plain columns, answer a whole
batch of queries at once, and stay under ~1 KB per article; rensa's LSH answers one RMinHash
object at a time and is stored only as a pickle.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import rensa

from aznews.textnorm import words

_MIX = np.uint64(0x9E3779B97F4A7C15)


@dataclass(frozen=True)
class NearDupConfig:
    """Every parameter of near-duplicate detection, in one place (the card prints these)."""

    # Tuned on benchmarks/dedup_quality.py (synthetic pairs and real banker.az bodies): FineWeb's
    # 14 x 8 bands (50% point ~0.72) miss short reposts that lost a paragraph (Jaccard 0.4-0.5);
    # 37 x 3 puts the 50% point near 0.3 while hard non-duplicates stay below 0.05.
    shingle: int = 5  # words per shingle
    num_perm: int = 111  # MinHash permutations
    bands: int = 37  # LSH bands ...
    rows: int = 3  # ... of this many rows each (bands * rows == num_perm)
    threshold: float = 0.4  # estimated Jaccard at or above which two texts are one story
    seed: int = 20261124  # fixed forever: signatures persist across releases

    def __post_init__(self) -> None:
        if self.bands * self.rows != self.num_perm:
            raise ValueError(f"bands x rows ({self.bands} x {self.rows}) must equal num_perm ({self.num_perm})")
        if not 0 < self.threshold <= 1:
            raise ValueError("threshold must be in (0, 1]")

    def describe(self) -> dict[str, float | int]:
        return {
            "shingle_words": self.shingle,
            "num_perm": self.num_perm,
            "bands": self.bands,
            "rows_per_band": self.rows,
            "jaccard_threshold": self.threshold,
            "lsh_50pct_point": round((1 / self.bands) ** (1 / self.rows), 3),
            "seed": self.seed,
        }


def shingle_hashes(token_hashes: np.ndarray, k: int) -> np.ndarray:
    """Hashes of every k-word window; a text shorter than k words is one shingle of all of it."""
    n = len(token_hashes) - k + 1
    if n <= 0:
        if not len(token_hashes):
            return np.zeros(1, dtype=np.uint64)  # empty text: one fixed shingle
        n, k = 1, len(token_hashes)
    out = token_hashes[:n].copy()
    for j in range(1, k):
        out = out * _MIX + token_hashes[j : j + n]  # uint64 arithmetic wraps, which is the point
    return out


def signatures(texts: Sequence[str], config: NearDupConfig) -> np.ndarray:
    """MinHash signatures, one row (uint32 x num_perm) per text."""
    if not texts:
        return np.zeros((0, config.num_perm), dtype=np.uint32)
    token_hashes = rensa.RMinHash.hash_token_sets([words(t) for t in texts])
    shingles = [shingle_hashes(np.asarray(h, dtype=np.uint64), config.shingle) for h in token_hashes]
    offsets = np.zeros(len(shingles) + 1, dtype=np.uint64)
    np.cumsum([len(s) for s in shingles], out=offsets[1:])
    matrix = rensa.RMinHash.digest_matrix_from_flat_token_hashes(
        np.concatenate(shingles), offsets, config.num_perm, config.seed
    )
    return np.asarray(matrix.to_rows(), dtype=np.uint32)


def band_hashes(sigs: np.ndarray, config: NearDupConfig) -> np.ndarray:
    """(n, bands) uint64: one hash per band of each signature."""
    n = len(sigs)
    bands = sigs.reshape(n, config.bands, config.rows).astype(np.uint64)
    weights = (np.arange(1, config.rows + 1, dtype=np.uint64) * _MIX) | np.uint64(1)
    out = (bands * weights).sum(axis=2, dtype=np.uint64)
    return out ^ (np.arange(config.bands, dtype=np.uint64) * _MIX)


def estimated_jaccard(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row-wise estimated Jaccard of two equally shaped signature matrices."""
    return (a == b).mean(axis=1)


_VERIFY_PAIRS = 1 << 15  # candidate pairs verified at once: 2 x 32k signatures, ~32 MB at 128 perms


class BandIndex:
    """Sorted band hashes of indexed signatures; answers batch queries with searchsorted."""

    def __init__(self, config: NearDupConfig, sigs: np.ndarray | None = None) -> None:
        self.config = config
        self.sigs = np.zeros((0, config.num_perm), dtype=np.uint32) if sigs is None else sigs
        self._build()

    def _build(self) -> None:
        bh = band_hashes(self.sigs, self.config)
        order = np.argsort(bh, axis=0, kind="stable")
        self._keys = np.take_along_axis(bh, order, axis=0)  # (n, bands), each column sorted
        self._rows = order.astype(np.int32)

    def __len__(self) -> int:
        return len(self.sigs)

    def add(self, sigs: np.ndarray) -> np.ndarray:
        """Index more signatures; returns their row numbers."""
        start = len(self.sigs)
        self.sigs = np.concatenate([self.sigs, sigs])
        self._build()
        return np.arange(start, len(self.sigs))

    def candidates(self, sigs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(query row, indexed row) pairs that share at least one band, deduplicated."""
        if not len(self.sigs) or not len(sigs):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        qh = band_hashes(sigs, self.config)
        qs, rs = [], []
        for b in range(self.config.bands):
            keys = self._keys[:, b]
            lo = np.searchsorted(keys, qh[:, b], side="left")
            hi = np.searchsorted(keys, qh[:, b], side="right")
            counts = hi - lo
            if not counts.any():
                continue
            q = np.repeat(np.arange(len(sigs)), counts)
            starts = np.repeat(lo, counts)
            offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
            qs.append(q)
            rs.append(self._rows[starts + offsets, b])
        if not qs:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        pairs = np.unique(np.stack([np.concatenate(qs), np.concatenate(rs)], axis=1).astype(np.int64), axis=0)
        return pairs[:, 0], pairs[:, 1]

    def matches(self, sigs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Verified (query row, indexed row, estimated Jaccard) at or above the threshold."""
        q, r = self.candidates(sigs)
        if not len(q):
            return q, r, np.zeros(0)
        out: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        for start in range(0, len(q), _VERIFY_PAIRS):  # bounded memory: templated pages share bands
            qq, rr = q[start : start + _VERIFY_PAIRS], r[start : start + _VERIFY_PAIRS]
            jac = estimated_jaccard(sigs[qq], self.sigs[rr])
            keep = jac >= self.config.threshold
            out.append((qq[keep], rr[keep], jac[keep]))
        return tuple(np.concatenate(parts) for parts in zip(*out, strict=True))  # type: ignore[return-value]


def clusters(
    sigs: np.ndarray,
    config: NearDupConfig,
    accept: Callable[[int, int, float], bool] | None = None,
    extra: Sequence[tuple[int, int, float]] = (),
) -> list[list[int]]:
    """Groups of rows (each of two or more) whose texts are near duplicates, by union-find over
    verified pairs; rows in no group are unique. ``accept(a, b, jaccard)``, when given, has the
    last word on each LSH pair at or above the threshold; ``extra`` pairs are joined as given."""
    index = BandIndex(config, sigs)
    q, r, jac = index.matches(sigs)
    parent = list(range(len(sigs)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    given = {(a, b) for a, b, _ in extra}
    pairs = zip(q.tolist(), r.tolist(), jac.tolist(), strict=True)
    for a, b, j in [*pairs, *extra]:
        if a != b and (accept is None or (a, b) in given or accept(a, b, j)):
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = {}
    for i in range(len(sigs)):
        groups.setdefault(find(i), []).append(i)
    return [g for g in groups.values() if len(g) > 1]
