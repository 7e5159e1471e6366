"""The one walk over a page finds, in document order, what the XPath queries it replaced found."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from aznews.extract.parse import parse_html
from aznews.extract.scan import CRUMB_CLASSES, TAG_CLASSES, scan

PAGES = sorted((Path(__file__).parent / "golden").rglob("*.html"))
CRAFTED = """<html><head><title>T</title><link rel="canonical" href="/a"><link rel="Next" href="?page=2">
<meta property="og:title" content="x"><script type="application/ld+json">{}</script></head><body>
<div class="post-tags tagline"><a href="/t/1" rel="tag nofollow">Bakı</a><a rel="tags">x</a></div>
<ul class="breadcrumb"><li class="breadcrumb-item"><a href="/">Ana səhifə</a></li></ul>
<span class="tagged">not a tag box</span><nav class="site-pagination"><a href="/page/2/">2</a></nav>
<p>Mənbə: <a href="https://x.az/?id=1">x.az</a></p><time datetime="2026-01-01">1 yanvar</time>
<div class="Pager">p</div><h1>H</h1><a rel="">empty rel</a><a rel="PREV" href="/p">prev</a>
</body></html>"""


def _by_xpath(tree):
    """What read_meta and read_structure asked libxml2 for before the walk."""
    rel_tags = [a for a in tree.xpath("//a[contains(@rel, 'tag')]") if "tag" in (a.get("rel") or "").split()]

    def boxes(prefilter, classes):
        found = tree.xpath(f"//*[contains(@class, '{prefilter}')]")
        return [b for b in found if classes & set((b.get("class") or "").split())]

    pager_class = re.compile(r"paginat|pager|page-numbers|load-more", re.I)
    return {
        "heads": list(tree.iter("meta", "link", "title", "h1", "script")),
        "blocks": list(tree.iter("div", "span", "p", "time", "strong", "em", "small", "dd")),
        "rel_tags": rel_tags,
        "tag_boxes": boxes("tag", TAG_CLASSES),
        "crumb_boxes": boxes("breadcrumb", CRUMB_CLASSES),
        "page_links": tree.xpath("//a[contains(@href, '=') or contains(@href, '/page/')]"),
        "rel_pager": any(
            {"next", "prev"} & set((el.get("rel") or "").lower().split())
            for el in tree.xpath("//a[@rel] | //link[@rel]")
        ),
        "pager_class": any(pager_class.search(el.get("class") or "") for el in tree.iter("div", "nav", "ul")),
        "date_nodes": [],  # filled by read_meta, not by the walk
    }


@pytest.mark.parametrize(
    "html", [CRAFTED] + [p.read_text("utf-8") for p in PAGES], ids=["crafted"] + [p.name for p in PAGES]
)
def test_walk_finds_what_the_queries_found(html: str) -> None:
    tree = parse_html(html)
    assert vars(scan(tree)) == _by_xpath(tree)


def test_crafted_page_exercises_every_field() -> None:
    found = scan(parse_html(CRAFTED))
    assert [a.text for a in found.rel_tags] == ["Bakı"]
    assert [b.get("class") for b in found.tag_boxes] == ["post-tags tagline"]
    assert [b.tag for b in found.crumb_boxes] == ["ul", "li"]
    assert [a.get("href") for a in found.page_links] == ["/page/2/", "https://x.az/?id=1"]
    assert found.rel_pager and found.pager_class
