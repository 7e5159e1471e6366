"""Bytes to text: trust valid UTF-8, then the declared charset, then charset-normalizer."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None


def declared_charsets(body: bytes, content_type: str) -> list[str]:
    """Charsets named by the Content-Type header and the page's own meta tag, in that order."""
    found = []
    header = _HEADER_CHARSET.search(content_type or "")
    if header and (c := _codec(header.group(1))):
        found.append(c)
    meta = _META_CHARSET.search(body[:4096])
    if meta and (c := _codec(meta.group(1).decode("ascii", "ignore"))) and c not in found:
        found.append(c)
    return found


def decode_html(body: bytes, content_type: str = "") -> tuple[str, str]:
    """Decode a page; returns (text, charset used).

    Headers lie (ISO-8859-1 announced for UTF-8 pages is common): a body that is valid UTF-8 with
    non-ASCII bytes is UTF-8 whatever the header says, because other encodings almost never
    produce valid multi-byte UTF-8 by accident.
    """
    if body.startswith(codecs.BOM_UTF8):
        return body[3:].decode("utf-8", "replace"), "utf-8"
    try:
        text = body.decode("utf-8")
        return text, "utf-8"
    except UnicodeDecodeError:
        pass
    for charset in declared_charsets(body, content_type):
        if charset == "utf-8":
            continue
        try:
            text = body.decode(charset)
        except UnicodeDecodeError:
            continue
        if charset not in ("latin-1", "iso8859-1", "cp1252"):
            return text, charset
        guess = from_bytes(body).best()
        if guess is None or guess.encoding in ("latin_1", "cp1252", "iso8859_1"):
            return text, charset
        return str(guess), guess.encoding
    guess = from_bytes(body).best()
    if guess is not None:
        return str(guess), guess.encoding
    return body.decode("utf-8", "replace"), "utf-8"
