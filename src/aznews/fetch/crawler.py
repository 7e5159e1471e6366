"""The polite crawler: per-publisher discovery, then one connection per host, many hosts at once.

Politeness follows RFC 9309 and what Scrapy/Heritrix promise: robots.txt via protego (4xx means
allowed, 5xx or unreachable means the host is skipped this run, cached at most 24 h, Crawl-delay
honoured), a minimum delay per host (from the end of one response to the next request) that only
grows after errors, retries with exponential backoff on 408/429/5xx and network errors honouring
Retry-After, and no retry on other 4xx.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime
from urllib.parse import urlsplit

import httpx
from protego import Protego

from aznews import clock, progress
from aznews.faults import checkpoint
from aznews.fetch.discovery import Found, parse_feed, parse_listing, parse_sitemap
from aznews.fetch.guard import AddressGuard
from aznews.fetch.http import ROBOTS_TOKEN, FetchError, HttpLimits, Response, get
from aznews.fetch.state import CrawlState
from aznews.fetch.warc import WarcSink
from aznews.sources.registry import Publisher
from aznews.urls import canonical_url


@dataclass(frozen=True)
class CrawlConfig:
    user_agent: str = "aznews-crawler/0.1 (+https://github.com/aznews/aznews)"
    min_delay: float = 1.0
    max_delay: float = 60.0
    max_retries: int = 3
    backoff_base: float = 1.0
    max_retry_wait: float = 120.0
    limits: HttpLimits = field(default_factory=HttpLimits)
    allow_private: tuple[str, ...] = ()
    robots_ttl_s: float = 24 * 3600
    max_pages_per_publisher: int = 1000
    max_sitemaps: int = 50
    since: datetime | None = None
    until: datetime | None = None
    parallel_hosts: int = 8
    # after this many timed-out pages a host's remaining queue waits for the next run (a tarpit
    # must not hold a crawl slot for hours); each timed-out page costs one deadline, no retries
    max_host_timeouts: int = 3


@dataclass
class CrawlReport:
    outcomes: Counter = field(default_factory=Counter)  # (publisher, outcome) -> n
    skipped_hosts: dict[str, str] = field(default_factory=dict)
    # sitemaps, feeds and archive pages that gave nothing, and why ("HTTP 400", "robots.txt
    # disallows it", "timeout: ..."): a site refusing our User-Agent shows here, per URL
    refused_sources: dict[str, str] = field(default_factory=dict)
    discovered: Counter = field(default_factory=Counter)
    elapsed_s: float = 0.0

    @property
    def stored(self) -> int:
        return sum(n for (_, outcome), n in self.outcomes.items() if outcome == "stored")


class _Host:
    """Per-host politeness clock; one thread uses it at a time."""

    def __init__(self, delay: float, clock: Callable[[], float], sleep: Callable[[float], None]) -> None:
        self.delay = delay
        self.next_at = 0.0
        self.timeouts = 0
        self.clock, self.sleep = clock, sleep

    def wait(self) -> None:
        now = self.clock()
        if self.next_at > now:
            self.sleep(self.next_at - now)
        self.last_at = self.clock()

    def done(self) -> None:
        """A response has ended: the next request waits ``delay`` from now, the end of this one.
        Counted from its start, the gap the publisher sees shrank by however late the request
        arrived (0.02 s between two arrivals with a 0.3 s Crawl-delay, on a loaded machine)."""
        self.next_at = max(self.next_at, self.clock() + self.delay)

    def raise_delay(self, delay: float, not_before: float = 0.0) -> None:
        """Delays only grow within a run; the next slot moves with them."""
        self.delay = max(self.delay, delay)
        self.next_at = max(self.next_at, getattr(self, "last_at", 0.0) + self.delay, not_before)


class Crawler:
    def __init__(
        self,
        state: CrawlState,
        sink: WarcSink,
        config: CrawlConfig | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.state, self.sink = state, sink
        self.config = config or CrawlConfig()
        self.guard = AddressGuard(self.config.allow_private)
        self.clock, self.sleep = clock, sleep
        self._sink_lock = threading.Lock()
        self._hosts: dict[str, _Host] = {}
        self._hosts_lock = threading.Lock()
        self.client = httpx.Client(
            headers={
                "User-Agent": self.config.user_agent,
                "Accept": "text/html,application/xhtml+xml,*/*;q=0.5",
                "Accept-Encoding": "gzip, deflate",
            },
            transport=transport,
            limits=httpx.Limits(max_connections=max(4, self.config.parallel_hosts * 2)),
            verify=True,  # TLS verified; there is no insecure fallback
        )

    def close(self) -> None:
        self.client.close()

    # --- public -------------------------------------------------------------------------------

    def run(self, publishers: list[Publisher]) -> CrawlReport:
        report = CrawlReport()
        start = time.monotonic()
        with ThreadPoolExecutor(max_workers=max(1, self.config.parallel_hosts)) as pool:
            for fut in [pool.submit(self._crawl_publisher, p, report) for p in publishers]:
                fut.result()
        report.elapsed_s = time.monotonic() - start
        return report

    # --- per publisher ------------------------------------------------------------------------

    def _host(self, url: str) -> _Host:
        netloc = urlsplit(url).netloc.lower()
        with self._hosts_lock:
            if netloc not in self._hosts:
                self._hosts[netloc] = _Host(self.config.min_delay, self.clock, self.sleep)
            return self._hosts[netloc]

    def _crawl_publisher(self, pub: Publisher, report: CrawlReport) -> None:
        host = self._host(pub.homepage)
        robots, why = self._robots(pub.homepage)
        if robots is None:
            report.skipped_hosts[urlsplit(pub.homepage).netloc] = why
            return
        delay = robots.crawl_delay(ROBOTS_TOKEN)
        if delay:
            host.raise_delay(float(delay))
        for found, source in self._discover(pub, robots, report):
            if not self._in_window(found.when):
                report.discovered[(pub.id, "outside_window")] += 1
                continue
            if not pub.is_az_article_url(found.url):
                continue
            key = canonical_url(found.url)
            if self.state.add(key, found.url, pub.id, source, found.when.isoformat() if found.when else None):
                report.discovered[(pub.id, "new")] += 1
        pending = self.state.pending(pub.id, self.config.max_pages_per_publisher)
        progress.report("queued", len(pending))  # this host's share of the frontier (the CLI's fetch total)
        progress.report(f"fetch {pub.id}", 0, len(pending))  # and its own line: a slow host shows as one
        for key, url, lastmod, etag, last_modified in pending:
            if self._host(url).timeouts >= self.config.max_host_timeouts:
                netloc = urlsplit(url).netloc
                report.skipped_hosts[netloc] = (
                    f"{self._host(url).timeouts} pages timed out; its other pages wait for the next run"
                )
                report.outcomes[(pub.id, "deferred_host_timeouts")] += 1
                continue
            if not robots.can_fetch(url, ROBOTS_TOKEN):
                self.state.failed(key, "robots_disallow", final=True)
                report.outcomes[(pub.id, "robots_disallow")] += 1
                continue
            outcome = self._fetch_page(key, url, lastmod, etag, last_modified)
            report.outcomes[(pub.id, outcome)] += 1
            progress.report("fetch")
            progress.report(f"fetch {pub.id}")
            if report.stored == 20:
                checkpoint("fetch")  # crash tests: die mid-crawl, some pages stored

    def _in_window(self, when: datetime | None) -> bool:
        if when is None:
            return True
        if self.config.since and when < self.config.since:
            return False
        return not (self.config.until and when >= self.config.until)

    def _robots(self, url: str) -> tuple[Protego | None, str]:
        """The robots.txt rules of ``url``'s host, or None and why the host is skipped this run
        (refused address, unreachable, 5xx: not cached, so the next run asks again)."""
        parts = urlsplit(url)
        cached = self.state.robots_get(parts.netloc, self.config.robots_ttl_s)
        if cached is None:
            robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
            try:
                resp = self._request(robots_url, accept_any_type=True, follow_to_other_hosts=False)
            except FetchError as exc:
                if exc.rule == "blocked_address":
                    return None, f"blocked address: {exc.detail}"
                return None, f"unreachable: {exc.rule}: {exc.detail}"[:300]
            if resp.status >= 500:
                return None, f"robots.txt answered HTTP {resp.status}"
            body = resp.body.decode("utf-8", "replace") if resp.status < 400 else ""
            self.state.robots_put(parts.netloc, resp.status, body)
            cached = (resp.status, body)
        status, body = cached
        return Protego.parse(body if status < 400 else ""), ""  # 4xx: everything allowed

    def _check_redirect(self, url: str) -> None:
        """A redirect to another host is followed only where that host's robots.txt allows it."""
        robots, why = self._robots(url)
        if robots is None:
            raise FetchError("redirect_refused", f"{url}: {why}")
        if not robots.can_fetch(url, ROBOTS_TOKEN):
            raise FetchError("robots_disallow", f"redirect target {url}")

    def _discover(self, pub: Publisher, robots: Protego, report: CrawlReport):
        d = pub.discovery
        sitemaps = list(d.sitemaps)
        if d.robots:
            sitemaps += [s for s in robots.sitemaps if s not in sitemaps]
        seen: set[str] = set()
        while sitemaps and len(seen) < self.config.max_sitemaps:
            sm = sitemaps.pop(0)
            if sm in seen:
                continue
            seen.add(sm)
            body = self._fetch_aux(sm, robots, report)
            for found in self._links(sm, body, parse_sitemap(body) if body else [], report):
                if found.kind == "sitemap":
                    if self._in_window(found.when) or (
                        self.config.until and found.when and found.when >= self.config.until
                    ):
                        sitemaps.append(found.url)
                else:
                    yield found, "sitemap"
        for feed in d.feeds:
            body = self._fetch_aux(feed, robots, report)
            for found in self._links(feed, body, parse_feed(body, feed) if body else [], report):
                yield found, "feed"
        if d.archive:
            for page in range(1, d.archive_pages + 1):
                url = d.archive.format(page=page)
                body = self._fetch_aux(url, robots, report)
                if not body:
                    if page > 1:  # the archive's end, not a refusal
                        report.refused_sources.pop(url, None)
                    break
                yield from ((f, "archive") for f in parse_listing(body, url))

    @staticmethod
    def _links(url: str, body: bytes | None, found: list[Found], report: CrawlReport) -> list[Found]:
        """A sitemap or feed that answered but parsed to nothing is reported (a challenge page,
        HTML where XML was due), not taken for a quiet month."""
        if body and not found:
            report.refused_sources[url] = f"answered {len(body)} bytes holding no links (not a feed or sitemap?)"
        return found

    def _fetch_aux(self, url: str, robots: Protego, report: CrawlReport) -> bytes | None:
        """Sitemaps, feeds and listings: fetched politely, not stored as articles. One that gives
        nothing is reported with its reason; we never retry under another User-Agent."""
        if not robots.can_fetch(url, ROBOTS_TOKEN):
            report.refused_sources[url] = "robots.txt disallows it"
            return None
        try:
            resp = self._with_retries(url, accept_any_type=True)
        except FetchError as exc:
            report.refused_sources[url] = f"{exc.rule}: {exc.detail}"[:300]
            return None
        if resp.status != 200:
            report.refused_sources[url] = f"HTTP {resp.status}"
            return None
        body = resp.body
        if url.endswith(".gz") and body[:2] == b"\x1f\x8b":
            import zlib

            d = zlib.decompressobj(16 + zlib.MAX_WBITS)
            body = d.decompress(body, self.config.limits.max_bytes)
        return body

    # --- one page ------------------------------------------------------------------------------

    def _request(
        self,
        url: str,
        *,
        accept_any_type: bool = False,
        headers: dict[str, str] | None = None,
        limits: HttpLimits | None = None,
        follow_to_other_hosts: bool = True,
    ) -> Response:
        host = self._host(url)
        host.wait()
        try:
            return get(
                self.client,
                url,
                guard=self.guard,
                limits=limits or self.config.limits,
                headers=headers,
                accept_any_type=accept_any_type,
                check_redirect=self._check_redirect if follow_to_other_hosts else None,
            )
        finally:
            host.done()

    def _with_retries(self, url: str, **kw) -> Response:
        """The request with retries on transient errors, within one budget for the URL: all its
        attempts together get ``limits.total_timeout`` seconds, and a timed-out attempt is not
        retried (a tarpit costs one deadline), but counts against its host."""
        host = self._host(url)
        total = self.config.limits.total_timeout
        spent = 0.0
        for attempt in range(self.config.max_retries + 1):
            if spent >= total:
                raise FetchError("timeout", f"{total:g}s budget for this URL spent over {attempt} attempts")
            started = time.monotonic()
            try:
                return self._request(url, limits=replace(self.config.limits, total_timeout=total - spent), **kw)
            except FetchError as exc:
                spent += time.monotonic() - started
                if exc.rule == "timeout":
                    host.timeouts += 1
                if not exc.retryable or exc.rule == "timeout" or attempt == self.config.max_retries:
                    raise
                wait = exc.retry_after if exc.retry_after is not None else self.config.backoff_base * 2**attempt
                if wait > self.config.max_retry_wait:
                    raise FetchError("retry_after_too_long", f"server asked for {wait:.0f}s") from None
                # the host's delay only grows after errors, never shrinks within a run
                host.raise_delay(
                    min(self.config.max_delay, max(host.delay * 2, self.config.min_delay)),
                    not_before=self.clock() + wait,
                )
        raise AssertionError("unreachable")

    def _fetch_page(self, key: str, url: str, lastmod: str | None, etag: str | None, last_modified: str | None) -> str:
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        fetched_at = clock.now()
        try:
            resp = self._with_retries(url, headers=headers or None)
        except FetchError as exc:
            final = exc.rule not in ("retry_after_too_long",) and not (exc.retryable and exc.rule == "network")
            self.state.failed(key, exc.rule if not exc.detail else f"{exc.rule}: {exc.detail}"[:200], final=final)
            return exc.rule
        if resp.status == 304:
            self.state.stored(
                key,
                http_status=304,
                warc_file="",
                warc_record_id="",
                etag=etag,
                last_modified=last_modified,
                lastmod=lastmod,
            )
            return "not_modified"
        with self._sink_lock:
            warc_file, record_id = self.sink.write(
                resp.url,
                resp.status,
                resp.reason,
                resp.headers,
                resp.body,
                fetched_at,
                request_headers=[("User-Agent", self.config.user_agent), *headers.items()],
            )
        if resp.status != 200:
            self.state.failed(key, f"http_{resp.status}", final=True, http_status=resp.status)
            return f"http_{resp.status}"
        self.state.stored(
            key,
            http_status=200,
            warc_file=warc_file,
            warc_record_id=record_id,
            etag=resp.header("etag"),
            last_modified=resp.header("last-modified"),
            lastmod=lastmod,
        )
        return "stored"
