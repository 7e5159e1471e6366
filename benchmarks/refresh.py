"""Incremental refresh benchmark: `aznews refresh --crawl` (crawl -> extract -> dedup -> validate
-> publish) against a local site, then again after 5% new pages appear, each run a separate
process as an operator runs it (so each pays the fixed cost an operator pays).

    python benchmarks/refresh.py [--pages 1000] [--new-share 0.05]

Prints both wall times and their ratio (target: the second run at most 15% of the first). The
site runs in this process on 127.0.0.1 with politeness delays 0; no Prefect API is configured,
so each run is local (aznews.build), as on a fresh machine.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from benchmarks.corpus import shapes, story, with_bulk  # noqa: E402
from benchmarks.machine import finish, header, target  # noqa: E402
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


def refresh(cwd: Path, reg: Path, version: str) -> float:
    """One `aznews refresh --crawl` process; its wall time."""
    env = {**os.environ, "AZNEWS_ALLOW_PRIVATE_NETWORKS": '["127.0.0.0/8"]', "AZNEWS_MIN_DELAY": "0"}
    env.pop("PREFECT_API_URL", None)
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "aznews.cli", "refresh", "--crawl", "--since", "2026-11-01", "--until", "2026-12-01",
         "--registry", str(reg), "--version", version],
        cwd=cwd, env=env, capture_output=True, text=True,
    )  # fmt: skip
    if out.returncode != 0:
        raise SystemExit(f"refresh {version} failed:\n{out.stdout[-3000:]}{out.stderr[-2000:]}")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--new-share", type=float, default=0.05)
    args = parser.parse_args()
    header(f"refresh: {args.pages} pages, then {args.new_share:.0%} new, each `aznews refresh --crawl` a process")
    site = Site("Demo xəbər").start()
    rng, urls = random.Random(5), []
    add_pages(site, rng, 0, args.pages, urls)
    site.robots(f"User-agent: *\nSitemap: {site.base}/sitemap.xml\n")
    with tempfile.TemporaryDirectory() as tmp:
        reg = Path(tmp) / "registry.yaml"
        reg.write_text(yaml.safe_dump([site.registry_entry("demo")]), encoding="utf-8")
        t1 = refresh(Path(tmp), reg, "2026.11")
        new = max(1, int(args.pages * args.new_share))
        add_pages(site, rng, args.pages, new, urls)
        hits_before = sum(site.hits.values())
        t2 = refresh(Path(tmp), reg, "2026.12")
        fetched_again = sum(site.hits.values()) - hits_before
    site.stop()
    print(f"first refresh:  {args.pages} pages in {t1:.1f} s")
    print(f"second refresh: {new} new pages in {t2:.1f} s; {fetched_again} HTTP requests (robots, sitemap, new pages)")
    print(f"ratio: {100 * t2 / t1:.1f}% of the first run {target('incremental share', t2 / t1, 0.15, at_least=False)}")
    finish()


if __name__ == "__main__":
    main()
