"""Near-duplicate detection quality on a labelled set of pairs (benchmarks/dedup_pairs.py).

    python benchmarks/dedup_quality.py [--stories 150] [--real DIR]

Synthetic pairs always; republication variants of the real banker.az bodies in
../shared/data/real when present. A pair counts as detected when LSH makes it a candidate and
its estimated Jaccard passes the threshold, exactly as in the dedup stage. Prints precision and
recall overall and per kind (target >= 0.98 both) and the parameters used.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from lxml import html as lxml_html  # noqa: E402

from aznews.dedup.agree import credit_pairs, same_story  # noqa: E402
from aznews.dedup.near import NearDupConfig, clusters, signatures  # noqa: E402
from benchmarks.dedup_pairs import Pair, real_pairs, synthetic_pairs  # noqa: E402

DEFAULT_REAL = ROOT.parent / "shared" / "data" / "real"


def detect(pairs: list[Pair], config: NearDupConfig) -> list[bool]:
    """Each pair through the stage's own decision: LSH candidates judged by
    aznews.dedup.agree.same_story, plus the credited-repost search (credit_pairs)."""
    sa = signatures([p.a for p in pairs], config)
    sb = signatures([p.b for p in pairs], config)
    out = []
    for i, pair in enumerate(pairs):
        docs = pair.docs()
        sigs = np.stack([sa[i], sb[i]])

        def accept(a: int, b: int, j: float, docs=docs) -> bool:
            return same_story(j, docs[a], docs[b], config.threshold, config.shingle)

        out.append(bool(clusters(sigs, config, accept, credit_pairs(list(docs), sigs, config.shingle))))
    return out


def score(pairs: list[Pair], predicted: list[bool]) -> dict[str, float]:
    tp = sum(p.duplicate and d for p, d in zip(pairs, predicted, strict=True))
    fp = sum((not p.duplicate) and d for p, d in zip(pairs, predicted, strict=True))
    fn = sum(p.duplicate and not d for p, d in zip(pairs, predicted, strict=True))
    return {
        "pairs": len(pairs),
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
    }


def report(name: str, pairs: list[Pair], config: NearDupConfig) -> dict[str, float]:
    predicted = detect(pairs, config)
    overall = score(pairs, predicted)
    print(f"{name}: {overall['pairs']} pairs  precision {overall['precision']:.4f}  recall {overall['recall']:.4f}")
    by_kind: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(pairs):
        by_kind[p.kind].append(i)
    for kind, idx in sorted(by_kind.items()):
        hits = sum(predicted[i] for i in idx)
        label = "duplicates found" if pairs[idx[0]].duplicate else "wrongly merged"
        print(f"  {kind:14s} {hits:4d}/{len(idx):<4d} {label}")
    return overall


def real_bodies(real: Path) -> list[tuple[str, list[str]]]:
    articles = json.loads((real / "banker-az-articles-sample.json").read_text(encoding="utf-8"))
    out = []
    for art in articles:
        tree = lxml_html.fromstring(art["content_html"])
        paras = [t for p in tree.iter("p") if (t := " ".join(p.text_content().split()))]
        if paras:
            out.append((art.get("category") or "", paras))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=150)
    parser.add_argument("--real", type=Path, default=DEFAULT_REAL)
    args = parser.parse_args()
    config = NearDupConfig()
    print("parameters:", config.describe())
    results = [report("synthetic", list(synthetic_pairs(args.stories)), config)]
    if (args.real / "banker-az-articles-sample.json").exists():
        results.append(report("real banker.az bodies", list(real_pairs(real_bodies(args.real))), config))
    else:
        print(f"real pairs skipped: no material at {args.real}")
    ok = all(r["precision"] >= 0.98 and r["recall"] >= 0.98 for r in results)
    print("PASS" if ok else "FAIL")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
