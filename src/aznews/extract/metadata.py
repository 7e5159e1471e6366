"""Cheap metadata reads: JSON-LD, OpenGraph/article meta, canonical link, h1, bylines, credits.

They run on the lxml tree trafilatura extracts from (one parse per page, shared). trafilatura's
own metadata pass costs ~70% of extraction time; these reads cover what news pages actually carry
at a fraction of the cost. htmldate is the fallback for dates (dates.py).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from lxml.html import HtmlElement

from aznews.extract.parse import parse_html
from aznews.extract.scan import PageScan, scan
from aznews.textnorm import fold, repair

ARTICLE_TYPES = {
    "newsarticle",
    "article",
    "reportagenewsarticle",
    "blogposting",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "backgroundnewsarticle",
    "webpage",
    "liveblogposting",
}
_DATE_META = (
    "article:published_time",
    "og:article:published_time",
    "datePublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "date",
    "dc.date",
    "dc.date.issued",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
)


@dataclass
class PageMeta:
    title: str | None = None
    h1: str | None = None
    html_title: str | None = None
    site_name: str | None = None
    og_type: str | None = None
    canonical: str | None = None
    authors: list[str] = field(default_factory=list)
    date_jsonld: str | None = None
    date_meta: str | None = None
    category: str | None = None
    tags: list[str] = field(default_factory=list)
    lang: str | None = None
    credit_lines: list[str] = field(default_factory=list)
    date_texts: list[str] = field(default_factory=list)
    ld_types: list[str] = field(default_factory=list)  # every JSON-LD @type, lower case
    h1_count: int = 0

    def repaired(self) -> PageMeta:
        """A copy with every string mended (mojibake, invisibles, NFC); see aznews.textnorm.repair."""
        out = {}
        for name, value in vars(self).items():
            if isinstance(value, str):
                value = repair(value)
            elif isinstance(value, list) and name != "ld_types":
                value = [repair(v) for v in value]
            out[name] = value
        return PageMeta(**out)


def _walk_jsonld(node: Any, seen_types: list[str]) -> list[dict]:
    """Article-typed objects in a JSON-LD document; every @type met is added to ``seen_types``."""
    out: list[dict] = []
    if isinstance(node, list):
        for item in node:
            out.extend(_walk_jsonld(item, seen_types))
    elif isinstance(node, dict):
        if "@graph" in node:
            out.extend(_walk_jsonld(node["@graph"], seen_types))
        types = node.get("@type", [])
        types = [str(t).lower() for t in ([types] if isinstance(types, str) else types)]
        seen_types.extend(types)
        if any(t in ARTICLE_TYPES for t in types):
            out.append(node)
    return out


def _names(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        return [n for v in value for n in _names(v)]
    return []


def _split_keywords(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return []


_DATEISH_CLASS = re.compile(r"date|time|meta|info|calendar|archive|publish", re.I)
_SKIP_TAGS = {"script", "style", "nav", "footer", "aside", "li", "header", "noscript", "a"}


def _links_in(boxes: list[HtmlElement]) -> list[str]:
    """Texts of the links inside ``boxes``."""
    return [t for box in boxes for a in box.iter("a") if (t := _text(a))]


def _text(node: HtmlElement) -> str:
    """The node's text, every piece stripped, joined by single spaces."""
    return " ".join(t for piece in node.itertext() if (t := piece.strip()))


def _own_text(node: HtmlElement) -> str:
    """The text directly inside the node (not in its children), stripped."""
    return "".join(t.strip() for t in (node.text, *(c.tail for c in node)) if t)


def read_meta(page: str | HtmlElement, found: PageScan | None = None) -> PageMeta:
    """Read the metadata a news page declares about itself, from its lxml tree (or its HTML) and
    the walk over it (``aznews.extract.scan``, made here when not given)."""
    tree = parse_html(page) if isinstance(page, str) else page
    meta = PageMeta()
    if tree is None:
        return meta
    found = found or scan(tree)
    head_props: dict[str, str] = {}
    scripts = []
    for node in found.heads:
        tag = node.tag
        if tag == "meta":
            key = node.get("property") or node.get("name") or node.get("itemprop")
            content = node.get("content")
            if not key or content is None:
                continue
            key = key.strip().lower()
            if key in ("article:tag", "og:article:tag"):
                meta.tags.append(content.strip())
            head_props.setdefault(key, content.strip())
        elif tag == "link":
            if meta.canonical is None and (node.get("rel") or "").strip().lower() == "canonical":
                meta.canonical = node.get("href")
        elif tag == "title":
            meta.html_title = meta.html_title or _text(node) or None
        elif tag == "h1":
            meta.h1_count += 1
            meta.h1 = meta.h1 or _text(node) or None
        elif (node.get("type") or "").strip().lower() == "application/ld+json":
            scripts.append(node)
    meta.title = head_props.get("og:title") or head_props.get("twitter:title")
    meta.site_name = head_props.get("og:site_name")
    meta.og_type = head_props.get("og:type")
    meta.category = head_props.get("article:section")
    if not meta.tags and head_props.get("keywords"):
        meta.tags = _split_keywords(head_props["keywords"])
    if head_props.get("author") and not head_props["author"].startswith("http"):
        meta.authors = [head_props["author"]]
    for key in _DATE_META:
        if head_props.get(key.lower()):
            meta.date_meta = head_props[key.lower()]
            break
    if not meta.date_meta:
        times = (node for node in found.blocks if node.tag == "time")
        meta.date_meta = next((dt for node in times if (dt := node.get("datetime"))), None)
    meta.lang = tree.get("lang") if tree.tag == "html" else None

    for script in scripts:
        try:
            data = json.loads(script.text or "")
        except (json.JSONDecodeError, ValueError):
            continue
        for obj in _walk_jsonld(data, meta.ld_types):
            meta.title = meta.title or (obj.get("headline") or None)
            meta.date_jsonld = meta.date_jsonld or obj.get("datePublished") or obj.get("dateCreated")
            if not meta.authors:
                meta.authors = _names(obj.get("author"))
            section = obj.get("articleSection")
            if isinstance(section, list):
                section = section[0] if section else None
            meta.category = meta.category or section
            if not meta.tags:
                meta.tags = _split_keywords(obj.get("keywords"))
            if not meta.site_name:
                pub = _names(obj.get("publisher"))
                meta.site_name = pub[0] if pub else None

    if not meta.tags:
        meta.tags = [t for a in found.rel_tags if (t := _text(a))] or _links_in(found.tag_boxes)
    _scan_text_blocks(found.blocks, meta, found)
    if not meta.category:
        home = ("ana səhifə", "əsas səhifə")
        crumbs = [c for c in _links_in(found.crumb_boxes) if c.lower() not in home]
        meta.category = crumbs[-1] if crumbs else None
    return meta


_SKIP_CLASS = re.compile(r"sidebar|most-read|related|comments?\b|footer|menu", re.I)
_DIGIT = re.compile(r"\d")


def _inside_skipped(node: HtmlElement) -> bool:
    """Inside navigation, a sidebar, comments or the page's header or footer. An article's own
    ``<header>`` (inside ``<article>`` or ``<main>``: WordPress' entry-header) holds its byline."""
    parent = node.getparent()
    depth = 0
    while parent is not None and depth < 12:
        if parent.tag == "header":
            if not any(a.tag in ("article", "main") for a in parent.iterancestors()):
                return True
        elif parent.tag in _SKIP_TAGS or _SKIP_CLASS.search(parent.get("class") or ""):
            return True
        parent = parent.getparent()
        depth += 1
    return False


TEASER_MAX_CHARS = 600  # an element with more text than this is no single teaser item


def _longer_than(node: HtmlElement, limit: int) -> bool:
    """Whether the node's text is longer than ``limit``, reading no more of it than that (a date's
    grandparent may be the whole page)."""
    seen = 0
    for piece in node.itertext():
        seen += len(piece)
        if seen > limit:
            return True
    return False


def _teaser_of(node: HtmlElement, titles: set[str]) -> HtmlElement | None:
    """The teaser item a date belongs to, if it is a teaser's stamp: the date's element or one of
    its two nearest ancestors, small, that also holds a link to another article (a link text of
    four words or more that is not this page's own title)."""
    for anc in (node, *islice(node.iterancestors(), 2)):
        if _longer_than(anc, TEASER_MAX_CHARS):
            return None
        for a in anc.iter("a"):
            text = " ".join(a.text_content().split())
            if len(text) >= 20 and len(text.split()) >= 4 and fold(text) not in titles:
                return anc
    return None


def dated_teasers(
    found: PageScan, titles: tuple[str | None, ...] = ()
) -> tuple[list[HtmlElement], list[tuple[str, HtmlElement]]]:
    """(the page's dated teaser items, the date texts that are not a teaser's stamp)."""
    own = {fold(t) for t in titles if t}
    items: dict[HtmlElement, None] = {}
    texts = []
    for text, node in found.date_nodes:
        if (item := _teaser_of(node, own)) is not None:
            items[item] = None
        else:
            texts.append((text, node))
    return list(items), texts


BYLINE_LEVELS = 3  # a byline shares one of the body's three nearest ancestors with it


def byline_near(own: list[tuple[str, HtmlElement]], body: HtmlElement) -> bool:
    """Whether a date that is no teaser's stamp sits beside the article body: its element and the
    body share one of the body's nearest ancestors (the article's column), unlike a top bar's or
    a footer's date, which meet the body only high up the page. ``own``: the page's dates that
    are no teaser's stamp (``dated_teasers``)."""
    near = set(islice(body.iterancestors(), BYLINE_LEVELS))
    return any(not near.isdisjoint(node.iterancestors()) and body not in node.iterancestors() for _, node in own)


def article_dates(kept: list[tuple[str, HtmlElement]], body: HtmlElement | None) -> list[str]:
    """The page's date texts that may be its article's own, nearest to the article body first
    (a byline shares a deeper ancestor with the body than a top bar's or a footer's date does,
    and a date in the body's paragraphs is the text's own, so it comes last); a teaser's stamp
    (related, latest, most-read items) is not one of them: ``kept`` are the others
    (``dated_teasers``)."""
    if body is None:
        return [repair(text) for text, _ in kept]
    depth = {a: d for d, a in enumerate(reversed([body, *body.iterancestors()]))}

    def nearness(node: HtmlElement) -> int:
        """How deep the date meets the body. A date in one of the body's paragraphs (a deadline
        the text names) comes last, after the page's own dates; a date block among the body's
        paragraphs (an AMP or print view's byline) is the nearest of all."""
        if node is body or body in node.iterancestors():
            path = [node, *node.iterancestors()]
            return -1 if any(el.tag == "p" for el in path[: path.index(body)]) else len(depth)
        return next((depth[a] for a in node.iterancestors() if a in depth), 0)

    ordered = [text for text, _ in sorted(kept, key=lambda tn: -nearness(tn[1]))]  # stable: page order in a tie
    return [repair(text) for text in ordered]


def _scan_text_blocks(blocks: list[HtmlElement], meta: PageMeta, found: PageScan) -> None:
    """Short text blocks that carry a date (byline, archive line) or a 'Mənbə:' credit."""
    for node in blocks:
        # Cheap tests first: own text (a wrapper has none) and class. A wrapper's deep text is
        # only read when its class says it holds a date; reading every one is quadratic in depth.
        own = _own_text(node)
        cls = node.get("class") or ""
        dateish = node.tag == "time" or bool(_DATEISH_CLASS.search(cls))
        credit = own.startswith("Mənbə")
        if not (dateish or credit or _DIGIT.search(own)) or _inside_skipped(node):
            continue
        text = _text(node)
        if not text or len(text) > 160:
            continue
        if credit and node.tag in ("div", "p", "strong"):
            meta.credit_lines.append(text)
        elif dateish or _DIGIT.search(own):
            meta.date_texts.append(text)
            found.date_nodes.append((text, node))


_TITLE_CLASS = re.compile(r"title|headline|başlıq|basliq", re.I)


def heading_before(found: PageScan, body: HtmlElement | None) -> str | None:
    """The headline a page prints in a titled block before its body (``<div class="news-title">
    <p>…</p></div>``) when it declares none: the last such block of 3 to 30 words, not a link,
    before the body in page order."""
    if body is None:
        return None
    inside = set(body.iter())
    found_title = None
    for node in found.blocks:
        if node in inside:
            break
        cls = (
            (node.get("class") or "")
            + " "
            + ((node.getparent().get("class") or "") if node.getparent() is not None else "")
        )
        if (
            not _TITLE_CLASS.search(cls)
            or any(a.tag == "a" for a in node.iterancestors())
            or node.find(".//a") is not None
        ):
            continue
        text = _text(node)
        if 3 <= len(text.split()) <= 30:
            found_title = text
    return found_title
