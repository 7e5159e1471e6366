"""Cleaning the extracted body: boilerplate lines, aggregator preambles and credits, bylines,
and capitalised labels in titles. Rules are data (boilerplate.yaml plus registry profiles)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml
from lxml.html import HtmlElement

from aznews.textnorm import fold

_RULES_FILE = Path(__file__).with_name("boilerplate.yaml")
_PERSON = re.compile(r"^[A-ZÇƏĞIİÖŞÜ][a-zçəğıiöşü]+(?:\s+[A-ZÇƏĞIİÖŞÜ][a-zçəğıiöşü]+){1,2}$")


@dataclass(frozen=True)
class Rule:
    """One cleaning rule and the examples that pin it down."""

    kind: str  # strip_lines | credit_lines | author_lines
    pattern: re.Pattern[str]
    removes: tuple[str, ...]
    keeps: tuple[str, ...]


@dataclass(frozen=True)
class Rules:
    strip: tuple[re.Pattern[str], ...]
    credits: tuple[re.Pattern[str], ...]
    authors: tuple[re.Pattern[str], ...]
    labels: frozenset[str]
    all: tuple[Rule, ...] = ()


def _load_rules(kind: str, entries: list[dict]) -> tuple[Rule, ...]:
    out = []
    for entry in entries:
        removes, keeps = tuple(entry.get("removes") or ()), tuple(entry.get("keeps") or ())
        if not removes or not keeps:
            raise ValueError(f"{_RULES_FILE.name}: {kind} rule {entry.get('pattern')!r} needs removes and keeps")
        out.append(Rule(kind, re.compile(entry["pattern"]), removes, keeps))
    return tuple(out)


@dataclass(frozen=True)
class TextCredit:
    """An agency's formula inside the text (boilerplate.yaml ``text_credits``) and its examples."""

    pattern: re.Pattern[str]
    where: frozenset[str]  # first | last sentence
    unknown: bool  # a name the registry does not know is kept as printed
    finds: tuple[tuple[str, str], ...]
    keeps: tuple[str, ...]


@cache
def text_credit_rules() -> tuple[TextCredit, ...]:
    data = yaml.safe_load(_RULES_FILE.read_text(encoding="utf-8"))
    out = []
    for e in data["text_credits"]:
        if not e.get("finds") or not e.get("keeps"):
            raise ValueError(f"{_RULES_FILE.name}: text_credits rule {e.get('pattern')!r} needs finds and keeps")
        out.append(TextCredit(re.compile(e["pattern"]), frozenset(e["where"]), bool(e["unknown"]),
                              tuple(map(tuple, e["finds"])), tuple(e["keeps"])))  # fmt: skip
    return tuple(out)


_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=\S)")
_QUOTES = "«»“”„\"'’"


def text_credits(paragraphs: list[str], known: Callable[[str], bool]) -> list[str]:
    """Outlets credited by an agency formula in the text's first or last sentence, as printed
    ('AZƏRTAC', 'Reuters'). A name must be capitalised as printed; a formula that may also open
    an official's statement needs ``known`` (the registry) to accept the name."""
    if not paragraphs:
        return []
    first = _SENTENCE_END.split(paragraphs[0].strip(), maxsplit=1)[0]
    last = _SENTENCE_END.split(paragraphs[-1].strip())[-1]
    found: list[str] = []
    for rule in text_credit_rules():
        for where, sentence in (("first", first), ("last", last)):
            if where not in rule.where or not (m := rule.pattern.search(fold(sentence))):
                continue
            start, end = m.span("credit")
            name = sentence[start:end].strip(_QUOTES + " ")
            if name and any(c.isupper() for c in name) and (rule.unknown or known(name)) and name not in found:
                found.append(name)
    return found


@cache
def rules() -> Rules:
    data = yaml.safe_load(_RULES_FILE.read_text(encoding="utf-8"))
    loaded = {kind: _load_rules(kind, data[kind]) for kind in ("strip_lines", "credit_lines", "author_lines")}
    return Rules(
        strip=tuple(r.pattern for r in loaded["strip_lines"]),
        credits=tuple(r.pattern for r in loaded["credit_lines"]),
        authors=tuple(r.pattern for r in loaded["author_lines"]),
        labels=frozenset(data["title_labels"]),
        all=tuple(r for group in loaded.values() for r in group),
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
        if credit := credited(para):
            out.credits.append(credit)
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


def credited(line: str) -> str | None:
    """The outlet a credit line names ('Mənbə: APA' -> 'APA'), or None when it is not one."""
    line = line.strip()
    folded = fold(line)
    credit = next((m for p in rules().credits if (m := p.search(folded))), None)
    if credit is None:
        return None
    start, end = credit.span("credit")
    return line[start:end].strip()


_SUFFIX_SEP = re.compile(r"\s+[|\-–—:]\s+")


def clean_title(title: str, site_names: tuple[str, ...] = (), *, keep_labels: bool = True) -> tuple[str, list[str]]:
    """The headline as its publisher printed it, without a ' - Site' suffix; returns (title,
    labels). Trailing capitalised labels ('– FOTO', '(ŞƏRH)') are returned for tags and stay in
    the title unless ``keep_labels`` is false (an aggregator's repost: its labels are its own)."""
    title = re.sub(r"\s+", " ", title).strip()
    names = {fold(n) for n in site_names if n}
    parts = _SUFFIX_SEP.split(title)
    if len(parts) > 1 and fold(parts[-1]).strip() in names:
        title = title[: title.rfind(parts[-1])].rstrip(" |-–—:")
    printed = title
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
    return (printed if keep_labels else title), labels


_INLINE = ("strong", "b", "em", "i", "u", "span", "font", "small", "mark")


def mend_tree(tree: HtmlElement) -> None:
    """Two things trafilatura loses, repaired in the tree before it extracts: text after an empty
    inline element ('… tanış olun<strong></strong> və …' ends at the element), and a paragraph
    that is one link among text paragraphs (dropped as link-dense). The empty element is removed
    (its tail kept); such a link is unwrapped into plain text."""
    for el in [el for el in tree.iter(*_INLINE) if len(el) == 0 and not (el.text or "").strip()]:
        el.drop_tag()
    for p in [p for p in tree.iter("p") if len(p) == 1 and p[0].tag == "a"]:
        link = p[0]
        if (p.text or "").strip() or (link.tail or "").strip() or len(link.text_content().split()) < 4:
            continue
        if any(_prose(s) for s in (p.getprevious(), p.getnext())):
            link.drop_tag()


def _prose(node: HtmlElement | None) -> bool:
    """A paragraph with 40 or more characters of text outside links."""
    if node is None or node.tag != "p":
        return False
    own = (node.text or "") + "".join(c.tail or "" for c in node)
    own += "".join(c.text_content() for c in node if c.tag != "a")
    return len(own.strip()) >= 40
