"""Cleaning the extracted body: boilerplate lines, aggregator preambles and credits, bylines,
and capitalised labels in titles. Rules are data (boilerplate.yaml plus registry profiles)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from aznews.textnorm import fold

_RULES_FILE = Path(__file__).with_name("boilerplate.yaml")
_PERSON = re.compile(r"^[A-ZÇƏĞIİÖŞÜ][a-zçəğıiöşü]+(?:\s+[A-ZÇƏĞIİÖŞÜ][a-zçəğıiöşü]+){1,2}$")


@dataclass(frozen=True)
class Rules:
    strip: tuple[re.Pattern[str], ...]
    credits: tuple[re.Pattern[str], ...]
    authors: tuple[re.Pattern[str], ...]
    labels: frozenset[str]


@cache
def rules() -> Rules:
    data = yaml.safe_load(_RULES_FILE.read_text(encoding="utf-8"))
    return Rules(
        strip=tuple(re.compile(p) for p in data["strip_lines"]),
        credits=tuple(re.compile(p) for p in data["credit_lines"]),
        authors=tuple(re.compile(p) for p in data["author_lines"]),
        labels=frozenset(data["title_labels"]),
    )


@dataclass
class Cleaned:
    paragraphs: list[str]
    credits: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    removed: int = 0


def clean_body(
    paragraphs: list[str],
    extra_strip: list[re.Pattern[str]] | tuple = (),
    *,
    aggregator: bool = False,
    site_names: tuple[str, ...] = (),
) -> Cleaned:
    """Remove boilerplate paragraphs; pull out credited sources and bylines."""
    r = rules()
    out = Cleaned(paragraphs=[])
    for para in paragraphs:
        folded = fold(para.strip())
        if not folded:
            continue
        if any(p.search(folded) for p in r.strip) or any(p.search(para) for p in extra_strip):
            out.removed += 1
            continue
        credit = next((m for p in r.credits if (m := p.search(folded))), None)
        if credit:
            start, end = credit.span("credit")
            out.credits.append(para.strip()[start:end].strip())
            out.removed += 1
            continue
        author = next((m for p in r.authors if (m := p.search(folded))), None)
        if author:
            start, end = author.span("author")
            out.authors.append(para.strip()[start:end].strip())
            out.removed += 1
            continue
        out.paragraphs.append(para.strip())
    # Aggregators sign reposts with the original author's name as the last paragraph.
    if aggregator and out.paragraphs and _PERSON.match(out.paragraphs[-1]):
        out.authors.append(out.paragraphs.pop())
        out.removed += 1
    # A paragraph that only repeats the site name (a logo caption) is not text.
    names = {fold(n) for n in site_names}
    kept = [p for p in out.paragraphs if fold(p) not in names]
    out.removed += len(out.paragraphs) - len(kept)
    out.paragraphs = kept
    return out


_SUFFIX_SEP = re.compile(r"\s+[|\-–—:]\s+")


def clean_title(title: str, site_names: tuple[str, ...] = ()) -> tuple[str, list[str]]:
    """Strip a ' - Site' suffix and trailing capitalised labels; returns (title, labels)."""
    title = re.sub(r"\s+", " ", title).strip()
    names = {fold(n) for n in site_names if n}
    parts = _SUFFIX_SEP.split(title)
    if len(parts) > 1 and fold(parts[-1]).strip() in names:
        title = title[: title.rfind(parts[-1])].rstrip(" |-–—:")
    labels: list[str] = []
    r = rules()
    while True:
        m = re.search(r"\s*\(([^()]{2,30})\)\s*$", title)
        if m and all(w in r.labels for w in m.group(1).upper().split()):
            labels = m.group(1).split() + labels
            title = title[: m.start()].rstrip()
            continue
        m = re.search(r"\s+(\S+)$", title)
        if m and m.group(1) in r.labels and len(title.split()) > 3:
            labels.insert(0, m.group(1))
            title = title[: m.start()].rstrip(" |-–—:")
            continue
        break
    return title, labels
