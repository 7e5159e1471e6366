"""Stage 2, fetch: discover and download pages politely; keep every response as WARC."""

from aznews.fetch.warc import Page, WarcSink, iter_pages

__all__ = ["CrawlFailed", "Page", "WarcSink", "crawl_publishers", "iter_pages", "utc_day"]


class CrawlFailed(RuntimeError):
    """No host could be crawled at all (the message lists each host and why): a failure to
    retry later, not an empty month."""


def utc_day(value: str | None):
    """``YYYY-MM-DD`` as midnight UTC (a full ISO timestamp keeps its own zone); None stays None."""
    from datetime import UTC, datetime

    if value is None:
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=UTC) if len(value) <= 10 else datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def crawl_publishers(
    settings,
    *,
    registry_path=None,
    publisher_ids: list[str] | None = None,
    since=None,
    until=None,
    max_pages: int = 1000,
    min_delay: float | None = None,
):
    """Run the crawler for the registry's publishers (or some of them).

    Returns (report, counts, warc_files): the WARC files this run wrote, in order.
    """
    from urllib.parse import urlsplit

    from aznews.fetch.crawler import CrawlConfig, Crawler
    from aznews.fetch.state import CrawlState
    from aznews.sources import load_registry

    registry = load_registry(registry_path)
    pubs = [registry[p] for p in publisher_ids] if publisher_ids else list(registry)
    config = CrawlConfig(
        user_agent=settings.user_agent,
        allow_private=tuple(settings.allow_private_networks),
        since=since,
        until=until,
        max_pages_per_publisher=max_pages,
        min_delay=settings.min_delay if min_delay is None else min_delay,
    )
    state = CrawlState(settings.state_dir / "crawl.sqlite")
    sink = WarcSink(settings.raw_dir, prefix="aznews-crawl")
    crawler = Crawler(state, sink, config)
    try:
        report = crawler.run(pubs)
    finally:
        crawler.close()
        sink.close()
        counts = state.counts()
        state.close()
    hosts = {urlsplit(p.homepage).netloc for p in pubs}
    if hosts and hosts <= set(report.skipped_hosts) and not report.stored:
        why = "; ".join(f"{h}: {report.skipped_hosts[h]}" for h in sorted(hosts))
        raise CrawlFailed(f"no host could be crawled ({len(hosts)}): {why}")
    return report, counts, list(sink.files)
