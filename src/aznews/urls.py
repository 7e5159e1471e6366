"""URL canonicalisation shared by fetch (frontier), extract (ids) and dedup (URL level)."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from courlan import normalize_url

# Mobile and AMP variants of the same article.
_MOBILE_HOST = re.compile(r"^(?:m|mobile|amp)\.")
_AMP_PATH = re.compile(r"(?:/amp/?|\.amp)$|/amp/(?=[^/]+/?$)")
_AMP_QUERY = re.compile(r"(?:^|&)(?:amp|outputType=amp)(?:=[^&]*)?")
# Parameters that make a page a search or tag page: courlan's strict mode drops them, which would
# turn `/az/search/?query=x` into `/az/search`, a URL an article rule may accept. They stay.
SEARCH_PARAMS = frozenset({"q", "query", "text", "s", "search", "keyword", "keywords", "tag", "term"})


@functools.lru_cache(maxsize=4096)  # a page's URL is canonicalised by the registry, then for its id
def canonical_url(url: str) -> str:
    """One spelling per article: https, lower-case host without www/m/amp, no tracking params,
    no fragment, no AMP suffix, no trailing slash (except the root)."""
    url = url.strip()
    kept = [(k, v) for k, v in parse_qsl(urlsplit(url).query) if k.lower() in SEARCH_PARAMS]
    with contextlib.suppress(ValueError, AttributeError):
        url = normalize_url(url, strict=True, trailing_slash=True)
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    host = host.removeprefix("www.")
    host = _MOBILE_HOST.sub("", host)
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    path = _AMP_PATH.sub("", parts.path) or "/"
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    query = _AMP_QUERY.sub("", parts.query).strip("&")
    if kept:
        present = {k for k, _ in parse_qsl(query)}
        query = "&".join(filter(None, [query, urlencode([(k, v) for k, v in kept if k not in present])]))
    scheme = "https" if parts.scheme in ("http", "https", "") else parts.scheme
    return urlunsplit((scheme, host, path, query, ""))


def article_id(canonical: str) -> str:
    """Stable article id: 32 hex digits of SHA-256 of the canonical URL."""
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:32]
