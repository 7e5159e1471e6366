"""The part of a page trafilatura needs to see: the region that holds the article's paragraphs.

trafilatura's cost grows with the whole page: before it picks the main content it prunes, copies,
cleans and converts every element, menus, teaser grids and footers included (~80% of its time on
a 120 KB news page). What it extracts comes from one content container, found by its body XPaths
(``trafilatura.xpaths.BODY_XPATH``: classes such as ``entry-content``, ``<article>``,
``main-content``...). ``main_region`` hands it that container's neighbourhood instead:

1. the element holding the most paragraph (``<p>``) text directly, when it holds at least half of
   the page's paragraph text and at least trafilatura's minimum extracted size (a listing, whose
   text is spread over teasers, or a short page keeps the whole page);
2. its highest ancestor below ``<body>`` that has at most half of the page's elements;
3. widened to the ancestor that one of trafilatura's body XPaths selects before anything inside
   the region (trafilatura would extract that container, the region's siblings included).

The copy is ``<html><body>``, the region's ancestors copied bare (tag and attributes: the body
XPaths and trafilatura's prunes read the same names on the way down as on the whole page), then
the region (or the widened ancestor) whole. Not covered: a container *beside*
the region that a body XPath would select first on the whole page (trafilatura would then extract
from an element that does not hold the article's paragraphs). None was seen on the generated
corpus, the golden pages, the banker.az, icma.az and oxu.az pages or the zero-config WARC, where
every record came out identical with and without this step (``tests/extract/test_focus.py``).
"""

from __future__ import annotations

from copy import deepcopy
from typing import Any

from lxml.html import HtmlElement
from trafilatura.settings import DEFAULT_CONFIG
from trafilatura.xpaths import BODY_XPATH

from aznews.extract.parse import parser

MIN_TEXT = DEFAULT_CONFIG.getint("DEFAULT", "MIN_EXTRACTED_SIZE")  # trafilatura's own minimum (250)
MIN_SHARE = 0.5  # of the page's paragraph text, held by one element
MAX_ELEMENTS = 0.5  # of the page's elements, in the region
_OUTSIDE = frozenset({"body", "html"})


def _count(node: HtmlElement) -> int:
    """Elements in ``node``'s subtree, itself included."""
    return int(node.xpath("count(descendant-or-self::*)"))


def article_body(tree: HtmlElement) -> HtmlElement | None:
    """The element with the most paragraph text as direct children, if it holds enough of it:
    at least half of the page's paragraph text and trafilatura's minimum. An article has one; a
    listing, whose text is spread over its teasers, has none (aznews.extract.pagekind)."""
    held: dict[HtmlElement, int] = {}
    total = 0
    for p in tree.iter("p"):
        if n := len(p.text_content()):
            parent = p.getparent()
            held[parent] = held.get(parent, 0) + n
            total += n
    if not held:
        return None
    best = max(held, key=held.__getitem__)  # the first of equals, in document order
    return best if held[best] >= MIN_TEXT and held[best] >= MIN_SHARE * total else None


_FIND = object()


def main_region(tree: HtmlElement, best: Any = _FIND) -> HtmlElement | None:
    """A small tree for trafilatura to extract from, or None when it should read the whole page.
    ``best``: the page's ``article_body``, when the caller has it already."""
    if best is _FIND:
        best = article_body(tree)
    if best is None:
        return None
    limit = MAX_ELEMENTS * _count(tree)
    region = None
    for node in (best, *best.iterancestors()):
        if node.tag in _OUTSIDE or _count(node) > limit:
            break
        region = node
    if region is None:
        return None
    root = parser().makeelement("html", {})
    parent = parser().makeelement("body", {})
    root.append(parent)
    originals: dict[HtmlElement, HtmlElement] = {}
    for ancestor in reversed([a for a in region.iterancestors() if a.tag not in _OUTSIDE]):
        try:  # bare: tag and attributes
            parent.append(parser().makeelement(ancestor.tag, dict(ancestor.attrib)))
        except ValueError:  # a name libxml2 parsed but lxml will not create ('<a"b>'): whole page
            return None
        parent = parent[-1]
        originals[parent] = ancestor
    copied = deepcopy(region)
    copied.tail = None
    parent.append(copied)
    # widen to the ancestor a body XPath selects first (ancestors precede the region in document
    # order, as on the whole page)
    for expression in BODY_XPATH:
        if (first := next((el for el in expression(root) if el is not None), None)) is None:
            continue
        if (ancestor := originals.get(first)) is not None:
            whole = deepcopy(ancestor)
            whole.tail = None
            first.getparent().replace(first, whole)
        break
    return root


def text_holder(tree: HtmlElement) -> HtmlElement | None:
    """The element that holds most of the page's text as its own (between ``<br>``s, not in
    ``<p>``: DataLife Engine's full-text blocks), at least trafilatura's minimum; or None. Where
    ``article_body`` finds none, the page classifier's article body."""
    held: dict[HtmlElement, int] = {}
    total = 0
    for el in tree.iter("div", "td", "section", "article"):
        own = len((el.text or "").strip()) + sum(len((c.tail or "").strip()) for c in el)
        if own:
            held[el] = own
            total += own
    if not held:
        return None
    best = max(held, key=held.__getitem__)
    return best if held[best] >= MIN_TEXT and held[best] >= MIN_SHARE * total else None
