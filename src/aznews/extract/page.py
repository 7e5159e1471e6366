"""One raw page in, one article record or one recorded drop out (``Extractor``); running it over
many pages, with the per-page deadline, is ``aznews.extract.batches``."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Generator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import trafilatura
from protego import Protego

from aznews import __version__
from aznews.extract import focus, pagekind
from aznews.extract.clean import clean_body, clean_title, credited, mend_tree, text_credits
from aznews.extract.dates import resolve_date
from aznews.extract.decode import decode_html
from aznews.extract.language import LanguageIdentifier
from aznews.extract.metadata import article_dates, byline_near, dated_teasers, heading_before, read_meta
from aznews.extract.parse import nested_too_deep, parse_html
from aznews.extract.quality import Thresholds, hard_filter, signals
from aznews.extract.scan import scan
from aznews.fetch.http import HTML_TYPES, ROBOTS_TOKEN
from aznews.fetch.warc import Page, robots_txt_host
from aznews.ledger import Drop
from aznews.limits import text_defect
from aznews.schema import schema_version
from aznews.sources.registry import Registry, load_registry
from aznews.textnorm import clean_paragraphs, fold, repair, text_sha1
from aznews.urls import article_id, canonical_url

STAGE = "extract"
CHUNK = 8  # pages extracted together (Extractor.extract_many): language ID runs on their texts in a row


class ExtractTimeout(Exception):
    pass


@dataclass(frozen=True)
class ExtractConfig:
    registry_path: Path | None = None
    timeout_s: float = 20.0
    max_html_bytes: int = 5_000_000
    thresholds: Thresholds = field(default_factory=Thresholds)
    use_htmldate: bool = True
    # trafilatura reads the region holding the article's paragraphs, not the whole page
    # (aznews.extract.focus); off, it reads the whole page: the same records, trafilatura 2-5x slower
    focus: bool = True
    # robots.txt of the input's hosts, (host, status, body): from the WARC input itself or the
    # crawler's cache; a page they disallow is dropped as robots_disallow. Off for inputs whose
    # crawler already applied robots.txt (AZNEWS_RESPECT_ROBOTS=false).
    robots: tuple[tuple[str, int, str], ...] = ()
    respect_robots: bool = True


def robots_rules(robots: dict[str, tuple[int, str]]) -> tuple[tuple[str, int, str], ...]:
    """``ExtractConfig.robots`` from a host -> (status, body) mapping."""
    return tuple((host, status, body) for host, (status, body) in sorted(robots.items()))


@contextmanager
def _deadline(seconds: float):
    """SIGALRM-based deadline; only possible on the main thread (workers run there)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def _raise(signum, frame):
        raise ExtractTimeout(f"extraction took longer than {seconds:g}s")

    previous = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class Extractor:
    """Turns ``Page``s into records; holds the registry and the language models."""

    def __init__(self, config: ExtractConfig | None = None, registry: Registry | None = None):
        self.config = config or ExtractConfig()
        self.registry = registry or load_registry(self.config.registry_path)
        self.langid = LanguageIdentifier()
        self._robots_txt = {host: (status, body) for host, status, body in self.config.robots}
        self._robots: dict[str, Protego] = {}

    def _disallowed(self, url: str) -> bool:
        if not self.config.respect_robots:
            return False
        host = urlsplit(url).netloc.lower()
        if host not in self._robots:
            if host not in self._robots_txt:
                return False
            status, body = self._robots_txt[host]
            self._robots[host] = Protego.parse(body if status < 400 else "")  # 4xx: all allowed
        return not self._robots[host].can_fetch(url, ROBOTS_TOKEN)

    def __call__(self, page: Page) -> dict[str, Any] | Drop:
        return self.extract_many([page])[0]

    def extract_many(self, pages: Sequence[Page]) -> list[dict[str, Any] | Drop]:
        """Each page's record or recorded drop, in order. Language ID runs on the pages' texts one
        after another, once every page has reached it: fastText's model stays in the CPU cache
        (1.1-1.3 ms per page between trafilatura's calls, 0.9-1.0 ms in groups of 8). A page's
        deadline (``timeout_s``) covers its work before and after, not the wait between."""
        results: list[Any] = []
        waiting: list[tuple[int, Generator[str, tuple[str, float], dict[str, Any] | Drop], Page, float]] = []
        for page in pages:
            steps = self._steps(page)
            started = time.monotonic()
            results.append(self._advance(steps, page, None, self.config.timeout_s))
            if isinstance(results[-1], str):  # the text, waiting for its language
                waiting.append((len(results) - 1, steps, page, time.monotonic() - started))
        for index, steps, page, spent in waiting:
            try:
                label: tuple[str, float] | Exception = self.langid.identify(results[index])
            except Exception as exc:  # raised where the page waits: it ends as a drop below
                label = exc
            left = max(self.config.timeout_s - spent, 0.001) if self.config.timeout_s > 0 else 0.0
            results[index] = self._advance(steps, page, label, left)
        return results

    def _advance(
        self, steps, page: Page, value: tuple[str, float] | Exception | None, seconds: float
    ) -> str | dict[str, Any] | Drop:
        """Run ``steps`` on to the text it needs a language for, or to its end: a record or a drop.
        ``seconds`` is what is left of the page's deadline; an error ends the page as a drop, never
        the group."""
        try:
            with _deadline(seconds):
                if isinstance(value, Exception):
                    return steps.throw(value)
                return steps.send(value)  # type: ignore[arg-type]  (None starts it)
        except StopIteration as done:
            return done.value
        except ExtractTimeout as exc:
            rule, detail = "timeout", str(exc)
        except RecursionError:
            rule, detail = "parse_error", "document nested too deeply"
        except Exception as exc:  # never crash the batch on one page; record it
            rule, detail = "parse_error", f"{type(exc).__name__}: {exc}"[:300]
        steps.close()
        pub = self.registry.for_url(page.url)
        return Drop(STAGE, rule, page.url, pub.id if pub else None, detail)

    def _steps(self, page: Page) -> Generator[str, tuple[str, float], dict[str, Any] | Drop]:
        """The page's extraction; it yields its cleaned text and is sent back (language, score)."""
        pub = self.registry.for_url(page.url)
        pid = pub.id if pub else None

        def drop(rule: str, detail: str = "") -> Drop:
            return Drop(STAGE, rule, page.url, pid, detail)

        if robots_txt_host(page.url):
            applied = self.config.respect_robots and bool(self._robots_txt)
            return drop("robots_txt", "applied to this host's pages" if applied else "robots.txt (not applied)")
        if page.status != 200:
            return drop("http_status", str(page.status))
        if self._disallowed(page.url):
            return drop("robots_disallow", "robots.txt in the input disallows it")
        if pub is None:
            return drop("unknown_publisher", urlsplit(page.url).netloc)
        ctype = page.content_type.split(";")[0].strip().lower()
        if ctype and ctype not in HTML_TYPES:
            return drop("not_html", ctype)
        if not pub.in_az_edition(page.url):
            return drop("not_az_edition", f"edition {pub.edition_of(page.url)}")
        if not pub.is_az_article_url(page.url):
            return drop("not_article", "URL does not match the registry's article_url")
        if len(page.body) > self.config.max_html_bytes:
            return drop("too_large", f"{len(page.body)} bytes")
        return (yield from self._extract(page, pub, drop))

    def _extract(self, page: Page, pub, drop) -> Generator[str, tuple[str, float], dict[str, Any] | Drop]:
        html, _charset = decode_html(page.body, page.content_type)
        # Parse once, as trafilatura's loader would; metadata and text both read this tree. libxml2
        # stops at a nesting depth of 256 and says so: such a page is dropped here.
        tree = parse_html(html)
        if tree is None:
            return drop("parse_error", "not parseable as HTML")
        if nested_too_deep():
            return drop("too_deep", "elements nested deeper than 256 levels")
        found = scan(tree)  # one walk over the elements both readers look at
        meta = read_meta(tree, found).repaired()  # the same tree: trafilatura extracts from its own copy
        # The page's main content: an article body, or the dated teasers around it (a listing's
        # teasers outweigh any text block; an article outweighs its related / latest blocks).
        body = focus.article_body(tree)  # the article's paragraphs' container, or None
        text_body = body if body is not None else focus.text_holder(tree)
        teasers, own_dates = dated_teasers(found, (meta.title, meta.h1))
        main_body = text_body is not None and (
            len(text_body.text_content()) > sum(len(t.text_content()) for t in teasers)
            or byline_near(own_dates, text_body)
        )
        structure = pagekind.read_structure(tree, found, meta, page.url, body=main_body)
        bylines = article_dates(own_dates, text_body)  # not a teaser's stamp; nearest the body first
        printed = heading_before(found, text_body) if main_body else None  # a title in a <p> of a title block
        if main_body:  # an article's dated links to other articles (related, latest) are never its text
            for item in teasers:
                if item.getparent() is not None and text_body not in item.iterdescendants():
                    item.drop_tree()
        if verdict := pagekind.before_extraction(structure):
            return drop(f"{verdict.kind}_page", verdict.reason)
        doc = None
        # a forum thread (JSON-LD DiscussionForumPosting, in the head) changes what trafilatura
        # prunes: it reads the whole page
        forum = "discussionforumposting" in meta.ld_types
        if self.config.focus and not forum and (region := focus.main_region(tree, body)) is not None:
            doc = _trafilatura(region, page.url)
            if doc is not None and len(doc.text or "") < focus.MIN_TEXT:
                doc = None  # short: on the whole page, trafilatura would look for more text
        if doc is None:
            doc = _trafilatura(tree, page.url)
        # the page waits for language ID with what it holds: not its tree
        del tree, found, body, text_body, teasers, own_dates
        # Mending happens on what was extracted, not on the whole page (10-20x less text).
        raw_text = repair((doc.text if doc is not None else "") or "")
        if not raw_text.strip():
            if verdict := pagekind.without_text(structure):
                return drop(f"{verdict.kind}_page", verdict.reason)
            return drop("empty", "no article text in the HTML")
        site_names = tuple(n for n in (pub.name, *pub.aliases, meta.site_name) if n)
        cleaned = clean_body(raw_text.split("\n"), pub.strip_patterns, aggregator=pub.aggregator, site_names=site_names)
        title_raw = meta.title or meta.h1 or meta.html_title or ""
        if printed and (not title_raw or fold(title_raw) in {fold(n) for n in site_names}):
            title_raw = printed  # the page's <title> is only the site's name
        title, labels = clean_title(title_raw, site_names, keep_labels=not pub.aggregator)
        heads = {fold(t) for t in (title, title_raw, meta.h1 or "") if t}
        while cleaned.paragraphs and fold(cleaned.paragraphs[0]) in heads:
            cleaned.paragraphs.pop(0)
        text = clean_paragraphs(cleaned.paragraphs)
        if not text:
            return drop("empty", "nothing left after removing boilerplate")
        if verdict := pagekind.after_extraction(structure, raw_text.split("\n")):
            return drop(f"{verdict.kind}_page", verdict.reason)

        language, lang_score = yield text
        if language != "az":
            return drop("language", f"{language} ({lang_score:.2f})")
        sig = signals(text)
        if failed := hard_filter(sig, self.config.thresholds) or text_defect(text):
            return drop(*failed)

        if not title:
            return drop("no_title")
        # a credit line outside the extracted text is read from the page: its outlet, not the line
        credits = cleaned.credits + [credited(line) or line for line in meta.credit_lines]
        credits += text_credits(cleaned.paragraphs, lambda name: self.registry.resolve_credit(name) is not None)
        original = self._original_publisher(credits, pub.id)
        date = resolve_date(
            jsonld=meta.date_jsonld,
            meta=meta.date_meta,
            html=html,
            date_texts=bylines,
            fetched_at=page.fetched_at,
            use_htmldate=self.config.use_htmldate,
        )
        if not (verdict := pagekind.final(structure, dated=date.value is not None)).is_article:
            return drop(f"{verdict.kind}_page", verdict.reason)
        canonical = self._canonical(page.url, meta.canonical, pub)
        authors = _unique([a.strip() for a in (meta.authors or cleaned.authors) if a.strip()])
        tags = _unique([t for t in meta.tags if t] + labels)
        return {
            "id": article_id(canonical),
            "url": page.url,
            "canonical_url": canonical,
            "publisher": pub.id,
            "site_name": meta.site_name or pub.name,
            "title": title,
            "text": text,
            "authors": authors,
            "published_at": date.value,
            "date_source": date.source,
            "date_rejected": date.rejected,  # transient: counted by the flow, not published
            "category": (meta.category or None),
            "tags": tags,
            "language": language,
            "language_score": round(lang_score, 4),
            "original_publisher": original,
            "fetched_at": page.fetched_at.astimezone(UTC),
            "warc_file": page.warc_file,
            "warc_record_id": page.warc_record_id,
            "text_sha1": text_sha1(text),
            "cluster_id": article_id(canonical),
            "cluster_size": 1,
            "duplicate_urls": [],
            "duplicate_publishers": [],
            "split": "train",
            **sig.as_columns(),
            "schema_version": schema_version(),
            "pipeline_version": __version__,
        }

    def _original_publisher(self, credits: list[str], own: str) -> str | None:
        for credit in credits:
            credit = credit.strip()
            rid = self.registry.resolve_credit(credit)
            if rid == own:
                continue
            if rid:
                return rid
            host = urlsplit(credit).netloc if "://" in credit else ""
            name = host.removeprefix("www.") if host else credit.strip(" .")  # as printed
            if name:
                return name[:80]
        return None

    def _canonical(self, url: str, declared: str | None, pub) -> str:
        if declared:
            absolute = urljoin(url, declared)
            if pub.owns_host(urlsplit(absolute).netloc):
                return canonical_url(absolute)
        return canonical_url(url)


# what the stage asks of trafilatura: the main text only, precision first, no fallback extractors
TRAFILATURA_OPTIONS: dict[str, bool] = dict(
    with_metadata=False,
    favor_precision=True,
    include_comments=False,
    include_tables=False,
    deduplicate=False,
    fast=True,
)


def _trafilatura(tree, url: str):
    """trafilatura's main text of ``tree`` (mended first; see mend_tree), with the stage's options."""
    mend_tree(tree)
    return trafilatura.bare_extraction(tree, url=url, **TRAFILATURA_OPTIONS)


def _unique(items: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        key = fold(item)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out
