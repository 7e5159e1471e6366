"""Near-duplicate detection: MinHash signatures (rensa) over word shingles, LSH banding, and
verification by estimated Jaccard.

Signatures come in batches: tokens are the Turkic-folded words of the cleaned text (exactly
``textnorm.words``), found and hashed by numpy over the texts' code points (no Python string per
word: a regex over 3,000 characters cost more than all the rest), combined into shingle hashes,
then digested by rensa as one matrix. The banding index is a few numpy arrays (one sorted array of band
hashes per band), because it must persist between releases as plain columns, answer a whole
batch of queries at once, and stay under ~1 KB per article; rensa's LSH answers one RMinHash
object at a time and is stored only as a pickle.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import rensa

from aznews.textnorm import fold


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
    # How words are hashed before shingling; part of what makes signatures comparable. 2026.12:
    # numpy polynomial hash (was rensa's string hash: indexes built with it are refused).
    token_hash: str = "poly64-splitmix64"

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
            "token_hash": self.token_hash,
        }


_MIX = np.uint64(0x9E3779B97F4A7C15)
_NONWORD, _WORD, _JOINER = 0, 1, 2
_JOINERS = "-'’"  # inside a word when a word character stands on both sides (textnorm.WORD_RE)
_BASE = _MIX  # odd, so invertible modulo 2**64
_BASE_INVERSE = np.uint64(pow(int(_BASE), -1, 2**64))
_CHUNK_CHARS = 1 << 18  # texts are hashed a quarter-million characters at a time: cache-sized arrays


@cache
def _bmp_classes() -> np.ndarray:
    """Class of every Basic Multilingual Plane character, as ``re``'s ``\\w`` sees it."""
    out = np.zeros(0x10000, dtype=np.uint8)
    out[[c for c in range(0x10000) if chr(c).isalnum()]] = _WORD
    out[ord("_")] = _WORD
    out[[ord(c) for c in _JOINERS]] = _JOINER
    return out


_POWERS: list[np.ndarray] = []  # [BASE**i, BASE**-i] for i below the longest chunk met so far


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    if not _POWERS or len(_POWERS[0]) < n:
        n = max(n, _CHUNK_CHARS + 1)
        tables = [np.ones(n, dtype=np.uint64), np.ones(n, dtype=np.uint64)]
        with np.errstate(over="ignore"):
            for table, base in zip(tables, (_BASE, _BASE_INVERSE), strict=True):
                np.cumprod(np.full(n - 1, base, dtype=np.uint64), out=table[1:])
        _POWERS[:] = tables
    return _POWERS[0], _POWERS[1]


def _mix64(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: every input bit reaches every output bit."""
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def _chunk_hashes(folded: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Token hashes of some folded texts, and how many tokens each has."""
    ends = np.cumsum([len(f) + 1 for f in folded])  # one "\n" after each text: no token spans two
    codes = np.frombuffer("\n".join([*folded, ""]).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    cls = _bmp_classes()[np.minimum(codes, 0xFFFF)]
    astral = np.flatnonzero(codes > 0xFFFF)
    if len(astral):  # emoji, historic scripts: rare, so asked one by one
        cls[astral] = [_WORD if chr(c).isalnum() else _NONWORD for c in codes[astral].tolist()]
    isw = cls == _WORD
    word = isw.copy()
    word[1:-1] |= (cls[1:-1] == _JOINER) & isw[:-2] & isw[2:]
    edges = np.diff(word.view(np.int8), prepend=np.int8(0), append=np.int8(0))
    starts, stops = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    # polynomial hash of each token: sum of (char + 1) * BASE**(i - start), from one prefix sum
    up, down = _powers(len(codes) + 1)
    prefix = np.zeros(len(codes) + 1, dtype=np.uint64)
    np.cumsum((codes + np.uint32(1)).astype(np.uint64) * up[: len(codes)], out=prefix[1:])
    hashes = _mix64((prefix[stops] - prefix[starts]) * down[starts])
    return hashes, np.diff(np.searchsorted(starts, ends), prepend=0)


def token_hashes(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """64-bit hashes of the folded word tokens of each text (exactly the tokens ``textnorm.words``
    gives), computed with numpy a chunk of texts at a time: (hashes in text order, offsets of each
    text's first token, plus the total)."""
    parts, counts, chunk, size = [], [], [], 0
    with np.errstate(over="ignore"):  # the hash is arithmetic modulo 2**64
        for text in texts:
            chunk.append(fold(text))
            size += len(chunk[-1]) + 1
            if size >= _CHUNK_CHARS:
                parts, counts = [*parts, (out := _chunk_hashes(chunk))[0]], [*counts, out[1]]
                chunk, size = [], 0
        if chunk or not parts:
            hashes, n = _chunk_hashes(chunk)
            parts.append(hashes)
            counts.append(n)
    offsets = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(np.concatenate(counts), out=offsets[1:])
    return np.concatenate(parts), offsets


def shingle_hashes(hashes: np.ndarray, offsets: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of every k-token window inside each text (never across two), in text order, and
    each text's offsets into them. A text shorter than k words is one shingle of all of it; an
    empty text is one fixed shingle."""
    counts = np.diff(offsets)
    n_windows = max(len(hashes) - k + 1, 0)
    windows = hashes[:n_windows].copy()
    for j in range(1, k):
        windows = windows * _MIX + hashes[j : j + n_windows]  # uint64 arithmetic wraps, which is the point
    owner = np.repeat(np.arange(len(counts), dtype=np.int32), counts)
    inside = owner[:n_windows] == owner[k - 1 : k - 1 + n_windows]  # first and last word in one text
    per_text = np.maximum(counts - k + 1, 1)
    out_offsets = np.zeros(len(counts) + 1, dtype=np.uint64)
    np.cumsum(per_text, out=out_offsets[1:])
    out = np.zeros(int(out_offsets[-1]), dtype=np.uint64)
    short = np.flatnonzero(counts < k)
    regular = np.ones(len(out), dtype=bool)
    regular[out_offsets[short].astype(np.int64)] = False
    out[regular] = windows[inside]
    for t in short[counts[short] > 0].tolist():  # rare: texts of fewer than k words
        head = hashes[offsets[t] : offsets[t] + 1]
        for j in range(offsets[t] + 1, offsets[t + 1]):
            head = head * _MIX + hashes[j : j + 1]
        out[int(out_offsets[t])] = head[0]
    return out, out_offsets


def signatures(texts: Sequence[str], config: NearDupConfig) -> np.ndarray:
    """MinHash signatures, one row (uint32 x num_perm) per text."""
    if not texts:
        return np.zeros((0, config.num_perm), dtype=np.uint32)
    shingles, offsets = shingle_hashes(*token_hashes(texts), config.shingle)
    matrix = rensa.RMinHash.digest_matrix_from_flat_token_hashes(shingles, offsets, config.num_perm, config.seed)
    return np.asarray(matrix.to_rows(), dtype=np.uint32)


_BAND_CHUNK = 4096  # signatures hashed at once: the uint64 temporaries stay ~4 MB whatever the corpus


def band_hashes(sigs: np.ndarray, config: NearDupConfig) -> np.ndarray:
    """(n, bands) uint64: one hash per band of each signature."""
    weights = (np.arange(1, config.rows + 1, dtype=np.uint64) * _MIX) | np.uint64(1)
    salt = np.arange(config.bands, dtype=np.uint64) * _MIX
    out = np.empty((len(sigs), config.bands), dtype=np.uint64)
    for start in range(0, len(sigs), _BAND_CHUNK):
        part = sigs[start : start + _BAND_CHUNK]
        bands = part.reshape(len(part), config.bands, config.rows).astype(np.uint64)
        np.bitwise_xor((bands * weights).sum(axis=2, dtype=np.uint64), salt, out=out[start : start + len(part)])
    return out


def estimated_jaccard(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row-wise estimated Jaccard of two equally shaped signature matrices."""
    return (a == b).mean(axis=1)


_QUERY_BLOCK = 2048  # query signatures whose candidate pairs are made at once
_VERIFY_PAIRS = 1 << 13  # candidate pairs verified at once: 2 x 8k signatures, ~8 MB at 111 perms, whatever the corpus


def _sorted_bands(bh: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``bh`` with each band column sorted in place (stable: equal keys keep row order), and the
    int32 row numbers in that order. One column at a time, so the sort's temporaries are one
    column's, not the whole (n, bands) matrix's."""
    rows = np.empty(bh.shape, dtype=np.int32)
    for b in range(bh.shape[1]):
        order = np.argsort(bh[:, b], kind="stable")
        bh[:, b] = bh[order, b]
        rows[:, b] = order
    return bh, rows


class BandIndex:
    """Sorted band hashes of indexed signatures; answers batch queries with searchsorted."""

    def __init__(self, config: NearDupConfig, sigs: np.ndarray | None = None) -> None:
        self.config = config
        self.sigs = np.zeros((0, config.num_perm), dtype=np.uint32) if sigs is None else sigs
        self._build()

    def _build(self) -> None:
        self._keys, self._rows = _sorted_bands(band_hashes(self.sigs, self.config))

    def __len__(self) -> int:
        return len(self.sigs)

    def add(self, sigs: np.ndarray) -> np.ndarray:
        """Index more signatures; returns their row numbers. The new band hashes are merged into
        the sorted columns (linear), not sorted again with the old ones: a month's few thousand
        articles cost little against an index of millions. The result is what ``_build`` gives."""
        start = len(self.sigs)
        self.sigs = np.concatenate([self.sigs, sigs]) if start else sigs  # an empty index takes them as given
        if not start or not len(sigs):
            self._build()
            return np.arange(start, len(self.sigs))
        new_keys, new_rows = _sorted_bands(band_hashes(sigs, self.config))
        new_rows += start
        keys = np.empty((len(self.sigs), self.config.bands), dtype=self._keys.dtype)
        rows = np.empty((len(self.sigs), self.config.bands), dtype=np.int32)
        for b in range(self.config.bands):
            # after the equal keys already there (they have lower row numbers): a stable sort's order
            at = np.searchsorted(self._keys[:, b], new_keys[:, b], side="right") + np.arange(len(sigs))
            fresh = np.zeros(len(self.sigs), dtype=bool)
            fresh[at] = True
            keys[fresh, b], keys[~fresh, b] = new_keys[:, b], self._keys[:, b]
            rows[fresh, b], rows[~fresh, b] = new_rows[:, b], self._rows[:, b]
        self._keys, self._rows = keys, rows
        return np.arange(start, len(self.sigs))

    def candidates(self, sigs: np.ndarray, *, within: bool = False, first: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """(query row, indexed row) pairs that share at least one band, deduplicated; query rows
        are numbered from ``first`` (a block of a larger query). ``within``: the queries are the
        indexed rows themselves, so only pairs with indexed row < query row."""
        if not len(self.sigs) or not len(sigs):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        qh = band_hashes(sigs, self.config)
        keys: list[np.ndarray] = []  # query row * len(index) + indexed row: one sortable int64
        for b in range(self.config.bands):
            column = self._keys[:, b]
            lo = np.searchsorted(column, qh[:, b], side="left")
            counts = np.searchsorted(column, qh[:, b], side="right") - lo
            if within:
                counts[counts == 1] = 0  # a band only the query itself has
            if not counts.any():
                continue
            q = np.repeat(np.arange(first, first + len(sigs), dtype=np.int64), counts)
            offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
            r = self._rows[np.repeat(lo, counts) + offsets, b].astype(np.int64)
            if within:
                q, r = q[r < q], r[r < q]
            keys.append(q * len(self.sigs) + r)
        if not keys:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        pairs = np.unique(np.concatenate(keys))
        return pairs // len(self.sigs), pairs % len(self.sigs)

    def matches(self, sigs: np.ndarray, *, within: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Verified (query row, indexed row, estimated Jaccard) at or above the threshold, by
        (query row, indexed row). Queries go a block at a time and pairs are verified in chunks:
        templated pages share bands, and their candidate pairs grow with the square of the corpus
        (1.8 million among 32,000 generated pages), so only the verified ones are ever held whole."""
        out: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        for first in range(0, len(sigs), _QUERY_BLOCK):
            q, r = self.candidates(sigs[first : first + _QUERY_BLOCK], within=within, first=first)
            for start in range(0, len(q), _VERIFY_PAIRS):
                qq, rr = q[start : start + _VERIFY_PAIRS], r[start : start + _VERIFY_PAIRS]
                jac = estimated_jaccard(sigs[qq], self.sigs[rr])
                keep = jac >= self.config.threshold
                out.append((qq[keep], rr[keep], jac[keep]))
        if not out:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)
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
    q, r, jac = index.matches(sigs, within=True)
    parent: dict[int, int] = {}  # union-find over the rows in some pair; the rest stay alone

    def find(x: int) -> int:
        while parent.setdefault(x, x) != x:
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
    for i in sorted(parent):
        groups.setdefault(find(i), []).append(i)
    return [g for g in groups.values() if len(g) > 1]
