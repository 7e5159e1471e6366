"""A fake CC-NEWS tree on 127.0.0.1: monthly listings and WARC files with registry and other
hosts, served with HTTP Range support, one file that breaks mid-stream on its first request, and
one record whose HTTP block is not HTTP (a filter that parsed it would fail)."""

from __future__ import annotations

import gzip
import random
import sys
import threading
import uuid
from collections import Counter
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from aznews.fetch.warc import WarcSink

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from synthetic import page_html  # noqa: E402

FETCHED = datetime(2026, 10, 20, 9, 0, tzinfo=UTC)


def _garbage_record(uri: str) -> bytes:
    """A response record for a host outside the registry whose HTTP block is not HTTP at all."""
    content = b"THIS IS NOT AN HTTP RESPONSE\x00\xff\r\n\r\n<html>\xfe</html>"
    head = (
        "WARC/1.0\r\nWARC-Type: response\r\n"
        f"WARC-Target-URI: {uri}\r\nWARC-Date: 2026-10-20T09:00:00Z\r\n"
        f"WARC-Record-ID: <urn:uuid:{uuid.uuid4()}>\r\n"
        "Content-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {len(content)}\r\n\r\n"
    ).encode()
    return gzip.compress(head + content + b"\r\n\r\n")


def build_tree(root: Path, months: dict[str, int], per_file: int = 40, seed: int = 3) -> Counter:
    """``months``: 'YYYY/MM' -> number of WARC files. Each file: registry-host articles (every
    fourth record) among other hosts' pages, one garbage record. Returns registry records per month."""
    rng = random.Random(seed)
    kept: Counter = Counter()
    n = 0
    for month, files in months.items():
        base = root / "crawl-data" / "CC-NEWS" / month
        base.mkdir(parents=True, exist_ok=True)
        listing = []
        for f in range(files):
            name = f"CC-NEWS-{month.replace('/', '')}01000000-{f:05d}.warc.gz"
            tmp = base / f".tmp-{f}"
            sink = WarcSink(tmp, prefix="src", fsync=False)
            for i in range(per_file):
                n += 1
                url, html = page_html(n, rng)  # a page of a registry outlet, in its az edition
                if i % 4:
                    url = f"https://news.example.org/{n}"  # not a registry host
                else:
                    kept[month] += 1
                sink.write(url, 200, "OK", [("Content-Type", "text/html; charset=utf-8")], html.encode(), FETCHED)
            sink.close()
            data = sink.files[0].read_bytes() + _garbage_record(f"https://other.example.com/{f}")
            (base / name).write_bytes(data)
            for p in tmp.iterdir():
                p.unlink()
            tmp.rmdir()
            listing.append(f"crawl-data/CC-NEWS/{month}/{name}")
        (base / "warc.paths.gz").write_bytes(gzip.compress(("\n".join(listing) + "\n").encode()))
    return kept


class CcNewsServer:
    """Serves ``root`` with Range support; ``break_once`` names files whose first full request is
    cut after ``cut`` bytes; ``delay`` slows named files (seconds per MB)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.break_once: set[str] = set()
        self.cut = 20_000
        self.hits: Counter = Counter()
        self.ranges: list[tuple[str, str]] = []
        self.slow: dict[str, float] = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                path = self.path.split("?")[0]
                name = path.rsplit("/", 1)[-1]
                server.hits[name] += 1
                file = server.root / path.lstrip("/")
                if not file.is_file():
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                data = file.read_bytes()
                start = 0
                rng = self.headers.get("Range")
                if rng:
                    server.ranges.append((name, rng))
                    start = int(rng.split("=")[1].split("-")[0])
                    self.send_response(206)
                    self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
                else:
                    self.send_response(200)
                body = data[start:]
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    if name in server.break_once and not rng:
                        server.break_once.discard(name)
                        self.wfile.write(body[: server.cut])
                        self.wfile.flush()
                        self.close_connection = True
                        return
                    step = 65536
                    for i in range(0, len(body), step):
                        self.wfile.write(body[i : i + step])
                        if name in server.slow:
                            import time

                            time.sleep(server.slow[name] * step / 2**20)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
