"""One polite, bounded HTTP GET: manual redirects (each hop checked by the SSRF guard), body
size counted after decompression (our own zlib loop, so a gzip bomb is cut with bounded memory),
connect/read/total timeouts, HTML-only bodies."""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpx

from aznews import clock
from aznews.fetch.guard import AddressGuard, BlockedAddress

RETRY_STATUSES = {408, 429, 500, 502, 503, 504, 522, 524}
ROBOTS_TOKEN = "aznews-crawler"  # the product token robots.txt groups are matched against
HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True)
class HttpLimits:
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0
    max_redirects: int = 5
    max_bytes: int = 5_000_000


@dataclass
class Response:
    url: str  # final URL after redirects
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes
    redirects: list[str] = field(default_factory=list)

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)


class FetchError(Exception):
    """A request that produced no usable response; ``rule`` names why (recorded as a drop)."""

    def __init__(self, rule: str, detail: str, retryable: bool = False, retry_after: float | None = None):
        super().__init__(f"{rule}: {detail}")
        self.rule = rule
        self.detail = detail
        self.retryable = retryable
        self.retry_after = retry_after


def retry_after_seconds(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - clock.now().timestamp())


def _decoder(encoding: str | None):
    enc = (encoding or "identity").lower().strip()
    if enc in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if enc == "deflate":
        return zlib.decompressobj()
    if enc == "identity":
        return None
    raise FetchError("unsupported_encoding", enc)


def _read_body(resp: httpx.Response, limits: HttpLimits, deadline: float) -> bytes:
    decoder = _decoder(resp.headers.get("content-encoding"))
    out = bytearray()
    budget = limits.max_bytes
    for raw in resp.iter_raw():  # network reads as they arrive, so the deadline is checked often
        if time.monotonic() > deadline:
            raise FetchError("timeout", f"total time over {limits.total_timeout:g}s", retryable=True)
        if decoder is None:
            out += raw
        else:
            data = raw
            while data:
                # max_length bounds what one call may inflate: memory stays flat under a bomb
                piece = decoder.decompress(data, budget + 1 - len(out))
                out += piece
                if len(out) > budget:
                    break
                data = decoder.unconsumed_tail
        if len(out) > budget:
            raise FetchError("too_large", f"body over {budget} bytes after decompression")
    return bytes(out)


def _guarded(guard: AddressGuard, url: str) -> None:
    try:
        guard.check(url)
    except BlockedAddress as exc:
        raise FetchError("blocked_address", str(exc)) from None


def get(
    client: httpx.Client,
    url: str,
    *,
    guard: AddressGuard,
    limits: HttpLimits,
    headers: dict[str, str] | None = None,
    accept_any_type: bool = False,
    check_redirect: Callable[[str], None] | None = None,
) -> Response:
    """GET ``url``; raises ``FetchError`` for anything that is not a usable response.

    Every hop passes the address guard; a hop to another host also passes ``check_redirect``
    (the crawler checks that host's robots.txt there), which raises ``FetchError`` to refuse it.
    """
    deadline = time.monotonic() + limits.total_timeout
    redirects: list[str] = []
    current = url
    timeout = httpx.Timeout(limits.read_timeout, connect=limits.connect_timeout)
    for _hop in range(limits.max_redirects + 1):
        _guarded(guard, current)
        try:
            with client.stream("GET", current, headers=headers, timeout=timeout, follow_redirects=False) as resp:
                if resp.is_redirect and resp.headers.get("location"):
                    nxt = urljoin(current, resp.headers["location"])
                    if nxt in redirects or nxt == current:
                        raise FetchError("redirect_loop", f"{current} -> {nxt}")
                    if check_redirect is not None and urlsplit(nxt).netloc.lower() != urlsplit(current).netloc.lower():
                        _guarded(guard, nxt)  # the address first: never ask a refused host for robots.txt
                        check_redirect(nxt)
                    redirects.append(current)
                    current = nxt
                    continue
                status = resp.status_code
                if status in RETRY_STATUSES:
                    raise FetchError(
                        "http_status",
                        str(status),
                        retryable=True,
                        retry_after=retry_after_seconds(resp.headers.get("retry-after")),
                    )
                ctype = resp.headers.get("content-type", "").split(";")[0].strip().lower()
                if status == 200 and not accept_any_type and ctype and ctype not in HTML_TYPES:
                    raise FetchError("not_html", ctype)
                body = _read_body(resp, limits, deadline)
                return Response(current, status, resp.reason_phrase, list(resp.headers.multi_items()), body, redirects)
        except httpx.TimeoutException as exc:
            raise FetchError("timeout", f"{type(exc).__name__}", retryable=True) from None
        except httpx.TransportError as exc:
            raise FetchError("network", f"{type(exc).__name__}: {exc}", retryable=True) from None
    raise FetchError("too_many_redirects", f"more than {limits.max_redirects}")
