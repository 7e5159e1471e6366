"""Incremental refresh benchmark: the whole flow (crawl -> extract -> dedup -> validate -> publish)
against a local site, then again after 5% new pages appear.

    python benchmarks/refresh.py [--pages 1000] [--new-share 0.05]

Prints both wall times and their ratio (target: the second run at most 15% of the first). The
site runs in this process on 127.0.0.1 with politeness delays 0; the Prefect flow runs against a
temporary local server, as `aznews refresh` does.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from benchmarks.corpus import shapes, story, with_bulk  # noqa: E402
from tests.fetch.fixture_sites import Route, Site, sitemap  # noqa: E402


def add_pages(site: Site, rng: random.Random, start: int, n: int, urls: list) -> None:
    for i in range(start, start + n):
        path = f"/az/xeber/{800000 + i}"
        html = shapes.agency_page(
            story(rng, i), site="Demo", url=site.base + path, published="2026-11-10T10:00:00+04:00"
        )
        site.page(path, with_bulk(html, rng, "light"), headers={"Content-Type": "text/html; charset=utf-8"})
        urls.append((site.base + path, "2026-11-10"))
    site.routes["/sitemap.xml"] = Route(body=sitemap(urls), headers={"Content-Type": "application/xml"})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--new-share", type=float, default=0.05)
    args = parser.parse_args()
    os.environ.update(AZNEWS_ALLOW_PRIVATE_NETWORKS='["127.0.0.0/8"]', AZNEWS_MIN_DELAY="0",
                      PREFECT_LOGGING_LEVEL="WARNING", TQDM_DISABLE="1")  # fmt: skip
    from flows.refresh import refresh

    site = Site("Demo xəbər").start()
    rng, urls = random.Random(5), []
    add_pages(site, rng, 0, args.pages, urls)
    site.robots(f"User-agent: *\nSitemap: {site.base}/sitemap.xml\n")
    with tempfile.TemporaryDirectory() as tmp:
        reg = Path(tmp) / "registry.yaml"
        reg.write_text(yaml.safe_dump([site.registry_entry("demo")]), encoding="utf-8")
        common = dict(data_dir=str(Path(tmp) / "data"), registry=str(reg), crawl=True, since="2026-11-01",
                      until="2026-12-01")  # fmt: skip
        started = time.perf_counter()
        first = refresh(version="2026.11", **common)
        t1 = time.perf_counter() - started
        new = max(1, int(args.pages * args.new_share))
        add_pages(site, rng, args.pages, new, urls)
        hits_before = sum(site.hits.values())
        started = time.perf_counter()
        second = refresh(version="2026.12", **common)
        t2 = time.perf_counter() - started
        fetched_again = sum(site.hits.values()) - hits_before
    site.stop()
    print(f"first refresh:  {args.pages} pages -> {first['rows']} rows in {t1:.1f} s")
    print(f"second refresh: {new} new pages -> {second['new_rows']} new rows ({second['rows']} in all) "
          f"in {t2:.1f} s; {fetched_again} HTTP requests (robots, sitemap, new pages)")  # fmt: skip
    print(f"ratio: {100 * t2 / t1:.1f}% of the first run (target <= 15%)")


if __name__ == "__main__":
    main()
