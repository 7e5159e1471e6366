"""CC-NEWS filter benchmark: a generated CC-NEWS-like WARC file in which 0.1% of the response
records belong to registry hosts, streamed through ``aznews.fetch.ccnews.filter_file``.

    python benchmarks/ccnews.py [--mb 300] [--share 0.001] [--e2e] [--keep DIR]

Prints, on one core: the filter's throughput in MB/s of compressed WARC, beside the physical
floor `zcat FILE > /dev/null` on the same file (target: the filter >= 0.5x zcat), the same
through HTTP from a server on 127.0.0.1 (Range-capable, as Common Crawl's endpoint), peak RSS,
and the projected time to stream one year of CC-NEWS (its size is an input: --year-tb). With
--e2e, also `aznews backfill --cc-news` as an operator runs it (a separate process, fixed costs
included) on a one-file month served from 127.0.0.1: stream, filter, extract, dedup, validate,
release.
"""

from __future__ import annotations

import argparse
import gzip
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from synthetic import page_html, with_bulk

from aznews.fetch.ccnews import filter_file
from aznews.sources import load_registry
from benchmarks.machine import finish, header, peak_rss_mib, target


def _member(uri: str, html: bytes) -> bytes:
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\n\r\n" % len(html)
    block = http + html
    head = (
        f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2026-10-20T09:00:00Z\r\n"
        f"WARC-Record-ID: <urn:uuid:{uuid.uuid4()}>\r\nContent-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {len(block)}\r\n\r\n"
    ).encode()
    return gzip.compress(head + block + b"\r\n\r\n", compresslevel=6)


def generate(path: Path, mb: int, share: float, seed: int = 7) -> tuple[int, int]:
    """About ``mb`` MB of gzip WARC; returns (records, registry records)."""
    rng = random.Random(seed)
    bodies = []
    for i in range(40):  # real-weight pages (~100 KB of HTML), reused under different URLs
        url, html = page_html(i, rng)
        bodies.append((url, with_bulk(html, rng, "real").encode()))
    records = kept = 0
    with open(path, "wb") as fh:
        while fh.tell() < mb * 2**20:
            url, html = bodies[records % len(bodies)]
            if rng.random() < share:  # a registry outlet's article of its own (distinct stories)
                kept += 1
                uri, page = page_html(1000 + kept, rng)
                html = with_bulk(page, rng, "real").encode()
            else:
                uri = f"https://news{records % 97}.example.org/story/{records}"
            fh.write(_member(uri, html))
            records += 1
    return records, kept


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=300)
    parser.add_argument("--share", type=float, default=0.001)
    parser.add_argument("--year-tb", type=float, default=3.0, help="CC-NEWS compressed size of one year, TB")
    parser.add_argument("--workers", type=int, default=8, help="for the projection only")
    parser.add_argument("--keep", type=Path, default=None)
    parser.add_argument("--e2e", action="store_true", help="also time `aznews backfill --cc-news` end to end")
    args = parser.parse_args()
    header("benchmarks/ccnews.py")
    tmp = Path(tempfile.mkdtemp(prefix="ccnews-bench-"))
    try:
        src = tmp / "CC-NEWS-bench.warc.gz"
        t0 = time.perf_counter()
        records, registry_records = generate(src, args.mb, args.share)
        size_mb = src.stat().st_size / 2**20
        print(f"generated {size_mb:,.0f} MB, {records:,} response records, {registry_records} of registry hosts "
              f"({100 * registry_records / records:.2f}%) in {time.perf_counter() - t0:.0f} s")  # fmt: skip

        t0 = time.perf_counter()
        subprocess.run(f"zcat {src} > /dev/null", shell=True, check=True)
        zcat_s = time.perf_counter() - t0
        registry = load_registry()
        t0 = time.perf_counter()
        cpu0 = time.process_time()
        got = filter_file(str(src), tmp / "out", registry, tmp / "ledger.sqlite")
        filt_s, filt_cpu = time.perf_counter() - t0, time.process_time() - cpu0
        assert got.status == "done" and got.matched == registry_records, (got.status, got.matched, got.error)
        print(f"zcat > /dev/null          {size_mb / zcat_s:8.1f} MB/s  ({zcat_s:.1f} s)")
        ratio = zcat_s / filt_s
        print(f"filter (local file)       {size_mb / filt_s:8.1f} MB/s  ({filt_s:.1f} s wall, {filt_cpu:.1f} CPU-s; "
              f"{ratio:.2f}x zcat) {target('filter vs zcat', ratio, 0.5)}")  # fmt: skip

        import functools
        import threading
        from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

        class Quiet(SimpleHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

        httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(tmp)))
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{httpd.server_address[1]}/{src.name}"
        t0 = time.perf_counter()
        got = filter_file(url, tmp / "out-http", registry, tmp / "ledger-http.sqlite")
        http_s = time.perf_counter() - t0
        httpd.shutdown()
        assert got.status == "done" and got.matched == registry_records, got.error
        print(f"filter (HTTP, 127.0.0.1)  {size_mb / http_s:8.1f} MB/s  ({http_s:.1f} s)")
        rss = peak_rss_mib()
        print(f"peak RSS                  {rss:8.0f} MiB (streams: does not grow with the file)")
        per_worker = size_mb / http_s
        year_s = args.year_tb * 2**20 / (per_worker * args.workers)
        print(f"one year of CC-NEWS (assumed {args.year_tb:g} TB compressed: --year-tb) on {args.workers} workers: "
              f"{year_s / 3600:,.1f} h, if the network delivers {per_worker * args.workers:,.0f} MB/s")  # fmt: skip
        if args.e2e:
            month = tmp / "tree" / "crawl-data" / "CC-NEWS" / "2026" / "10"
            month.mkdir(parents=True)
            src.rename(month / src.name)
            (month / "warc.paths.gz").write_bytes(gzip.compress(f"crawl-data/CC-NEWS/2026/10/{src.name}\n".encode()))
            httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(tmp / "tree")))
            threading.Thread(target=httpd.serve_forever, daemon=True).start()
            cmd = [sys.executable, "-m", "aznews.cli", "backfill", "--cc-news", "--cc-news-base",
                   f"http://127.0.0.1:{httpd.server_address[1]}/", "--from", "2026-10", "--to", "2026-10",
                   "--data-dir", str(tmp / "data"), "--orchestrator", "local", "--workers", "1"]  # fmt: skip
            t0 = time.perf_counter()
            done = subprocess.run(cmd, capture_output=True, text=True)
            e2e_s = time.perf_counter() - t0
            httpd.shutdown()
            if done.returncode != 0:
                print(done.stdout[-2000:], done.stderr[-2000:])
                raise SystemExit("end-to-end backfill failed")
            release = next(line for line in done.stdout.splitlines() if line.startswith("2026.10:"))
            print(f"end to end (aznews backfill --cc-news, one process): {size_mb / e2e_s:8.1f} MB/s "
                  f"({e2e_s:.1f} s for {size_mb:,.0f} MB) -> {release}")  # fmt: skip
            src = month / src.name
        if args.keep:
            shutil.copy(src, args.keep)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    finish()


if __name__ == "__main__":
    main()
