"""Deterministic synthetic Azerbaijani news for the benchmarks (no network, no real text).

Sentences are recombined from the bundled sample's own stories (scripts/sample_stories.py) with
numbers, places and names varied, so every article is distinct yet reads like the real thing.
``pages(n)`` yields full HTML pages in the five sample shapes; ``articles(n)`` yields plain texts.
Both are generators: the corpus is never held in memory.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "src"))

import sample_pages as shapes  # noqa: E402, F401  (re-exported: tests and benchmarks build pages from it)
from synthetic import FETCHED, PLACES, article_text, page_html, story, with_bulk  # noqa: E402, F401

from aznews.fetch.warc import Page  # noqa: E402


def articles(n: int, seed: int = 7, chars: int = 3000) -> Iterator[str]:
    rng = random.Random(seed)
    for _ in range(n):
        yield "\n\n".join(article_text(rng, chars))


def pages(n: int, seed: int = 11, weight: str = "real") -> Iterator[Page]:
    rng = random.Random(seed)
    for i in range(n):
        url, html = page_html(i, rng)
        html = with_bulk(html, rng, weight)
        yield Page(
            url,
            200,
            {"content-type": "text/html; charset=utf-8"},
            html.encode(),
            FETCHED,
            "bench.warc.gz",
            f"<urn:bench:{i}>",
        )


_LETTERS = "abcçdeəfgğhxıijkqlmnoöprsştuüvyz"


def vocabulary(size: int = 30_000, seed: int = 3) -> list[str]:
    """Pseudo-Azerbaijani word forms (letters of the alphabet, 2-12 long)."""
    rng = random.Random(seed)
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(_LETTERS) for _ in range(rng.randint(2, 12))))
    ordered = sorted(words)
    rng.shuffle(ordered)  # rank (frequency) independent of spelling
    return ordered


def zipf_articles(n: int, chars: int = 3000, seed: int = 1) -> Iterator[str]:
    """Independent articles of about ``chars`` characters whose words follow a Zipf law over a
    30,000-word vocabulary, as real text does: unrelated articles share common words but
    almost no 5-word shingles. Generated in numpy blocks, fast enough for 100,000 articles."""
    import numpy as np

    vocab = np.array(vocabulary())
    rng = np.random.default_rng(seed)
    weights = 1 / np.arange(1, len(vocab) + 1)
    weights /= weights.sum()
    per_doc = max(1, chars // 8)  # ~8 characters per word with its space
    for start in range(0, n, 1000):
        block = vocab[rng.choice(len(vocab), size=(min(1000, n - start), per_doc), p=weights)]
        for row in block:
            sentences = [" ".join(row[i : i + 15]) + "." for i in range(0, per_doc, 15)]
            yield "\n\n".join(" ".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4))
