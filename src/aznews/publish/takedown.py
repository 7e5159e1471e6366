"""The takedown list: articles a publisher or author asked us to remove.

A YAML list (``data/takedown.yaml`` by default, ``AZNEWS_TAKEDOWN`` to move it), one entry per
request, each with an ``id`` (an article id) or a ``url`` (a regular expression matched against
the article URL), plus ``reason`` and ``date``. Every new release applies the whole list: new
rows are dropped in dedup (rule ``takedown``), carried rows are removed by rewriting the shard
that held them, and the changelog records how many went.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml


class TakedownError(ValueError):
    """The takedown file is malformed; the message names the entry."""


@dataclass(frozen=True)
class Takedown:
    ids: frozenset[str] = frozenset()
    patterns: tuple[re.Pattern[str], ...] = ()
    entries: list[dict] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.entries)

    def matches(self, article_id: str, url: str) -> bool:
        return article_id in self.ids or any(p.search(url) for p in self.patterns)

    @classmethod
    def load(cls, path: Path | None) -> Takedown:
        if path is None or not path.exists():
            return cls()
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        if not isinstance(data, list):
            raise TakedownError(f"{path}: expected a list of entries")
        ids, patterns = set(), []
        for i, entry in enumerate(data, start=1):
            if not isinstance(entry, dict) or not ({"id", "url"} & set(entry)):
                raise TakedownError(f"{path}: entry {i} needs an 'id' or a 'url' pattern: {entry!r}")
            if "id" in entry:
                ids.add(str(entry["id"]))
            if "url" in entry:
                try:
                    patterns.append(re.compile(str(entry["url"])))
                except re.error as exc:
                    raise TakedownError(f"{path}: entry {i} has a bad url pattern: {exc}") from None
        return cls(frozenset(ids), tuple(patterns), data)
