"""Dedup-stage benchmark: 100,000 generated ~3,000-character articles (benchmarks/corpus.py,
Zipf-distributed words) with 5% planted republications.

    python benchmarks/dedup.py [--docs 100000] [--new 5000]

Prints, per core (one process):
  * signatures: docs/s (tokenise, hash, shingle, MinHash),
  * LSH insert (build the band index) and LSH query (batch candidates + verification): docs/s,
  * end to end from scratch (signatures + clustering of the whole corpus): docs/s,
  * memory per indexed article (index arrays / articles) and peak RSS,
  * an incremental refresh (signatures of N new articles, query against the saved index, add)
    against deduplicating all articles from scratch,
  * the stage's decisions (``dedup_records`` on the Arrow table of every article's decision
    columns, signatures known, as ``aznews refresh`` runs it): docs/s, and the Python and numpy
    memory they peak at per article (tracemalloc; Arrow's own buffers are not counted).
Texts are generated in blocks and never all held in memory; only signatures are.
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aznews.dedup import DedupIndex, dedup_records
from aznews.dedup.near import BandIndex, NearDupConfig, clusters, signatures
from aznews.dedup.state import Signatures
from aznews.sources.registry import load_registry
from benchmarks.corpus import zipf_articles
from benchmarks.machine import finish, header, peak_rss_mib, target

BLOCK = 5000


def with_reposts(texts, share: float, seed: int = 2):
    """Yield the texts, planting a republication (preamble added, last paragraph dropped) of an
    earlier text in place of ``share`` of them."""
    rng = random.Random(seed)
    recent: list[str] = []
    for text in texts:
        if recent and rng.random() < share:
            paras = rng.choice(recent).split("\n\n")
            yield "\n\n".join(["Report saytından alınan məlumata görə, Icma.az bildirir.", *paras[:-1]])
        else:
            recent = [*recent, text][-50:]
            yield text


def timed_signatures(texts, config) -> tuple[np.ndarray, float]:
    blocks, spent, batch = [], 0.0, []

    def flush():
        nonlocal spent, batch
        started = time.perf_counter()
        blocks.append(signatures(batch, config))
        spent += time.perf_counter() - started
        batch = []

    for text in texts:
        batch.append(text)
        if len(batch) >= BLOCK:
            flush()
    if batch:
        flush()
    return np.concatenate(blocks), spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--new", type=int, default=5000)
    args = parser.parse_args()
    config = NearDupConfig()
    n, m = args.docs, args.new
    header("dedup stage benchmark")
    print(f"corpus: {n} + {m} generated articles of ~3,000 characters, 5% planted reposts; {config.describe()}")

    sigs, t_sig = timed_signatures(with_reposts(zipf_articles(n + m), 0.05), config)
    print(f"signatures                    {(n + m) / t_sig:9.0f} docs/s per core")
    old, new = sigs[:n], sigs[n:]

    started = time.perf_counter()
    index = BandIndex(config, old)
    t_insert = time.perf_counter() - started
    print(f"LSH insert (index {n})       {n / t_insert:9.0f} docs/s per core")
    started = time.perf_counter()
    index.matches(old)
    t_query = time.perf_counter() - started
    print(f"LSH query + verify ({n})     {n / t_query:9.0f} docs/s per core")
    index_bytes = index.sigs.nbytes + index._keys.nbytes + index._rows.nbytes + n * (32 + 12)  # + ids, releases
    print(
        f"memory per indexed article    {index_bytes / n:9.0f} bytes (signature, band keys, ids) "
        + target("index bytes per doc", index_bytes / n, 1024, at_least=False, unit=" B")
    )

    started = time.perf_counter()
    groups = clusters(sigs, config)
    t_cluster = time.perf_counter() - started
    scratch = t_sig + t_cluster
    print(
        f"end to end from scratch       {(n + m) / scratch:9.0f} docs/s per core  "
        f"({len(groups)} clusters among {n + m}) " + target("dedup end to end", (n + m) / scratch, 5000, unit=" docs/s")
    )

    new_texts = list(itertools.islice(with_reposts(zipf_articles(n + m), 0.05), n, None))  # the same last m
    started = time.perf_counter()
    new_sigs = signatures(new_texts, config)
    within = clusters(new_sigs, config)
    hits, _, _ = index.matches(new_sigs)
    index.add(new_sigs)
    t_incr = time.perf_counter() - started
    assert (new_sigs == new).all()
    print(
        f"incremental: {m} new vs index of {n}: {t_incr:.2f} s = {100 * t_incr / scratch:.1f}% of "
        f"from scratch ({scratch:.1f} s); {len(set(hits.tolist()))} match released articles, "
        f"{len(within)} clusters among the new "
        + target("incremental share", 100 * t_incr / scratch, 10, at_least=False, unit="%")
    )
    print(f"peak RSS                      {peak_rss_mib():9.0f} MiB")
    decisions(sigs, config)
    finish()


def decision_table(n: int, seed: int = 3) -> pa.Table:
    """The decision columns of n articles, as the extract stage writes them."""
    rng = np.random.default_rng(seed)
    publishers = [p.id for p in load_registry().publishers]
    start = datetime(2026, 11, 1, tzinfo=UTC)
    return pa.table({
        "id": [f"{i:032x}" for i in range(n)],
        "url": [f"https://{publishers[i % len(publishers)]}.az/xeber/{i}" for i in range(n)],
        "publisher": [publishers[i % len(publishers)] for i in range(n)],
        "original_publisher": pa.nulls(n, pa.string()),
        "published_at": [start + timedelta(minutes=int(m)) for m in rng.integers(0, 43200, n)],
        "fetched_at": [start + timedelta(days=30)] * n,
        "warc_record_id": [f"<urn:uuid:{i:032x}>" for i in range(n)],
        "text_sha1": [f"{i:040x}" for i in range(n)],
        "word_count": rng.integers(200, 700, n).astype(np.int32),
    })  # fmt: skip


def decisions(sigs: np.ndarray, config: NearDupConfig) -> None:
    """The stage's decisions on every article's decision columns, signatures known."""
    n = len(sigs)
    table = decision_table(n)
    known = Signatures(table.column("text_sha1").combine_chunks(), sigs)
    registry = load_registry()

    def run():
        return dedup_records(table, registry, DedupIndex.empty(config), config, known=known)

    started = time.perf_counter()
    result = run()
    took = time.perf_counter() - started
    tracemalloc.start()
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"decisions (dedup_records, {n} rows, signatures known) {n / took:9.0f} docs/s per core; "
        f"{len(result.rows)} kept, {len(result.drops)} dropped; Python + numpy peak {peak / n:.0f} B per article"
    )


if __name__ == "__main__":
    main()
