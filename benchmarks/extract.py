"""Extract-stage benchmark on generated pages (benchmarks/corpus.py: five page shapes).

    python benchmarks/extract.py [--pages 2000]

Two page weights: "real" (~125 KB: scripts, state, menus, teaser grids, link farms, as real news
pages carry) and "light" (~45 KB). Prints, for each, on the same pages in the same run:
  * the anchor: ``trafilatura.extract`` with the options the stage uses (``fast=True,
    favor_precision=True``, no comments, no tables, no metadata), and beside it trafilatura with
    its defaults (which also runs the fallback extractors, so it is slower and flatters a ratio),
  * the whole stage (decode, repair, trafilatura, metadata, dates, cleaning, language ID, quality
    signals, record) in one process, and its ratio to the anchor (target >= 0.9x); the anchor
    and the stage alternate every 50 pages, so a drift in the machine's speed hits both alike,
  * beside it, the same stage with trafilatura reading the whole page rather than the article's
    region (``ExtractConfig(focus=False)``, aznews.extract.focus), taking the same turns,
  * the whole stage on a pool of 1 and of 2 worker processes, each run timed whole (pool start,
    imports and model loads included, as an operator pays them), alternating twice, and the
    speed-up of 2 over 1 (real weight; target >= 1.8x),
  * peak RSS of the whole stage in a fresh process at N and 2N pages (memory must stay flat).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus
import trafilatura
from machine import finish, header, peak_rss_mib, reset_peak_rss, target

from aznews.extract import ExtractConfig, Extractor, batches, extract_pages
from aznews.extract import page as extraction
from aznews.extract.dates import resolve_date as _resolve_date
from aznews.fetch.warc import Page
from aznews.ledger import Drop

STAGE_OPTIONS = extraction.TRAFILATURA_OPTIONS  # what the stage passes to trafilatura (bare_extraction)


def bare(pages: list[Page], **options) -> float:
    started = time.perf_counter()
    for page in pages:
        trafilatura.extract(page.body.decode("utf-8"), **options)
    return len(pages) / (time.perf_counter() - started)


_DATE_TIME = [0.0]  # seconds spent resolving dates in the last in-process stage run


def _timed_resolve_date(**kwargs):
    started = time.perf_counter()
    try:
        return _resolve_date(**kwargs)
    finally:
        _DATE_TIME[0] += time.perf_counter() - started


_LID_TIME = [0.0]  # seconds spent in language ID in the last in-process stage run


def _timed(identify):
    def timed(text: str):
        started = time.perf_counter()
        try:
            return identify(text)
        finally:
            _LID_TIME[0] += time.perf_counter() - started

    return timed


def _timed_extractor() -> Extractor:
    """The stage's extractor, models loaded (start-up, not per-page work), its language ID and
    date resolution timed."""
    extractor = Extractor()
    extractor.langid.identify("Bakı şəhərində")
    _DATE_TIME[0] = _LID_TIME[0] = 0.0
    extraction.resolve_date = _timed_resolve_date  # what the stage calls, timed
    extractor.langid.identify = _timed(extractor.langid.identify)
    return extractor


def side_by_side(pages: list[Page], chunk: int = 50) -> tuple[float, float, float, int]:
    """The anchor, the whole stage, and the whole stage with trafilatura reading the whole page
    (``focus=False``) on the same pages, taking turns every ``chunk`` pages (a machine whose speed
    drifts during the run slows all alike): pages/s of each, records kept by the stage."""
    extractor = _timed_extractor()
    unfocused = Extractor(ExtractConfig(focus=False))
    unfocused(pages[0])  # models loaded: start-up, not per-page work
    anchor = whole = unfocused_time = 0.0
    kept = 0
    for start in range(0, len(pages), chunk):
        part = pages[start : start + chunk]
        started = time.perf_counter()
        for page in part:
            trafilatura.extract(page.body.decode("utf-8"), **STAGE_OPTIONS)
        anchor += time.perf_counter() - started
        started = time.perf_counter()
        for group in batches.in_groups(part, extraction.CHUNK):  # as the stage takes them (extract_pages)
            kept += sum(1 for result in extractor.extract_many(group) if not isinstance(result, Drop))
        whole += time.perf_counter() - started
        started = time.perf_counter()
        for group in batches.in_groups(part, extraction.CHUNK):
            unfocused.extract_many(group)
        unfocused_time += time.perf_counter() - started
    n = len(pages)
    return n / anchor, n / whole, n / unfocused_time, kept


def stage(pages: Iterable[Page], n: int) -> tuple[float, int]:
    extractor = _timed_extractor()
    started = time.perf_counter()
    groups = batches.in_groups(pages, extraction.CHUNK)
    kept = sum(1 for group in groups for result in extractor.extract_many(group) if not isinstance(result, Drop))
    return n / (time.perf_counter() - started), kept


def pools(pages: list[Page], rounds: int = 2) -> dict[int, float]:
    """Pages/s of the stage on a pool of 1 and of 2 worker processes: each run timed whole (the
    pool's start, its imports and model loads included), 1 and 2 alternating ``rounds`` times, so
    both pay the same fixed cost and the same drift of the machine."""
    spent = {1: 0.0, 2: 0.0}
    for _ in range(rounds):
        for workers in spent:
            started = time.perf_counter()
            for _ in extract_pages(pages, workers=workers):
                pass
            spent[workers] += time.perf_counter() - started
    return {workers: rounds * len(pages) / seconds for workers, seconds in spent.items()}


def rss_only(n: int) -> None:
    """Child mode: stream n generated pages through the whole stage; report peak RSS (MiB) as JSON.
    The peak is reset first: the parent holds its pages (250 MB), and a child used to start at
    that mark (every child read 361 MiB)."""
    reset_peak_rss()
    _, kept = stage(corpus.pages(n), n)
    print(json.dumps({"pages": n, "kept": kept, "peak_rss_mb": peak_rss_mib()}))


def peak_rss(n: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--rss-only", str(n)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--rss-only", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.rss_only:
        rss_only(args.rss_only)
        return
    header("extract stage benchmark")
    n = args.pages
    for weight in ("real", "light"):
        pages = list(corpus.pages(n, weight=weight))  # generated up front: no timing pays for generation
        size = sum(len(p.body) for p in pages) / n / 1024
        print(f"corpus: {n} generated pages, {weight} weight, {size:.0f} KB on average")
        base, one, unfocused, kept = side_by_side(pages)
        print(f"  trafilatura.extract, the stage's options    {base:8.1f} pages/s per core  (the anchor)")
        print(f"  trafilatura.extract, its defaults           {bare(pages):8.1f} pages/s per core")
        ratio = f"({one / base:.2f}x the anchor) " + target(f"extract/{weight}", one / base, 0.9, unit="x")
        print(f"  whole extract stage, 1 process              {one:8.1f} pages/s per core  {ratio}")
        print(f"  the same, trafilatura reading the whole page {unfocused:7.1f} pages/s per core  "
              f"({unfocused / base:.2f}x the anchor; focus=False, printed, not a target)")  # fmt: skip
        print(f"  records kept                                {kept}/{n}")
        share = _DATE_TIME[0] / (n / one)
        print(f"  of which date resolution                    {100 * share:8.1f} % of the stage's time  "
              + target(f"dates share/{weight}", share, 0.05, at_least=False))  # fmt: skip
        lid_ms, base_ms = 1000 * _LID_TIME[0] / n, 1000 / base
        cap = base_ms / (base_ms + lid_ms)  # the ratio if everything else cost what the anchor costs
        print(f"  of which language ID (fastText, sampled)    {lid_ms:8.2f} ms/page: {100 * lid_ms / base_ms:.0f}% "
              f"of the anchor's time (anchor + language ID alone: {cap:.2f}x)")  # fmt: skip
        rest = n / (n / one - _LID_TIME[0])
        print(f"  whole stage without language ID             {rest:8.1f} pages/s per core  "
              f"({rest / base:.2f}x the anchor; printed, not a target)")  # fmt: skip
        if weight == "real":
            rate = pools(pages)
            speedup = rate[2] / rate[1]
            print(f"  whole extract stage, pool of 1 worker       {rate[1]:8.1f} pages/s  (pool start included)")
            verdict = target("2-worker speed-up", speedup, 1.8, unit="x")
            print(f"  whole extract stage, pool of 2 workers      {rate[2]:8.1f} pages/s  "
                  f"(speed-up {speedup:.2f}x on 2 cores) {verdict}")  # fmt: skip
        del pages
    small, large = peak_rss(n), peak_rss(2 * n)
    print(f"peak RSS, whole stage streaming {n} pages     {small['peak_rss_mb']:8.1f} MiB")
    print(
        f"peak RSS, whole stage streaming {2 * n} pages     {large['peak_rss_mb']:8.1f} MiB  "
        + target("extract RSS 2N/N", large["peak_rss_mb"] / small["peak_rss_mb"], 1.1, at_least=False, unit="x")
    )
    finish()


if __name__ == "__main__":
    main()
