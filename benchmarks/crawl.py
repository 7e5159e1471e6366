"""Crawl benchmark: 20 local hosts x 500 pages (politeness delays 0), WARC writing on.

    python benchmarks/crawl.py [--hosts 20] [--pages 500]

Prints pages/s and the crawler process's peak RSS. The fixture servers run in a separate
process so they do not share the crawler's interpreter lock.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def serve(hosts: int, pages: int, ports: mp.Queue, stop: mp.Event) -> None:
    from tests.fetch.fixture_sites import Route, Site, article_html, sitemap

    sites = []
    for h in range(hosts):
        site = Site(f"host{h}")
        site.robots(f"User-agent: *\nSitemap: {site.base}/sitemap.xml\n")
        urls = [(f"{site.base}/az/xeber/{i}", None) for i in range(pages)]
        site.routes["/sitemap.xml"] = Route(body=sitemap(urls), headers={"Content-Type": "application/xml"})
        body = article_html(h)
        for i in range(pages):
            site.page(f"/az/xeber/{i}", body)
        sites.append(site.start())
    ports.put([s.port for s in sites])
    stop.wait()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--hosts", type=int, default=20)
    ap.add_argument("--pages", type=int, default=500)
    args = ap.parse_args()
    import yaml

    from aznews.fetch.crawler import CrawlConfig, Crawler
    from aznews.fetch.state import CrawlState
    from aznews.fetch.warc import WarcSink
    from aznews.sources import load_registry

    ports_q: mp.Queue = mp.Queue()
    stop = mp.Event()
    server = mp.Process(target=serve, args=(args.hosts, args.pages, ports_q, stop), daemon=True)
    server.start()
    ports = ports_q.get(timeout=120)
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        entries = [
            {
                "id": f"host{i}",
                "name": f"Host {i}",
                "domains": [f"127.0.0.1:{p}"],
                "homepage": f"http://127.0.0.1:{p}/",
                "editions": [{"language": "az", "prefix": f"http://127.0.0.1:{p}/az/"}],
                "article_url": r"/az/xeber/\d+$",
            }
            for i, p in enumerate(ports)
        ]
        (tmp_path / "reg.yaml").write_text(yaml.safe_dump(entries))
        registry = load_registry(tmp_path / "reg.yaml")
        state = CrawlState(tmp_path / "crawl.sqlite")
        sink = WarcSink(tmp_path / "raw", fsync=False)
        config = CrawlConfig(
            min_delay=0.0, allow_private=("127.0.0.0/8",), parallel_hosts=args.hosts, max_pages_per_publisher=args.pages
        )
        crawler = Crawler(state, sink, config)
        t0 = time.perf_counter()
        report = crawler.run(list(registry))
        elapsed = time.perf_counter() - t0
        crawler.close()
        sink.close()
        warc_bytes = sum(f.stat().st_size for f in sink.files)
    stop.set()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    total = args.hosts * args.pages
    print(f"crawl: {report.stored}/{total} pages stored from {args.hosts} hosts in {elapsed:.1f}s")
    rate = report.stored / elapsed
    print(f"  {rate:.0f} pages/s (2 cores shared with the fixture servers), WARC {warc_bytes / 1e6:.1f} MB")
    print(f"  peak RSS of the crawler process: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
