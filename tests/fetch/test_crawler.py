"""The crawler against real HTTP servers on 127.0.0.1 with injected faults."""

from __future__ import annotations

import itertools
import time
from datetime import UTC, datetime

import pytest
import yaml

from aznews.fetch.crawler import CrawlConfig, Crawler
from aznews.fetch.http import HttpLimits
from aznews.fetch.state import CrawlState
from aznews.fetch.warc import WarcSink, iter_pages
from aznews.sources import load_registry

from .fixture_sites import Site, article_html, gzip_bomb, sitemap

LOCAL = ("127.0.0.0/8",)


@pytest.fixture
def site():
    s = Site("Demo").start()
    yield s
    s.stop()


def crawl(tmp_path, sites, **over):
    return crawl_entries(tmp_path, [s.registry_entry(f"site{i}") for i, s in enumerate(sites)], **over)


def crawl_entries(tmp_path, entries, **over):
    reg_path = tmp_path / "registry.yaml"
    reg_path.write_text(yaml.safe_dump(entries), encoding="utf-8")
    registry = load_registry(reg_path)
    cfg = dict(
        allow_private=LOCAL,
        min_delay=0.0,
        backoff_base=0.01,
        max_retries=2,
        limits=HttpLimits(total_timeout=5, read_timeout=2, connect_timeout=2, max_bytes=200_000),
    )
    cfg.update(over)
    state = CrawlState(tmp_path / "state" / "crawl.sqlite")
    sink = WarcSink(tmp_path / "raw", fsync=False)
    crawler = Crawler(state, sink, CrawlConfig(**cfg))
    try:
        report = crawler.run(list(registry))
    finally:
        crawler.close()
        sink.close()
    return report, state, sink


def stored_urls(sink):
    return sorted(p.url for f in sink.files for p in iter_pages(f))


def basic_site(site, n=3, robots_extra=""):
    site.robots(f"User-agent: *\n{robots_extra}\nSitemap: {site.base}/sitemap.xml\n")
    site.routes["/sitemap.xml"] = None  # set below
    urls = [(f"{site.base}/az/xeber/{i}", f"2026-11-{10 + i:02d}T10:00:00+04:00") for i in range(1, n + 1)]
    urls.append((f"{site.base}/ru/xeber/99", "2026-11-12T10:00:00+04:00"))  # other edition: never fetched
    from .fixture_sites import Route

    site.routes["/sitemap.xml"] = Route(body=sitemap(urls, news=True), headers={"Content-Type": "application/xml"})
    for i in range(1, n + 1):
        site.page(f"/az/xeber/{i}", article_html(i))
    site.page("/ru/xeber/99", article_html(99))


def test_default_guard_refuses_loopback(tmp_path, site):
    basic_site(site)
    report, _state, _ = crawl(tmp_path, [site], allow_private=())
    assert site.hits == {}  # not even robots.txt was requested
    assert report.skipped_hosts


def test_discovery_fetch_and_warc(tmp_path, site):
    basic_site(site)
    _report, state, sink = crawl(tmp_path, [site])
    assert stored_urls(sink) == [f"{site.base}/az/xeber/{i}" for i in (1, 2, 3)]
    assert site.hits["/ru/xeber/99"] == 0
    assert all("aznews-crawler" in ua for ua in site.user_agents)
    assert state.counts() == {"stored": 3}
    # request and response records both present
    from warcio.archiveiterator import ArchiveIterator

    with open(sink.files[0], "rb") as fh:
        types = [r.rec_type for r in ArchiveIterator(fh)]
    assert types.count("request") == types.count("response") == 3


def test_date_window_and_page_cap(tmp_path, site):
    basic_site(site, n=5)
    crawl(tmp_path, [site], since=datetime(2026, 11, 12, tzinfo=UTC), until=datetime(2026, 11, 14, tzinfo=UTC))
    fetched = sorted(p for p, n in site.hits.items() if p.startswith("/az/") and n)
    assert fetched == ["/az/xeber/2", "/az/xeber/3"]  # 12th and 13th (Baku time) only


def test_resume_never_refetches_and_lastmod_moves(tmp_path, site):
    basic_site(site)
    crawl(tmp_path, [site])
    crawl(tmp_path, [site])
    assert site.hits["/az/xeber/1"] == 1
    from .fixture_sites import Route

    site.routes["/sitemap.xml"] = Route(
        body=sitemap([(f"{site.base}/az/xeber/1", "2026-11-20T10:00:00+04:00")], news=True),
        headers={"Content-Type": "application/xml"},
    )
    crawl(tmp_path, [site])
    assert site.hits["/az/xeber/1"] == 2 and site.hits["/az/xeber/2"] == 1


def test_robots_disallow(tmp_path, site):
    basic_site(site, robots_extra="Disallow: /az/xeber/2")
    report, _state, _ = crawl(tmp_path, [site])
    assert site.hits["/az/xeber/2"] == 0
    assert report.outcomes[("site0", "robots_disallow")] == 1


def test_robots_5xx_skips_host_and_4xx_allows(tmp_path):
    down, missing = Site("Down").start(), Site("Missing").start()
    try:
        basic_site(down)
        down.robots("", status=503)
        basic_site(missing)
        missing.robots("", status=404)  # no robots.txt: everything allowed, but no Sitemap lines
        entries = [
            down.registry_entry("down"),
            missing.registry_entry("missing", sitemaps=[f"{missing.base}/sitemap.xml"]),
        ]
        report, _, _sink = crawl_entries(tmp_path, entries)
        assert not any(p.startswith("/az/") for p in down.hits)
        assert f"127.0.0.1:{down.port}" in report.skipped_hosts
        assert report.outcomes[("missing", "stored")] == 3
    finally:
        down.stop()
        missing.stop()


def test_feeds_archive_pagination_and_sitemap_index(tmp_path, site):
    from .fixture_sites import Route

    site.robots(f"User-agent: *\nSitemap: {site.base}/sitemap_index.xml\n")
    index = (
        f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{site.base}/sm-new.xml</loc><lastmod>2026-11-20</lastmod></sitemap>"
        f"<sitemap><loc>{site.base}/sm-old.xml</loc><lastmod>2024-01-01</lastmod></sitemap></sitemapindex>"
    )
    xml = {"Content-Type": "application/xml"}
    site.routes["/sitemap_index.xml"] = Route(body=index.encode(), headers=xml)
    site.routes["/sm-new.xml"] = Route(body=sitemap([(f"{site.base}/az/xeber/1", "2026-11-20")]), headers=xml)
    site.routes["/sm-old.xml"] = Route(body=sitemap([(f"{site.base}/az/xeber/9", "2024-01-01")]), headers=xml)
    rss = (
        f"<rss version='2.0'><channel><item><link>{site.base}/az/xeber/2</link>"
        "<pubDate>Thu, 19 Nov 2026 10:00:00 +0400</pubDate></item></channel></rss>"
    )
    atom = (
        f"<feed xmlns='http://www.w3.org/2005/Atom'><entry><link href='{site.base}/az/xeber/3'/>"
        "<published>2026-11-19T10:00:00+04:00</published></entry></feed>"
    )
    site.routes["/rss"] = Route(body=rss.encode(), headers=xml)
    site.routes["/atom"] = Route(body=atom.encode(), headers=xml)
    site.page("/arxiv?page=1", "<a href='/az/xeber/4'>4</a><a href='/haqqimizda'>x</a>")
    site.page("/arxiv?page=2", f"<a href='{site.base}/az/xeber/5'>5</a>")
    for i in range(1, 10):
        site.page(f"/az/xeber/{i}", article_html(i))
    entry = site.registry_entry(
        "demo",
        feeds=[f"{site.base}/rss", f"{site.base}/atom"],
        archive=f"{site.base}/arxiv?page={{page}}",
        archive_pages=3,
    )
    _report, _state, sink = crawl_entries(tmp_path, [entry], since=datetime(2026, 1, 1, tzinfo=UTC))
    assert stored_urls(sink) == [f"{site.base}/az/xeber/{i}" for i in (1, 2, 3, 4, 5)]
    assert site.hits["/sm-old.xml"] == 0  # an index child older than the window is not fetched
    assert site.hits["/arxiv?page=3"] == 1  # pagination stops at the first missing page


def test_sources_that_refuse_us_are_reported_per_url(tmp_path, site):
    """A feed answering HTTP 400 to our honest User-Agent, a challenge page where a feed was due and
    a sitemap robots.txt forbids: each is reported with its reason; we never retry as a browser."""
    from .fixture_sites import Route

    site.robots("User-agent: *\nDisallow: /private/\n")
    xml = {"Content-Type": "application/xml"}
    rss = f"<rss version='2.0'><channel><item><link>{site.base}/az/xeber/1</link></item></channel></rss>"
    site.routes["/rss"] = Route(body=rss.encode(), headers=xml, browsers_only=True)
    site.page("/feed", "<html><body>Just a moment...</body></html>")
    site.routes["/atom"] = Route(body=rss.replace("/1<", "/2<").encode(), headers=xml)
    site.page("/az/xeber/2", article_html(2))
    entry = site.registry_entry(
        "demo",
        feeds=[f"{site.base}/rss", f"{site.base}/feed", f"{site.base}/atom"],
        sitemaps=[f"{site.base}/private/sitemap.xml"],
    )
    report, _state, sink = crawl_entries(tmp_path, [entry])
    assert report.refused_sources == {
        f"{site.base}/rss": "HTTP 400",
        f"{site.base}/feed": "answered 42 bytes holding no links (not a feed or sitemap?)",
        f"{site.base}/private/sitemap.xml": "robots.txt disallows it",
    }
    assert stored_urls(sink) == [f"{site.base}/az/xeber/2"]  # the other sources still count
    assert site.hits["/rss"] == 1 and site.hits["/private/sitemap.xml"] == 0
    assert all(ua.startswith("aznews-crawler/") for ua in site.user_agents)


def test_ingest_warc_keeps_registry_hosts(tmp_path, sample_warc):
    from typer.testing import CliRunner

    from aznews.cli import app

    result = CliRunner().invoke(app, ["ingest-warc", str(sample_warc), "--data-dir", str(tmp_path / "data")])
    assert result.exit_code == 0, result.output
    assert "kept 15 registry pages, skipped 0 others" in result.output
    out = sorted((tmp_path / "data" / "raw").glob("*.warc.gz"))
    assert len([p for f in out for p in iter_pages(f)]) == 15
    reg = tmp_path / "reg.yaml"
    reg.write_text(
        yaml.safe_dump(
            [
                {
                    "id": "apa",
                    "name": "APA",
                    "domains": ["apa.az"],
                    "homepage": "https://apa.az/",
                    "editions": [{"language": "az", "prefix": "https://apa.az/"}],
                }
            ]
        )
    )
    result = CliRunner().invoke(
        app, ["ingest-warc", str(sample_warc), "--data-dir", str(tmp_path / "d2"), "--registry", str(reg)]
    )
    assert "kept 3 registry pages, skipped 12 others" in result.output


def test_crawl_delay_is_honoured(tmp_path, site):
    basic_site(site, robots_extra="Crawl-delay: 0.3")
    crawl(tmp_path, [site])
    times = sorted(t for p, ts in site.times.items() for t in ts)
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert min(gaps) >= 0.28, gaps


def test_429_retry_after_and_5xx_then_200(tmp_path, site):
    basic_site(site)
    site.routes["/az/xeber/1"].faults = [(429, {"Retry-After": "1"})]
    site.routes["/az/xeber/2"].faults = [(503, {}), (502, {})]
    _report, _state, sink = crawl(tmp_path, [site])
    t = site.times["/az/xeber/1"]
    assert len(t) == 2 and t[1] - t[0] >= 0.95
    assert site.hits["/az/xeber/2"] == 3
    assert len(stored_urls(sink)) == 3


def test_404_is_not_retried_and_recorded(tmp_path, site):
    basic_site(site)
    del site.routes["/az/xeber/3"]
    report, state, sink = crawl(tmp_path, [site])
    assert site.hits["/az/xeber/3"] == 1
    assert report.outcomes[("site0", "http_404")] == 1
    assert state.reasons() == {"http_404": 1}
    statuses = sorted(p.status for f in sink.files for p in iter_pages(f))
    assert statuses == [200, 200, 404]  # the 404 response is kept in WARC too


def test_redirect_loop_and_redirect_to_private_address(tmp_path, site):
    basic_site(site)
    site.page("/az/xeber/1", "", status=302, headers={"Location": "/az/xeber/1?x"})
    site.page("/az/xeber/1?x", "", status=302, headers={"Location": "/az/xeber/1"})
    site.page("/az/xeber/2", "", status=301, headers={"Location": "http://169.254.169.254/latest/meta-data"})
    _report, state, _ = crawl(tmp_path, [site], allow_private=("127.0.0.1/32",))
    reasons = state.reasons()
    assert any(r.startswith("redirect_loop") for r in reasons)
    assert any(r.startswith("blocked_address") and "169.254.169.254" in r for r in reasons)


def test_non_html_oversized_and_gzip_bomb(tmp_path, site):
    import tracemalloc

    basic_site(site, n=4)
    site.page("/az/xeber/1", "%PDF-1.4", headers={"Content-Type": "application/pdf"})
    site.page("/az/xeber/2", "<p>" + "ə" * 300_000 + "</p>")
    site.routes["/az/xeber/3"].body = gzip_bomb(200_000_000)
    site.routes["/az/xeber/3"].raw_gzip = True
    tracemalloc.start()
    _report, state, sink = crawl(tmp_path, [site])
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    reasons = state.reasons()
    assert any(r.startswith("not_html") for r in reasons)
    assert sum(n for r, n in reasons.items() if r.startswith("too_large")) == 2
    assert peak < 20_000_000  # the 200 MB bomb never materialised
    assert stored_urls(sink) == [f"{site.base}/az/xeber/4"]


def test_slow_drip_hits_total_timeout(tmp_path, site):
    basic_site(site, n=1)
    site.routes["/az/xeber/1"].drip_delay = 0.05
    started = time.monotonic()
    _, state, _ = crawl(
        tmp_path, [site], max_retries=0, limits=HttpLimits(total_timeout=1.0, read_timeout=1.0, connect_timeout=1.0)
    )
    assert time.monotonic() - started < 10
    assert any(r.startswith("timeout") for r in state.reasons())


def test_lying_charset_header_is_stored_raw_and_decoded_right(tmp_path, site):
    from aznews.extract.decode import decode_html

    basic_site(site, n=1)
    site.routes["/az/xeber/1"].headers = {"Content-Type": "text/html; charset=ISO-8859-1"}
    _, _, sink = crawl(tmp_path, [site])
    page = next(iter_pages(sink.files[0]))
    text, charset = decode_html(page.body, page.content_type)
    assert charset == "utf-8" and "Bakıda keçirilən tədbirdə" in text


def test_refused_address_is_named_and_a_crawl_that_reaches_no_host_fails(tmp_path, site):
    from aznews.config import Settings
    from aznews.fetch import CrawlFailed, crawl_publishers

    basic_site(site)
    report, _state, _ = crawl(tmp_path, [site], allow_private=())
    assert report.skipped_hosts[f"127.0.0.1:{site.port}"].startswith("blocked address")
    reg = tmp_path / "two.yaml"
    dead = Site("Dead")  # bound, then closed: nothing listens on its port
    dead.server.server_close()
    reg.write_text(yaml.safe_dump([site.registry_entry("blocked"), dead.registry_entry("dead")]), encoding="utf-8")
    with pytest.raises(CrawlFailed, match=r"no host could be crawled \(2\)") as err:
        crawl_publishers(Settings(data_dir=tmp_path / "d2"), registry_path=reg)  # loopback not allowed here
    assert f"127.0.0.1:{site.port}: blocked address" in str(err.value)
    assert f"127.0.0.1:{dead.port}: blocked address" in str(err.value)
    settings = Settings(data_dir=tmp_path / "d3", allow_private_networks=["127.0.0.0/8"], min_delay=0)
    reg.write_text(yaml.safe_dump([dead.registry_entry("dead")]), encoding="utf-8")
    with pytest.raises(CrawlFailed, match=rf"127\.0\.0\.1:{dead.port}: unreachable: network"):
        crawl_publishers(settings, registry_path=reg)


def test_tarpit_costs_one_deadline_then_its_host_waits(tmp_path, site):
    """A server that drips 1 byte at a time: each page costs one deadline (no retry, however
    many are allowed), and after max_host_timeouts pages the host's queue waits for next run."""
    basic_site(site, n=6)
    for i in range(1, 7):
        site.routes[f"/az/xeber/{i}"].drip_delay = 0.2
    started = time.monotonic()
    report, state, _ = crawl(
        tmp_path, [site], max_retries=3, max_host_timeouts=2,
        limits=HttpLimits(total_timeout=1.0, read_timeout=1.0, connect_timeout=1.0),
    )  # fmt: skip
    elapsed = time.monotonic() - started
    assert [site.hits[f"/az/xeber/{i}"] for i in range(1, 7)] == [1, 1, 0, 0, 0, 0]
    assert elapsed < 6, elapsed
    assert sum(n for r, n in state.reasons().items() if r.startswith("timeout")) == 2
    assert "2 pages timed out" in report.skipped_hosts[f"127.0.0.1:{site.port}"]
    assert state.counts().get("pending") == 4  # left for the next run, not failed


def test_redirect_to_another_host_obeys_that_hosts_robots(tmp_path, site):
    other = Site("Other").start()
    try:
        other.robots("User-agent: *\nDisallow: /private/\n")
        other.page("/private/1", article_html(7))
        other.page("/open/2", article_html(8))
        basic_site(site, n=2)
        site.page("/az/xeber/1", "", status=302, headers={"Location": f"{other.base}/private/1"})
        site.page("/az/xeber/2", "", status=302, headers={"Location": f"{other.base}/open/2"})
        _report, state, sink = crawl(tmp_path, [site])
    finally:
        other.stop()
    assert other.hits["/robots.txt"] == 1
    assert other.hits["/private/1"] == 0 and other.hits["/open/2"] == 1
    assert any(r.startswith("robots_disallow") and "/private/1" in r for r in state.reasons())
    assert stored_urls(sink) == [f"{other.base}/open/2"]
