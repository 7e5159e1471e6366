"""Pages without a release: ``crawl`` into WARC, ``ingest-warc`` of a foreign WARC."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from aznews.cli.common import (
    DataDirOpt,
    RegistryOpt,
    app,
    console,
    fail,
    live_progress,
    utc_date,
)


@app.command()
def crawl(
    since: Annotated[
        str | None, typer.Option(help="Only articles published/modified on or after (YYYY-MM-DD).")
    ] = None,
    until: Annotated[str | None, typer.Option(help="Only articles before (YYYY-MM-DD).")] = None,
    publisher: Annotated[list[str] | None, typer.Option(help="Registry id (repeatable); default: all.")] = None,
    max_pages: Annotated[int, typer.Option(help="Page cap per publisher for this run.")] = 1000,
    min_delay: Annotated[float, typer.Option(help="Minimum seconds between requests to one host.")] = 1.0,
    data_dir: DataDirOpt = Path("data"),
    registry: RegistryOpt = None,
) -> None:
    """Discover and fetch new articles politely; responses go to WARC under data/raw/."""
    from aznews.config import Settings
    from aznews.fetch import CrawlFailed, crawl_publishers
    from aznews.sources import RegistryError

    settings = Settings(data_dir=data_dir)
    try:
        with live_progress():  # pages fetched of those queued, as they go
            report, counts, _files = crawl_publishers(
                settings,
                registry_path=registry,
                publisher_ids=publisher,
                since=utc_date(since),
                until=utc_date(until),
                max_pages=max_pages,
                min_delay=min_delay,
            )
    except (RegistryError, KeyError, CrawlFailed) as exc:
        raise fail("crawl failed", exc) from None
    table = Table(title=f"crawl: {report.stored} pages stored in {report.elapsed_s:.1f}s")
    for col in ("publisher", "outcome", "pages"):
        table.add_column(col)
    for (pub, outcome), n in sorted(report.outcomes.items()):
        table.add_row(pub, outcome, str(n))
    console.print(table)
    for host, why in report.skipped_hosts.items():
        console.print(f"[yellow]skipped host[/yellow] {escape(host)}: {escape(why)}", highlight=False)
    for url, why in sorted(report.refused_sources.items()):
        console.print(f"[yellow]no links from[/yellow] {escape(url)}: {escape(why)}", highlight=False)
    console.print(f"state: {counts}; WARC files in {settings.raw_dir}")


@app.command("ingest-warc")
def ingest_warc(
    paths: Annotated[list[Path], typer.Argument(help="WARC files (e.g. CC-NEWS) to read.")],
    data_dir: DataDirOpt = Path("data"),
    registry: RegistryOpt = None,
) -> None:
    """Keep the responses of existing WARC files whose host is in the registry (into data/raw/)."""
    from aznews.config import Settings
    from aznews.fetch.warc import WarcReadError, WarcSink, iter_pages
    from aznews.sources import load_registry

    reg = load_registry(registry)
    settings = Settings(data_dir=data_dir)
    kept = skipped = 0
    errors: list[WarcReadError] = []
    with WarcSink(settings.raw_dir, prefix="aznews-ingest") as sink:
        for path in paths:
            for page in iter_pages(path, errors):
                if reg.for_url(page.url) is None:
                    skipped += 1
                    continue
                sink.write(
                    page.url,
                    page.status,
                    "",
                    list(page.headers.items()),
                    page.body,
                    page.fetched_at,
                    record_key=f"ingest:{page.warc_file}:{page.warc_record_id}",
                )
                kept += 1
    console.print(f"kept {kept} registry pages, skipped {skipped} others -> {settings.raw_dir}")
    for err in errors:
        console.print(f"[yellow]unreadable[/yellow] {escape(f'{err.warc_file}@{err.offset}: {err.reason}')}")
