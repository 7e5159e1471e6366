"""URL canonicalisation shared by fetch (frontier), extract (ids) and dedup (URL level)."""

from __future__ import annotations

import contextlib
import hashlib
import re
from urllib.parse import urlsplit, urlunsplit

from courlan import normalize_url

# Mobile and AMP variants of the same article.
_MOBILE_HOST = re.compile(r"^(?:m|mobile|amp)\.")
_AMP_PATH = re.compile(r"(?:/amp/?|\.amp)$|/amp/(?=[^/]+/?$)")
_AMP_QUERY = re.compile(r"(?:^|&)(?:amp|outputType=amp)(?:=[^&]*)?")


def canonical_url(url: str) -> str:
    """One spelling per article: https, lower-case host without www/m/amp, no tracking params,
    no fragment, no AMP suffix, no trailing slash (except the root)."""
    url = url.strip()
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
    scheme = "https" if parts.scheme in ("http", "https", "") else parts.scheme
    return urlunsplit((scheme, host, path, query, ""))


def article_id(canonical: str) -> str:
    """Stable article id: 32 hex digits of SHA-256 of the canonical URL."""
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:32]
