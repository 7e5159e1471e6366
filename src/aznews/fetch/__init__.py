"""Stage 2, fetch: discover and download pages politely; keep every response as WARC."""

from aznews.fetch.warc import Page, WarcSink, iter_pages

__all__ = ["Page", "WarcSink", "iter_pages"]
