"""A mixed web of article and non-article pages, as a crawler or CC-NEWS finds them.

Besides the five article shapes (scripts/synthetic.py, light and real-weight), outlets serve home
pages, section listings (with and without excerpts, paginated, some with a lying og:type=article),
tag, search, author and date-archive pages, and static pages. ``web(n)`` yields
``(url, html, kind)`` with kind one of article / listing / home / other: the labels the page
classifier is scored against (tests/extract/test_pagekind.py, benchmarks/extraction_quality.py).
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Iterator
from datetime import timedelta
from html import escape
from pathlib import Path
from urllib.parse import quote

import sample_pages as shapes
import yaml
from synthetic import FETCHED, MONTHS, page_html, sentence, story, with_bulk

from aznews.fetch.warc import WarcSink
from aznews.sources import load_registry

HOSTS = ["apa.az", "report.az", "oxu.az", "modern.az", "musavat.com", "axar.az", "publika.az", "sia.az"]
SECTIONS = ["siyaset", "iqtisadiyyat", "cemiyyet", "idman", "dunya", "medeniyyet", "regionlar"]


def _when(rng: random.Random) -> str:
    local = FETCHED + timedelta(hours=4) - timedelta(days=rng.randint(0, 30), minutes=rng.randint(0, 1440))
    return rng.choice(
        [
            f"{local:%d.%m.%Y %H:%M}",
            f"{local.day} {MONTHS[local.month - 1]} {local.year}, {local:%H:%M}",
            f"{local:%H:%M}",
        ]
    )


def _teaser(rng: random.Random, host: str, *, excerpt: bool, style: int) -> str:
    s = story(rng, rng.randint(1, 10**6))
    href = f"https://{host}/{rng.choice(SECTIONS)}/{rng.randint(100000, 999999)}"
    title = escape(s["title"])
    text = escape(" ".join(sentence(rng) for _ in range(rng.randint(1, 3)))) if excerpt else ""
    when = _when(rng)
    if style == 0:
        ex = f"<p class='excerpt'>{text}</p>" if text else ""
        return f'<div class="news-item"><a href="{href}"><h3>{title}</h3></a><span class="date">{when}</span>{ex}</div>'
    if style == 1:
        ex = f"<p>{text}</p>" if text else ""
        return f'<article class="post"><h2 class="entry-title"><a href="{href}">{title}</a></h2><time>{when}</time>{ex}</article>'
    ex = f"<div class='lead'>{text}</div>" if text else ""
    return f'<li class="list-item"><a class="title" href="{href}">{title}</a> <em>{when}</em>{ex}</li>'


def _teasers(rng: random.Random, host: str, n: int, *, excerpt: bool, style: int) -> str:
    items = "".join(_teaser(rng, host, excerpt=excerpt, style=style) for _ in range(n))
    return f"<ul class='news-list'>{items}</ul>" if style == 2 else f"<div class='news-list'>{items}</div>"


def _page(site: str, title: str, body: str, *, og: str | None, ld: dict | None = None, extra_head: str = "") -> str:
    head = f'<meta property="og:type" content="{og}">' if og else ""
    if ld:
        head += f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>'
    return f"""<!doctype html>
<html lang="az"><head><meta charset="utf-8"><title>{escape(title)} - {escape(site)}</title>
<meta property="og:site_name" content="{escape(site)}">{head}{extra_head}</head><body>
{shapes._nav(site)}<main class="container">{body}</main>{shapes._most_read()}{shapes._footer(site)}</body></html>"""


def _pagination(page: int) -> str:
    return (
        f'<div class="pagination"><a href="?page={max(1, page - 1)}">«</a> <a href="?page={page}">{page}</a> '
        f'<a href="?page={page + 1}">{page + 1}</a> <a href="?page={page + 1}">Növbəti</a></div>'
    )


def section_listing(rng: random.Random, host: str, site: str) -> tuple[str, str]:
    section = rng.choice(SECTIONS)
    page = rng.randint(1, 40)
    paged = rng.random() < 0.6
    url = f"https://{host}/{section}" + (f"?page={page}" if paged else "")
    og = rng.choice(["website", None, "article"])  # some CMSs say "article" on every page
    body = (
        f"<h1>{section.capitalize()}</h1>"
        + _teasers(rng, host, rng.randint(8, 24), excerpt=rng.random() < 0.7, style=rng.randrange(3))
        + (_pagination(page) if paged or rng.random() < 0.5 else "")
    )
    return url, _page(site, section.capitalize(), body, og=og)


def tag_page(rng: random.Random, host: str, site: str) -> tuple[str, str]:
    tag = rng.choice(["Bakı", "iqtisadiyyat", "nəqliyyat", "hava", "təhsil", "idman", "Qarabağ"])
    url = f"https://{host}/{rng.choice(['tag', 'tags', 'teq', 'etiket'])}/{quote(tag.lower())}"
    body = f"<h1>#{escape(tag)}</h1>" + _teasers(rng, host, rng.randint(5, 20), excerpt=False, style=rng.randrange(3))
    return url, _page(site, tag, body, og=rng.choice(["website", None]))


def home_page(rng: random.Random, host: str, site: str) -> tuple[str, str]:
    url = rng.choice([f"https://{host}/", f"https://{host}/az", f"https://{host}/az/"])
    hero = story(rng, rng.randint(1, 10**6))
    body = (
        f'<section class="hero"><a href="https://{host}/cemiyyet/{rng.randint(10**5, 10**6)}"><h2>{escape(hero["title"])}</h2></a>'
        f"<p>{escape(hero['paragraphs'][0])}</p></section>"
    )
    for section in rng.sample(SECTIONS, 4):
        body += f"<section class='block'><h2>{section.capitalize()}</h2>"
        body += (
            _teasers(rng, host, rng.randint(4, 8), excerpt=rng.random() < 0.5, style=rng.randrange(3)) + "</section>"
        )
    ld = {"@context": "https://schema.org", "@type": "WebSite", "name": site, "url": f"https://{host}/"}
    return url, _page(site, site, body, og="website", ld=ld if rng.random() < 0.5 else None)


def search_page(rng: random.Random, host: str, site: str) -> tuple[str, str]:
    q = rng.choice(["metro", "bank", "hava", "futbol"])
    url = f"https://{host}/{rng.choice(['az/search/', 'axtar', 'search'])}?{rng.choice(['query', 'q', 'text'])}={q}"
    body = f"<h1>Axtarış: {q}</h1><p>{rng.randint(3, 900)} nəticə tapıldı</p>" + _teasers(
        rng, host, rng.randint(5, 15), excerpt=True, style=rng.randrange(3)
    )
    ld = {"@context": "https://schema.org", "@type": "SearchResultsPage"}
    return url, _page(site, f"Axtarış: {q}", body, og=None, ld=ld if rng.random() < 0.5 else None)


def author_page(rng: random.Random, host: str, site: str) -> tuple[str, str]:
    name = rng.choice(["Aynur Məmmədova", "Elvin Qasımov", "Fərid Hüseynli"])
    url = f"https://{host}/author/{name.split()[0].lower()}"
    bio = " ".join(sentence(rng) for _ in range(3))
    body = (
        f"<h1>{escape(name)}</h1><div class='bio'><p>{escape(bio)}</p></div>"
        + _teasers(rng, host, rng.randint(6, 14), excerpt=rng.random() < 0.5, style=rng.randrange(3))
        + _pagination(1)
    )
    ld = {"@context": "https://schema.org", "@type": "ProfilePage", "name": name}
    return url, _page(site, name, body, og="profile", ld=ld if rng.random() < 0.5 else None)


def archive_page(rng: random.Random, host: str, site: str) -> tuple[str, str]:
    day = FETCHED - timedelta(days=rng.randint(1, 300))
    url = f"https://{host}/{rng.choice(['arxiv', 'archive', 'az/news/archive'])}/{day:%Y-%m-%d}"
    body = f"<h1>{day.day} {MONTHS[day.month - 1]} {day.year} xəbərləri</h1>" + _teasers(
        rng, host, rng.randint(10, 30), excerpt=False, style=rng.randrange(3)
    )
    return url, _page(site, "Arxiv", body, og=None)


def static_page(rng: random.Random, host: str, site: str) -> tuple[str, str]:
    slug, title = rng.choice([("haqqimizda", "Haqqımızda"), ("elaqe", "Əlaqə"), ("reklam", "Reklam")])
    paras = "".join(f"<p>{escape(site)} {escape(sentence(rng))}</p>" for _ in range(rng.randint(3, 6)))
    body = f"<h1>{title}</h1><div class='page-content'>{paras}<p>Telefon: (012) 555-{rng.randint(10, 99)}-{rng.randint(10, 99)}</p></div>"
    return f"https://{host}/{slug}", _page(site, title, body, og=rng.choice(["website", None]))


NON_ARTICLES = {
    "listing": (section_listing, tag_page, search_page, author_page, archive_page),
    "home": (home_page,),
    "other": (static_page,),
}


def web(n_articles: int = 300, seed: int = 5) -> Iterator[tuple[str, str, str]]:
    """``n_articles`` article pages (five shapes, light and real weight) and about half as many
    non-article pages of every kind, interleaved; deterministic for a seed."""
    rng = random.Random(seed)
    kinds = [(kind, make) for kind, makers in NON_ARTICLES.items() for make in makers]
    for i in range(n_articles):
        url, html = page_html(i, rng)
        yield url, with_bulk(html, rng, rng.choice(["light", "real"])) if i % 3 == 0 else html, "article"
        if i % 2 == 0:
            kind, make = kinds[(i // 2) % len(kinds)]
            host = rng.choice(HOSTS)
            url, html = make(rng, host, host.split(".")[0].capitalize())
            yield url, with_bulk(html, rng, "light") if i % 6 == 0 else html, kind


def zero_config_registry(path: Path) -> Path:
    """The bundled outlets with only id, name, domains and homepage: no editions, no patterns."""
    entries = [{"id": p.id, "name": p.name, "domains": p.domains, "homepage": p.homepage} for p in load_registry()]
    path.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    return path


def write_warc(directory: Path, pages: Iterable[tuple[str, str | bytes, str]]) -> Path:
    """One WARC of 200 responses ``(url, body, content type)``, fetched at FETCHED."""
    sink = WarcSink(directory, prefix="kinds")
    for i, (url, body, ctype) in enumerate(pages):
        raw = body.encode() if isinstance(body, str) else body
        sink.write(url, 200, "OK", [("Content-Type", ctype)], raw, FETCHED, record_key=f"k{i}")
    sink.close()
    return sink.files[0]
