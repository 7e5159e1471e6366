"""A local news site of generated Azerbaijani agency stories, with its registry file."""

from __future__ import annotations

import random
from pathlib import Path

import yaml

from benchmarks.corpus import shapes, story
from tests.fetch.fixture_sites import Route, Site, sitemap

CRAWL = {"crawl": True, "since": "2026-11-01", "until": "2026-12-01"}  # the window its pages are in


def start_demo_site(registry: Path, pages: int = 150) -> Site:
    """Serve ``pages`` articles of November 2026 (150: enough that every split gets rows whatever
    the port), listed in a sitemap named by robots.txt; write the one-outlet registry."""
    site = Site("Demo xəbər").start()
    rng = random.Random(21)
    urls = []
    for i in range(pages):
        path = f"/az/xeber/{700000 + i}"
        html = shapes.agency_page(
            story(rng, i), site="Demo", url=site.base + path, published="2026-11-10T10:00:00+04:00"
        )
        site.page(path, html, headers={"Content-Type": "text/html; charset=utf-8"})
        urls.append((site.base + path, "2026-11-10"))
    site.routes["/sitemap.xml"] = Route(body=sitemap(urls), headers={"Content-Type": "application/xml"})
    site.robots(f"User-agent: *\nSitemap: {site.base}/sitemap.xml\n")
    registry.write_text(yaml.safe_dump([site.registry_entry("demo")]), encoding="utf-8")
    return site


def article_hits(site: Site) -> list[int]:
    return [n for path, n in site.hits.items() if path.startswith("/az/xeber/")]
