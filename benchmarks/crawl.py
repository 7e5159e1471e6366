"""Crawl benchmark: 20 local hosts x 500 pages (politeness delays 0), WARC writing on, with tiny
fixture pages (~2 KB) and with real-weight generated pages (~125 KB, benchmarks/corpus.py: scripts,
menus, teaser grids as real news pages carry).

    python benchmarks/crawl.py [--hosts 20] [--pages 500] [--weights tiny real]

Prints per weight pages/s, MB/s and the crawler process's peak RSS. The fixture servers run in a
separate process so they do not share the crawler's interpreter lock.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.machine import header, peak_rss_mib, reset_peak_rss  # noqa: E402

_REAL_BODIES = 40  # distinct real-weight pages per run, served round-robin (server memory stays small)


def serve(hosts: int, pages: int, weight: str, ports: mp.Queue, stop: mp.Event) -> None:
    from benchmarks import corpus
    from tests.fetch.fixture_sites import Route, Site, article_html, sitemap

    real = [p.body.decode("utf-8") for p in corpus.pages(_REAL_BODIES)] if weight == "real" else []
    sites = []
    for h in range(hosts):
        site = Site(f"host{h}")
        site.robots(f"User-agent: *\nSitemap: {site.base}/sitemap.xml\n")
        urls = [(f"{site.base}/az/xeber/{i}", None) for i in range(pages)]
        site.routes["/sitemap.xml"] = Route(body=sitemap(urls), headers={"Content-Type": "application/xml"})
        for i in range(pages):
            site.page(f"/az/xeber/{i}", real[(h + i) % len(real)] if real else article_html(h))
        sites.append(site.start())
    ports.put([s.port for s in sites])
    stop.wait()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--hosts", type=int, default=20)
    ap.add_argument("--pages", type=int, default=500)
    ap.add_argument("--weights", nargs="+", choices=["tiny", "real"], default=["tiny", "real"])
    ap.add_argument("--only", choices=["tiny", "real"], help=argparse.SUPPRESS)  # child mode: one crawl
    args = ap.parse_args()
    if args.only:
        print(_crawl(args.hosts, args.pages, args.only))
        return
    header("crawl benchmark")
    for weight in args.weights:  # each in a fresh crawler process: its own peak RSS
        cmd = [sys.executable, __file__, "--hosts", str(args.hosts), "--pages", str(args.pages), "--only", weight]
        print(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip())


def _crawl(hosts: int, pages: int, weight: str) -> str:
    import yaml

    from aznews.fetch.crawler import CrawlConfig, Crawler
    from aznews.fetch.state import CrawlState
    from aznews.fetch.warc import WarcSink
    from aznews.sources import load_registry

    reset_peak_rss()  # the crawler process's own peak, not its parent's
    ports_q: mp.Queue = mp.Queue()
    stop = mp.Event()
    server = mp.Process(target=serve, args=(hosts, pages, weight, ports_q, stop), daemon=True)
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
            min_delay=0.0, allow_private=("127.0.0.0/8",), parallel_hosts=hosts, max_pages_per_publisher=pages
        )
        crawler = Crawler(state, sink, config)
        t0 = time.perf_counter()
        report = crawler.run(list(registry))
        elapsed = time.perf_counter() - t0
        crawler.close()
        sink.close()
        warc_bytes = sum(f.stat().st_size for f in sink.files)
    stop.set()
    peak_mb = peak_rss_mib()
    rate = report.stored / elapsed
    return (
        f"{weight} pages: {report.stored}/{hosts * pages} stored from {hosts} hosts in {elapsed:.1f} s, "
        f"{rate:.0f} pages/s; WARC {warc_bytes / 1e6:.1f} MB ({warc_bytes / 1e6 / elapsed:.1f} MB/s compressed); "
        f"peak RSS of the crawler process {peak_mb:.0f} MiB "
        "(the cores are shared with the fixture servers)"
    )


if __name__ == "__main__":
    main()
