"""trafilatura reads the article's region, not the whole page, and the records do not change."""

from __future__ import annotations

import json
import random
import sys
from datetime import datetime
from pathlib import Path

import pytest
from lxml import etree

from aznews.extract import ExtractConfig, Extractor, focus
from aznews.extract import page as extraction
from aznews.extract.parse import parse_html
from aznews.fetch.warc import Page
from aznews.ledger import Drop

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from page_kinds import web, zero_config_registry  # noqa: E402
from synthetic import FETCHED, page_html, with_bulk  # noqa: E402

GOLDEN = Path(__file__).with_name("golden")
PARA = "Bakı şəhərində yeni park salınıb və sakinlər bundan çox razıdır, çünki şəhərdə yaşıllıq azdır. "
URL = "https://apa.az/cemiyyet/tikinti-900001"
DATED = '<meta property="article:published_time" content="2026-11-20T10:00:00+04:00">'


def _page(url: str, html: str | bytes, fetched: datetime = FETCHED) -> Page:
    body = html.encode() if isinstance(html, str) else html
    return Page(url, 200, {"content-type": "text/html; charset=utf-8"}, body, fetched, "t.warc.gz", f"<urn:{url}>")


def _golden() -> list[Page]:
    pages = []
    for path in sorted(GOLDEN.glob("*.html")):
        spec = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))["page"]
        pages.append(_page(spec["url"], path.read_bytes(), datetime.fromisoformat(spec["fetched_at"])))
    return pages


def _generated() -> list[Page]:
    rng = random.Random(5)
    pages = []
    for i in range(15):  # the five page shapes, three times, at both weights
        url, html = page_html(i, rng)
        pages.append(_page(url, with_bulk(html, rng, "real" if i % 2 else "light")))
    return pages


def _same_records(pages: list[Page], registry_path: Path | None = None) -> None:
    whole = Extractor(ExtractConfig(focus=False, registry_path=registry_path))
    focused = Extractor(ExtractConfig(registry_path=registry_path))
    for page in pages:
        a, b = whole(page), focused(page)
        if isinstance(a, Drop) or isinstance(b, Drop):
            assert (a.rule if isinstance(a, Drop) else "kept") == (b.rule if isinstance(b, Drop) else "kept"), page.url
        else:
            assert a == b, page.url


def test_golden_and_generated_pages_give_the_same_records_as_the_whole_page():
    _same_records(_golden() + _generated())


def test_articles_among_listings_and_static_pages_give_the_same_records(tmp_path):
    pages = [_page(url, html) for url, html, _ in web(12, seed=4)]
    _same_records(pages, zero_config_registry(tmp_path / "zero.yaml"))


def _text(tree) -> str:
    return " ".join(tree.itertext())


def _article_page(*, lead_outside: bool = False) -> str:
    body = "".join(f"<p>{PARA}{i}</p>" for i in range(6))
    if lead_outside:  # banker.az: the lead, then the body four wrappers deep, in tdb-block-inner
        article = (
            '<div class="td-main-content-wrap"><h1>Başlıq</h1><div class="tdb-block-inner"><p>Lead sözü.</p>'
            f'<div class="mb-3"><div><div class="x1"><div class="x2">{body}</div></div></div></div></div>'
            '<p class="source">Mənbə: APA</p></div>'
        )
    else:
        article = f'<div class="wrap"><h1>Başlıq</h1><div class="news-text">{body}</div></div>'
    menu = (
        '<div class="menu"><ul>'
        + "".join(f'<li><a href="/k/{i}">Bölmə {i}</a></li>' for i in range(60))
        + "</ul></div>"
    )
    teasers = "".join(f'<div class="card"><a href="/x/{i}">Xəbər {i}</a><p>Qısa.</p></div>' for i in range(30))
    page = f"{menu}{article}<aside>{teasers}</aside><footer><p>© 2026</p></footer>"
    return f"<html><head><title>T</title></head><body>{page}</body></html>"


def test_the_region_holds_the_article_and_not_the_page_around_it():
    tree = parse_html(_article_page())
    region = focus.main_region(tree)
    assert region is not None
    text = _text(region)
    assert all(f"{PARA}{i}" in text for i in range(6)) and "Başlıq" in text
    assert "Bölmə 3" not in text and "Xəbər 3" not in text and "© 2026" not in text
    assert region.tag == "html" and region[0].tag == "body"
    assert sum(1 for _ in region.iter()) < sum(1 for _ in tree.iter()) / 2


def test_the_region_widens_to_the_container_trafilatura_selects():
    """On the whole page trafilatura's body XPath selects td-main-content-wrap ('main-content'):
    the lead and the credit beside the deep body div are part of what it extracts."""
    tree = parse_html(_article_page(lead_outside=True))
    region = focus.main_region(tree)
    assert region is not None
    text = _text(region)
    assert "Lead sözü." in text and "Mənbə: APA" in text
    wrap = region.find(".//div[@class='td-main-content-wrap']")
    assert wrap is not None and wrap.getparent().tag == "body"


def test_the_ancestors_above_the_region_are_copied_bare():
    html = _article_page().replace('<div class="wrap">', '<div id="outer" class="page"><div class="wrap">')
    html = html.replace("<aside>", '</div><div class="after">Kənar mətn</div><aside>')
    html = html.replace("<body>", '<body><div class="layout" data-x="1">').replace("</body>", "</div></body>")
    region = focus.main_region(parse_html(html))
    assert region is not None
    layout = region[0][0]
    assert (layout.tag, dict(layout.attrib)) == ("div", {"class": "layout", "data-x": "1"})
    assert len(layout) == 1 and not (layout.text or "").strip()
    assert "Kənar mətn" not in _text(region) and "Bölmə 3" not in _text(region)


@pytest.mark.parametrize(
    "html",
    [
        # a listing: the paragraph text is spread over teasers
        "<html><body>"
        + "".join(f'<div class="item"><h3>Başlıq {i}</h3><p>{PARA}</p></div>' for i in range(12))
        + "</body></html>",
        # too little text for trafilatura's own minimum
        f"<html><body><div class='a'><p>{PARA}</p></div></body></html>",
        # no paragraphs at all
        f"<html><body><div>{PARA * 5}</div></body></html>",
        # the article is most of the page: nothing to save
        f"<html><body><div class='a'>{''.join(f'<p>{PARA}</p>' for _ in range(6))}</div></body></html>",
    ],
    ids=["listing", "short", "no-paragraphs", "whole-page"],
)
def test_the_whole_page_is_read_when_no_region_stands_out(html):
    assert focus.main_region(parse_html(html)) is None


@pytest.mark.parametrize("name", ['a"b', "x:y:z", "a;b", "x=y"])
def test_hostile_names_above_the_region_never_break_a_page(name):
    """An ancestor whose tag or attribute name lxml refuses to create: the whole page is read."""
    for html in (
        _article_page()
        .replace('<div class="wrap">', f'<div class="wrap"><{name} class="x">')
        .replace("</div></div><aside>", f"</div></{name}></div><aside>"),
        _article_page()
        .replace('<div class="wrap">', f'<div class="wrap" {name}="1"><div>')
        .replace("</div></div><aside>", "</div></div></div><aside>"),
        _article_page().replace("<body>", f"<body><{name}>").replace("</body>", f"</{name}></body>"),
    ):
        html = html.replace("<title>T</title>", f"<title>T</title>{DATED}")
        record = Extractor()(_page(URL, html))
        assert not isinstance(record, Drop), record
        assert record == Extractor(ExtractConfig(focus=False))(_page(URL, html))


def test_a_short_result_from_the_region_is_read_again_from_the_whole_page(monkeypatch):
    page = _page(URL, _article_page())
    expected = Extractor(ExtractConfig(focus=False))(page)
    seen: list[int] = []
    real = extraction._trafilatura

    def counted(tree, url):
        seen.append(sum(1 for _ in tree.iter()))
        doc = real(tree, url)
        if len(seen) == 1:  # the region's result, made short
            doc.text = doc.text[: focus.MIN_TEXT - 1]
        return doc

    monkeypatch.setattr(extraction, "_trafilatura", counted)
    assert Extractor()(page) == expected
    assert len(seen) == 2 and seen[0] < seen[1]  # the region, then the whole page


def test_a_forum_thread_is_read_whole(monkeypatch):
    """trafilatura keeps a thread's posts when the page's JSON-LD says DiscussionForumPosting;
    it reads that from the head, which the region does not carry."""
    ld = json.dumps({"@context": "https://schema.org", "@type": "DiscussionForumPosting", "headline": "Mövzu"})
    html = _article_page().replace(
        "<title>T</title>", f'<title>T</title><script type="application/ld+json">{ld}</script>'
    )
    monkeypatch.setattr(focus, "main_region", lambda tree: pytest.fail("the region was used"))
    Extractor()(_page(URL, html))


def test_the_region_is_a_copy(monkeypatch):
    tree = parse_html(_article_page(lead_outside=True))
    before = etree.tostring(tree)
    region = focus.main_region(tree)
    for el in region.iter():
        el.attrib.clear()
    assert etree.tostring(tree) == before
