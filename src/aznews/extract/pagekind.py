"""Article or not, from what the page says about itself (no per-site URL rules).

A news site serves articles among home pages, section listings, tag, search, author and archive
pages, and static pages; CC-NEWS holds all of them. The decision uses, in order:

1. the URL's own shape: the site root (or an edition root such as ``/az/``) is the home page; a
   search parameter (``?q=``, ``?query=``) makes a listing;
2. what the page declares: JSON-LD ``@type`` (``NewsArticle``... vs ``CollectionPage``,
   ``SearchResultsPage``, ``ProfilePage``, ``ItemList``), ``og:type``, ``article:published_time``;
3. its structure: pagination ("Növbəti", ``rel=next``, ``?page=N``), dated teaser stamps repeated
   down the page, the number of ``<h1>``;
4. after extraction, where the text came from: when a quarter or more of the extracted blocks are
   the texts of headline links, the page is a list of teasers, whatever its metadata says (some
   CMSs print ``og:type=article`` on every page).

A page with neither article metadata nor any date is "other" (about, contact, terms pages).
``Verdict.reason`` goes into the drop ledger.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

import yaml
from lxml.html import HtmlElement

from aznews.extract.metadata import ARTICLE_TYPES, PageMeta
from aznews.extract.scan import PageScan
from aznews.textnorm import fold
from aznews.urls import SEARCH_PARAMS

ARTICLE_LD = ARTICLE_TYPES - {"webpage"}
LISTING_LD = {"collectionpage", "itemlist", "searchresultspage", "profilepage", "blog", "website"}
_ROOT = re.compile(r"^/(?:[a-z]{2}/?)?(?:index\.(?:php|html?))?$")
_PAGED = re.compile(r"[?&](?:page|p|sehife|səhifə|start|offset)=\d+|/page/\d+/?$", re.I)
_NEXT_WORDS = {"növbəti", "sonrakı", "next", "»", "›", "daha çox", "növbəti səhifə", "sonra"}
_STAMP = re.compile(
    r"^\W*(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{1,2}:\d{2}|\d{1,2}\s+\w+\s+\d{4}|\d{4}-\d{2}-\d{2})", re.U
)
_LONG_LINKS = "//a[string-length(normalize-space(.)) >= 20]"  # XPath keeps NBSP: a superset
TEASER_SHARE = 0.25  # of extracted blocks that are headline-link texts: a list of teasers
MIN_TEASERS = 3
MIN_STAMPS = 4  # dated items down the page (outside sidebars) that make a listing


@cache
def static_vocabulary() -> tuple[frozenset[str], frozenset[str]]:
    """(URL slugs, titles) of static pages (static_pages.yaml), folded."""
    data = yaml.safe_load(Path(__file__).with_name("static_pages.yaml").read_text(encoding="utf-8"))
    return frozenset(fold(s) for s in data["slugs"]), frozenset(fold(t) for t in data["titles"])


def static_page(url: str, titles: tuple[str | None, ...]) -> str | None:
    """Why the page is a static one (its URL's last segment or its whole title), or None."""
    slugs, names = static_vocabulary()
    last = unquote(urlsplit(url).path).rstrip("/").rsplit("/", 1)[-1]
    last = fold(re.sub(r"\.(?:html?|php|aspx?)$", "", last))
    if last in slugs:
        return f"a static page (/{last})"
    for title in titles:
        if not title:
            continue
        first = _TITLE_SEP.split(" ".join(title.split()))[0]  # 'Haqqımızda | Oxu.az'
        if fold(first).strip(" .:|-–—") in names:
            return f"a static page (titled {first!r})"
    return None


_TITLE_SEP = re.compile(r"\s+[|\-–—:]\s+")


@dataclass(frozen=True)
class Verdict:
    kind: str  # article | listing | home | other
    reason: str

    @property
    def is_article(self) -> bool:
        return self.kind == "article"


@dataclass
class Structure:
    """What the page shows about its kind; cheap to read from the parsed tree."""

    root: bool = False
    search: bool = False
    paged: bool = False
    pager: bool = False
    headlines: set[str] = field(default_factory=set)
    stamps: int = 0
    article_meta: list[str] = field(default_factory=list)
    listing_meta: list[str] = field(default_factory=list)
    body: bool = False  # one element holds most of the page's paragraph text (focus.article_body)
    static: str | None = None  # why it is a static page (about, contact, ...), see static_page

    @property
    def declared_article(self) -> bool:
        """JSON-LD says article (og:type alone is printed on every page by some CMSs)."""
        return any(m.startswith("JSON-LD") for m in self.article_meta)


def read_structure(tree: HtmlElement, found: PageScan, meta: PageMeta, url: str, *, body: bool = False) -> Structure:
    """The walk over the page (``aznews.extract.scan``), its long links, and the metadata.
    ``body``: the page has an article body (``focus.article_body``)."""
    parts = urlsplit(url)
    st = Structure(
        root=bool(_ROOT.match(parts.path or "/")) and not parts.query,
        search=any(k.lower() in SEARCH_PARAMS for k, _ in parse_qsl(parts.query)),
        paged=bool(_PAGED.search(url)),
        body=body,
    )
    st.static = static_page(url, (meta.title, meta.h1, meta.html_title))
    st.pager = found.rel_pager
    for link in found.page_links if not st.pager else ():  # <a href> that _PAGED could match
        text = " ".join(link.text_content().split())
        if fold(text) in _NEXT_WORDS and _PAGED.search(link.get("href") or ""):
            st.pager = True
            break
    # libxml2 narrows the page's hundreds of links to those with 20 characters of text (reading
    # every link's text in Python cost ~2 ms on a 130 KB page); Python applies the exact test.
    for link in tree.xpath(_LONG_LINKS):
        text = " ".join(link.text_content().split())
        if len(text) >= 20 and len(text.split()) >= 4:
            st.headlines.add(fold(text))
    st.pager = st.pager or found.pager_class
    st.stamps = len({t for t in meta.date_texts if _STAMP.match(t) and len(t) <= 40})
    ld = set(meta.ld_types)
    if found := sorted(ld & ARTICLE_LD):
        st.article_meta.append(f"JSON-LD {found[0]}")
    if (meta.og_type or "").lower() in ("article", "news", "newsarticle"):
        st.article_meta.append("og:type=article")
    if meta.date_meta or meta.date_jsonld:
        st.article_meta.append("published time declared")
    if found := sorted(ld & LISTING_LD):
        st.listing_meta.append(f"JSON-LD {found[0]}")
    if (meta.og_type or "").lower() in ("website", "profile"):
        st.listing_meta.append(f"og:type={meta.og_type}")
    return st


def before_extraction(st: Structure) -> Verdict | None:
    """A verdict that needs no extracted text (and saves extracting it), or None."""
    if st.root:
        return Verdict("home", "the site's root page")
    if st.search:
        return Verdict("listing", "search parameters in the URL")
    if st.static and not st.declared_article:  # whatever date a footer or a top bar prints
        return Verdict("other", st.static)
    if st.listing_meta and not st.article_meta and any(m.startswith("JSON-LD") for m in st.listing_meta):
        return Verdict("listing", st.listing_meta[0])
    if (st.paged or st.pager) and not st.declared_article and st.stamps >= 2 and not st.body:
        return Verdict("listing", f"pagination and {st.stamps} dated items")
    return None


def after_extraction(st: Structure, blocks: list[str]) -> Verdict | None:
    """A listing verdict once the main text is known (``blocks``: its paragraphs), or None."""
    heads = tuple(st.headlines)
    teasers = sum(1 for b in blocks if _starts_with_headline(b, heads))
    if teasers >= MIN_TEASERS and teasers >= TEASER_SHARE * len(blocks):
        return Verdict("listing", f"{teasers} of {len(blocks)} text blocks are headline links")
    # Dated items and a pager make a listing only where no article body holds the page's
    # paragraphs: a related / latest / most-read block beside or below an article is dated too.
    if st.stamps >= MIN_STAMPS and not st.declared_article and not st.body:
        return Verdict("listing", f"{st.stamps} dated items down the page, no article body")
    if (st.paged or st.pager) and not st.article_meta and not st.body:
        return Verdict("listing", "pagination, no article metadata, no article body")
    return None


def _starts_with_headline(block: str, headlines: tuple[str, ...]) -> bool:
    """The block is a headline link's text, alone or followed by its date and excerpt (a list
    item '- Headline 21:25 Excerpt…')."""
    text = fold(block).lstrip("-•*· ").strip()
    return bool(text) and text.startswith(headlines)


def without_text(st: Structure) -> Verdict | None:
    """Nothing was extracted: a page of headline links and no article metadata is a listing."""
    if len(st.headlines) >= 2 * MIN_STAMPS and not st.article_meta:
        return Verdict("listing", f"no text, {len(st.headlines)} headline links")
    return None


def final(st: Structure, *, dated: bool) -> Verdict:
    """The last word, once the date is known: an undated page that declares nothing is "other"."""
    if not st.article_meta and not dated:
        return Verdict("other", "no date and no article metadata")
    return Verdict("article", ", ".join(st.article_meta or ["a dated page with text"]))
