"""The takedown list: articles a publisher or author asked us to remove.

A YAML list (``data/takedown.yaml`` by default, ``AZNEWS_TAKEDOWN`` to move it), one entry per
request, each with exactly one target plus ``reason`` and ``date``:

- ``id``: one article id;
- ``url``: one article URL, matched exactly after canonicalisation (``http://www.x.az/a/`` and
  ``https://x.az/a`` are the same article, ``https://x.az/a1`` is not);
- ``url_pattern``: a regular expression searched in the article URL, for a request that really
  covers many articles (say, a whole section); ``aznews takedown check`` shows what it removes.

Every new release applies the whole list: new rows are dropped in dedup (rule ``takedown``),
carried rows are removed by rewriting the shard that held them, and the changelog, the report
and the card record how many went, per entry.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from aznews.urls import canonical_url

TARGETS = ("id", "url", "url_pattern")
_REGEX_HINT = re.compile(r"^\^|\$$|\.\*|\\[.dws/]|\(\?")


class TakedownError(ValueError):
    """The takedown file is malformed; the message names the entry."""


@dataclass(frozen=True)
class Entry:
    number: int  # 1-based position in the file
    kind: str  # one of TARGETS
    value: str
    reason: str = ""
    date: str = ""
    pattern: re.Pattern[str] | None = field(default=None, compare=False)

    def matches(self, article_id: str, url: str, canonical: str) -> bool:
        """``canonical``: ``url`` canonicalised (computed once per article by the caller)."""
        if self.kind == "id":
            return article_id == self.value
        if self.kind == "url":
            return canonical == self.value
        assert self.pattern is not None
        return self.pattern.search(url) is not None

    def __str__(self) -> str:
        return f"entry {self.number} ({self.kind}: {self.value})"


@dataclass(frozen=True)
class Takedown:
    entries: tuple[Entry, ...] = ()

    def __len__(self) -> int:
        return len(self.entries)

    def entry_for(self, article_id: str, url: str) -> Entry | None:
        """The first entry that removes this article, if any."""
        return next(iter(self._matching(article_id, url)), None)

    def _matching(self, article_id: str, url: str) -> list[Entry]:
        canonical = canonical_url(url) if any(e.kind == "url" for e in self.entries) else url
        return [e for e in self.entries if e.matches(article_id, url, canonical)]

    def matches(self, article_id: str, url: str) -> bool:
        return self.entry_for(article_id, url) is not None

    def check(self, articles: Iterable[tuple[str, str]]) -> list[tuple[Entry, list[str]]]:
        """What each entry would remove from ``articles`` ((id, url) pairs): (entry, urls)."""
        hits: dict[int, list[str]] = {e.number: [] for e in self.entries}
        for article_id, url in articles:
            for e in self._matching(article_id, url):
                hits[e.number].append(url)
        return [(e, hits[e.number]) for e in self.entries]

    @classmethod
    def load(cls, path: Path | None) -> Takedown:
        if path is None or not path.exists():
            return cls()
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        except UnicodeDecodeError as exc:
            raise TakedownError(f"{path}: not UTF-8 (byte {exc.start}); save it as UTF-8") from None
        except yaml.YAMLError as exc:
            raise TakedownError(f"{path}: not valid YAML: {exc}") from None
        if not isinstance(data, list):
            raise TakedownError(f"{path}: expected a list of entries")
        return cls(tuple(_entry(path, i, raw) for i, raw in enumerate(data, start=1)))


def _entry(path: Path, number: int, raw: Any) -> Entry:
    where = f"{path}: entry {number}"
    targets = [k for k in TARGETS if isinstance(raw, dict) and k in raw]
    if len(targets) != 1:
        raise TakedownError(f"{where} needs exactly one of 'id', 'url' or 'url_pattern': {raw!r}")
    kind = targets[0]
    if not isinstance(raw[kind], str):  # id: 123 (YAML reads a number): no article id looks like that
        raise TakedownError(f"{where}: {kind!r} must be text, got {raw[kind]!r}")
    value = str(raw[kind]).strip()
    if kind == "id" and not re.fullmatch(r"[0-9a-f]{32}", value):
        raise TakedownError(f"{where}: 'id' must be an article id (32 hex digits, the release's `id`): {value!r}")
    meta = {"reason": str(raw.get("reason", "")), "date": str(raw.get("date", ""))}
    if kind == "url_pattern":
        try:
            return Entry(number, kind, value, pattern=re.compile(value), **meta)
        except re.error as exc:
            raise TakedownError(f"{where} has a bad url_pattern: {exc}") from None
    if kind == "url":
        if _REGEX_HINT.search(value):
            raise TakedownError(
                f"{where}: 'url' is one exact article URL, but {value!r} looks like a regular expression; "
                "write it as 'url_pattern' if it is meant to match many"
            )
        if not re.match(r"https?://[^/\s]+\.[^/\s]+/.", value):  # a host and a path: 'https://' names nothing
            raise TakedownError(f"{where}: 'url' must be one article URL (http(s)://host/path): {value!r}")
        value = canonical_url(value)
    return Entry(number, kind, value, **meta)
