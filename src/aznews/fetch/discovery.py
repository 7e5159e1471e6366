"""Parsing what discovery fetches: sitemaps (plain, index, Google News), RSS/Atom, listings.

trafilatura's sitemap and feed helpers fetch for themselves (bypassing our politeness and SSRF
guard) and drop ``lastmod`` / ``news:publication_date`` / ``pubDate``, which the date window
needs, so these small parsers (lxml, entities off) take bytes we fetched ourselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin

from lxml import etree
from selectolax.lexbor import LexborHTMLParser

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)


@dataclass(frozen=True)
class Found:
    url: str
    when: datetime | None  # lastmod / publication date, UTC
    kind: str  # 'page' or 'sitemap'


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def parse_when(value: str | None) -> datetime | None:
    if not value:
        return None
    value = value.strip()
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            dt = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


def _xml_root(body: bytes):
    """The document element, or None for anything that is not XML (recorded as nothing found)."""
    try:
        return etree.fromstring(body, _PARSER)
    except etree.XMLSyntaxError:
        return None


def parse_sitemap(body: bytes) -> list[Found]:
    """URLs of a urlset (with lastmod or news:publication_date) or child sitemaps of an index."""
    root = _xml_root(body)
    if root is None:
        return []
    kind = "sitemap" if _local(root.tag) == "sitemapindex" else "page"
    out = []
    for entry in root:
        if _local(entry.tag) not in ("url", "sitemap"):
            continue
        loc = when = None
        for child in entry.iter():
            name = _local(child.tag)
            if name == "loc" and child.text:
                loc = child.text.strip()
            elif name == "publication_date" and child.text:
                when = parse_when(child.text) or when
            elif name == "lastmod" and child.text and when is None:
                when = parse_when(child.text)
        if loc:
            out.append(Found(loc, when, kind))
    return out


def parse_feed(body: bytes, base_url: str) -> list[Found]:
    """Item links of an RSS 2.0 or Atom feed, with their publication dates."""
    root = _xml_root(body)
    if root is None:
        return []
    out = []
    for item in root.iter():
        name = _local(item.tag)
        if name not in ("item", "entry"):
            continue
        link = when = None
        for child in item:
            cname = _local(child.tag)
            if cname == "link":
                href = child.get("href") or (child.text or "").strip()
                if href and child.get("rel") in (None, "alternate"):
                    link = urljoin(base_url, href)
            elif (cname in ("pubDate", "published", "date") and child.text) or (
                cname == "updated" and child.text and when is None
            ):
                when = parse_when(child.text)
        if link:
            out.append(Found(link, when, "page"))
    return out


def parse_listing(body: bytes, base_url: str) -> list[Found]:
    """Links on an archive/listing page (filtered by the caller with the publisher's rules)."""
    tree = LexborHTMLParser(body.decode("utf-8", "replace"))
    return [
        Found(urljoin(base_url, href), None, "page") for a in tree.css("a[href]") if (href := a.attributes.get("href"))
    ]
