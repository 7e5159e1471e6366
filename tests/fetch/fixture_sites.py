"""Fixture publishers served over real HTTP on 127.0.0.1, with fault injection.

Each site is its own ``ThreadingHTTPServer`` on its own port (one host each). Routes are
a dict ``path -> Route``; every request is counted per path so tests can prove politeness.
"""

from __future__ import annotations

import contextlib
import gzip
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/html; charset=utf-8"})
    # a list of (status, headers) served in turn before the final response (fault injection)
    faults: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    drip_delay: float = 0.0  # seconds between 1-byte writes: a slow-drip server
    raw_gzip: bool = False  # body is sent gzip-encoded with Content-Encoding: gzip
    delay: float = 0.0  # seconds to wait before answering
    browsers_only: bool = False  # HTTP 400 unless the User-Agent claims a browser (azertag.az/rss, 2026-09)


class Site:
    def __init__(self, name: str) -> None:
        self.name = name
        self.routes: dict[str, Route] = {}
        self.hits: Counter = Counter()
        self.times: dict[str, list[float]] = {}
        self.user_agents: set[str] = set()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                path = self.path
                site.hits[path] += 1
                site.times.setdefault(path, []).append(time.monotonic())
                site.user_agents.add(self.headers.get("User-Agent", ""))
                route = site.routes.get(path)
                if route is None:
                    return self._send(404, {"Content-Type": "text/html"}, b"<h1>404</h1>")
                if route.delay:
                    time.sleep(route.delay)
                if route.browsers_only and not self.headers.get("User-Agent", "").startswith("Mozilla/"):
                    return self._send(400, {"Content-Type": "text/html"}, b"Bad Request")
                if route.faults:
                    status, headers = route.faults.pop(0)
                    return self._send(status, {"Content-Type": "text/html", **headers}, b"fault")
                body = route.body
                headers = dict(route.headers)
                if route.raw_gzip:
                    headers["Content-Encoding"] = "gzip"
                if route.drip_delay:
                    self.send_response(route.status)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    try:
                        for i in range(len(body)):
                            self.wfile.write(body[i : i + 1])
                            self.wfile.flush()
                            time.sleep(route.drip_delay)
                    except (BrokenPipeError, ConnectionResetError):
                        pass
                    return None
                return self._send(route.status, headers, body)

            def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)

        class Server(ThreadingHTTPServer):
            def handle_error(self, request, client_address) -> None:  # clients hang up on purpose
                pass

        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> Site:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def page(self, path: str, html: str, **kw) -> None:
        self.routes[path] = Route(body=html.encode("utf-8"), **kw)

    def robots(self, text: str, status: int = 200) -> None:
        self.routes["/robots.txt"] = Route(status=status, body=text.encode(), headers={"Content-Type": "text/plain"})

    def registry_entry(self, pid: str, **discovery) -> dict:
        return {
            "id": pid,
            "name": self.name,
            "domains": [f"127.0.0.1:{self.port}"],
            "homepage": f"{self.base}/",
            "editions": [
                {"language": "az", "prefix": f"{self.base}/az/"},
                {"language": "ru", "prefix": f"{self.base}/ru/"},
            ],
            "discovery": {"robots": True, **discovery},
            "article_url": r"/(az|ru)/xeber/\d+$",
        }


def article_html(n: int, title: str | None = None) -> str:
    title = title or f"Xəbər nömrəsi {n}"
    body = "".join(
        f"<p>Bakıda keçirilən tədbirdə {n}-ci məsələ müzakirə olunub və iştirakçılar təkliflərini bildiriblər. "
        f"Qeyd olunub ki, layihənin {i}-ci mərhələsi gələn ay başa çatacaq.</p>"
        for i in range(4)
    )
    return (
        f"<html lang='az'><head><meta charset='utf-8'><title>{title}</title>"
        f"<meta property='og:type' content='article'></head><body><h1>{title}</h1>"
        f"<article>{body}</article></body></html>"
    )


def sitemap(urls: list[tuple[str, str | None]], news: bool = False) -> bytes:
    items = []
    for loc, when in urls:
        if news:
            items.append(
                f"<url><loc>{loc}</loc><news:news><news:publication_date>{when}</news:publication_date>"
                f"</news:news></url>"
            )
        else:
            items.append(f"<url><loc>{loc}</loc>" + (f"<lastmod>{when}</lastmod>" if when else "") + "</url>")
    ns = ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"' if news else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"{ns}>'
        + "".join(items)
        + "</urlset>"
    ).encode()


def gzip_bomb(size: int) -> bytes:
    return gzip.compress(b"<html>" + b" " * size, compresslevel=9)
