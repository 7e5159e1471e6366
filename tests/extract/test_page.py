"""Pathological pages become recorded drops, in-process and in worker processes."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from aznews.extract import ExtractConfig, Extractor, extract_pages
from aznews.fetch.warc import Page
from aznews.ledger import Drop

URL = "https://apa.az/cemiyyet/tikinti-900001"


def _page(body: bytes, url: str = URL) -> Page:
    return Page(
        url, 200, {"content-type": "text/html; charset=utf-8"}, body, datetime(2026, 11, 24, tzinfo=UTC), "t", "<r>"
    )


def _one_line(megabytes: int) -> bytes:
    para = "<p>Bakıda yeni park salınıb və sakinlər bundan razıdır, çünki şəhərdə yaşıllıq azdır.</p>"
    return (
        "<html><body><article>" + para * (megabytes * 1_000_000 // len(para.encode())) + "</article></body></html>"
    ).encode()


def test_twenty_megabytes_on_one_line_is_dropped_as_too_large():
    result = Extractor()(_page(_one_line(20)))
    assert isinstance(result, Drop) and result.rule == "too_large"


def test_deadline_turns_a_slow_page_into_a_timeout_drop_in_a_worker():
    config = ExtractConfig(max_html_bytes=50_000_000, timeout_s=0.001)
    other = Page(URL.replace("1", "2"), 404, {}, b"", datetime(2026, 11, 24, tzinfo=UTC), "t", "<r>")
    pages = [_page(_one_line(20)), other]
    started = time.monotonic()
    results = list(extract_pages(pages, config, workers=1, chunksize=1))
    assert isinstance(results[0], Drop) and results[0].rule == "timeout"
    assert "0.001s" in results[0].detail
    assert isinstance(results[1], Drop) and results[1].rule == "http_status"  # the worker survived
    assert time.monotonic() - started < 60


def test_deadline_holds_off_the_main_thread_too():
    """A Dask or thread-pool worker runs tasks off the main thread, where SIGALRM cannot fire:
    there the pages go to the thread's helper process, and the slow one is still dropped."""
    from concurrent.futures import ThreadPoolExecutor

    config = ExtractConfig(max_html_bytes=50_000_000, timeout_s=0.001)
    pages = [_page(_one_line(20))]
    with ThreadPoolExecutor(1) as threads:
        first = threads.submit(lambda: list(extract_pages(pages, config))).result()
        again = threads.submit(lambda: list(extract_pages(pages, config))).result()  # the helper is reused
    assert [r.rule for r in first + again] == ["timeout", "timeout"]


def test_deep_nesting_is_a_drop_not_a_crash():
    depth = 100_000
    body = ("<html><body>" + "<div>" * depth + "<p>Mətn</p>" + "</div>" * depth + "</body></html>").encode()
    started = time.monotonic()
    result = Extractor(ExtractConfig(timeout_s=10))(_page(body))
    assert isinstance(result, Drop)
    assert result.rule == "too_deep"
    assert time.monotonic() - started < 15


def test_non_html_and_error_status_are_recorded():
    ex = Extractor()
    pdf = Page(URL, 200, {"content-type": "application/pdf"}, b"%PDF", datetime(2026, 11, 24, tzinfo=UTC), "t", "<r>")
    gone = Page(URL, 404, {}, b"", datetime(2026, 11, 24, tzinfo=UTC), "t", "<r>")
    assert ex(pdf).rule == "not_html"
    assert ex(gone).rule == "http_status"
    assert ex(_page(b"<html></html>", "https://unknown.example/x")).rule == "unknown_publisher"


def test_deep_nesting_below_real_text_stays_fast():
    depth = 100_000
    text = "<p>" + "Bakıda yeni park salınıb və sakinlər bundan razıdır, çünki şəhərdə yaşıllıq azdır. " * 5 + "</p>"
    body = f"<html><body><article>{text}{'<div>' * depth}x{'</div>' * depth}</article></body></html>".encode()
    started = time.monotonic()
    result = Extractor(ExtractConfig(timeout_s=10))(_page(body))
    assert time.monotonic() - started < 5
    assert isinstance(result, Drop) and result.rule == "too_deep"


def test_a_credit_line_outside_the_extracted_text_names_the_outlet():
    """'Mənbə: Report' below the article container is not in trafilatura's text; the page reader
    finds it, and the record credits the outlet, not the line."""
    para = "Bakıda yeni park salınıb və sakinlər bundan razıdır, çünki şəhərdə yaşıllıq azdır. "
    body = "".join(f"<p>{para}{i}</p>" for i in range(5))
    html = (
        '<html><head><meta property="og:title" content="Bakıda yeni park"><meta property="og:type" '
        'content="article"><meta property="article:published_time" content="2026-11-20T10:00:00+04:00">'
        f"</head><body><article><h1>Bakıda yeni park</h1>{body}</article>"
        '<div class="source-box"><p>Mənbə: Report</p></div></body></html>'
    )
    for config in (ExtractConfig(), ExtractConfig(focus=False)):
        record = Extractor(config)(_page(html.encode()))
        assert not isinstance(record, Drop)
        assert "Mənbə" not in record["text"] and record["original_publisher"] == "report"


def _shapes(n: int) -> list[Page]:
    import random
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
    from synthetic import page_html

    rng = random.Random(9)
    pages = [_page(html.encode(), url) for url, html in (page_html(i, rng) for i in range(n))]
    return [*pages, _page(b"<html><body><p>qisa</p></body></html>"), _page(b"", "https://nowhere.example/x")]


def test_a_batch_gives_what_the_pages_give_one_by_one():
    """extract_many runs language ID on the batch's texts in a row; nothing else changes."""
    pages = _shapes(10)
    extractor = Extractor()
    assert extractor.extract_many(pages) == [extractor(page) for page in pages]
    assert list(extract_pages(pages, chunksize=4)) == [extractor(page) for page in pages]


def test_language_id_failing_on_one_page_drops_that_page_only(monkeypatch):
    pages = _shapes(4)
    extractor = Extractor()
    expected = extractor.extract_many(pages)
    identify, calls = extractor.langid.identify, []

    def failing(text: str):
        calls.append(text)
        if len(calls) == 2:  # the second page waiting for its language: pages[1]
            raise RuntimeError("model gone")
        return identify(text)

    monkeypatch.setattr(extractor.langid, "identify", failing)
    results = extractor.extract_many(pages)
    assert len(calls) >= 4  # every article page, and the short page, reach language ID
    for i, (got, want) in enumerate(zip(results, expected, strict=True)):
        if i == 1:
            assert isinstance(got, Drop) and got.rule == "parse_error" and "model gone" in got.detail
        else:
            assert got == want


def test_a_page_has_one_deadline_across_its_wait_for_language_id(monkeypatch):
    """The work before language ID and after it share the page's timeout_s (not one each)."""
    from aznews.extract import focus
    from aznews.extract import page as extraction

    page = _shapes(1)[0]
    config = ExtractConfig(timeout_s=1.0)
    real_region, real_date = focus.main_region, extraction.resolve_date

    def slow_date(**kwargs):
        time.sleep(0.4)
        return real_date(**kwargs)

    monkeypatch.setattr(extraction, "resolve_date", slow_date)
    assert not isinstance(Extractor(config)(page), Drop)  # 0.4 s after language ID alone: in time

    def slow_region(tree, *args):
        time.sleep(0.7)
        return real_region(tree, *args)

    monkeypatch.setattr(focus, "main_region", slow_region)
    result = Extractor(config)(page)  # 0.7 s before, 0.4 s after: over the one second
    assert isinstance(result, Drop) and result.rule == "timeout"
