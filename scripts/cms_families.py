"""Page families of the CMSs that real news sites run, for measuring generalisation: ten families
(WordPress, DLE/DataLife Engine, Bitrix, Drupal, Joomla, a custom portal that puts the title in a
``<p>``, Next.js whose article also sits in a JSON blob, AMP, a print view, and a page whose body
is split by ads and embeds), each serving articles with and without article metadata, with dated,
undated or no related / latest / most-read blocks beside or below them, with day-only or minute
dates, and the family's listing, tag, search, author and static pages (about, contact, advertising,
privacy, subscription: a footer "last updated" date or a top bar with today's date on them).

``family_pages(name, n_articles, seed)`` yields ``(url, html, kind, gold)``: kind one of article /
listing / other; gold, for an article, its title, paragraphs and publication day (YYYY-MM-DD).
The page classifier's rules were written before these families existed; benchmarks/
extraction_quality.py scores each family held out (``--families``)."""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from datetime import timedelta
from html import escape

from synthetic import FETCHED, MONTHS, sentence, story

FAMILIES: dict[str, str] = {  # family -> the registry host its pages are served from
    "wordpress": "publika.az",
    "dle": "sia.az",
    "bitrix": "milli.az",
    "drupal": "musavat.com",
    "joomla": "axar.az",
    "p_title": "qaynarinfo.az",
    "nextjs": "metbuat.az",
    "amp": "report.az",
    "print": "trend.az",
    "ads_split": "modern.az",
}
WEEKDAYS = ["Bazar ertəsi", "Çərşənbə axşamı", "Çərşənbə", "Cümə axşamı", "Cümə", "Şənbə", "Bazar"]
RELATED_HEADINGS = ["Digər xəbərlər", "Son xəbərlər", "Ən çox oxunanlar", "Oxşar xəbərlər", "Bu gün"]


def _day(local) -> str:
    return f"{local:%d.%m.%Y}"


def rng_choice_date(local) -> str:
    return f"{local.day} {MONTHS[local.month - 1]} {local.year}, {local:%H:%M}"


def _related(rng: random.Random, host: str, dated: bool, n: int = 7) -> str:
    """A block of other headlines (related / latest / most read), each dated or not."""
    items = []
    for _ in range(n):
        s = story(rng, rng.randint(1, 10**6))
        when = FETCHED + timedelta(hours=4) - timedelta(days=rng.randint(0, 20), minutes=rng.randint(0, 1440))
        stamp = f"<span class='date'>{_day(when) if rng.random() < 0.5 else f'{when:%H:%M}'}</span>" if dated else ""
        items.append(f"<div class='item'><a href='https://{host}/news/{rng.randint(10**5, 10**6)}'>"
                     f"{escape(s['title'])}</a>{stamp}</div>")  # fmt: skip
    heading = rng.choice(RELATED_HEADINGS)
    return f"<div class='block-{rng.randint(1, 9)}'><div class='block-title'>{heading}</div>{''.join(items)}</div>"


def _head(title: str, meta: bool, published: str, extra: str = "") -> str:
    tags = f"<title>{escape(title)}</title>{extra}"
    if meta:
        tags += (f"<meta property='og:type' content='article'><meta property='og:title' content='{escape(title)}'>"
                 f"<meta property='article:published_time' content='{published}'>")  # fmt: skip
    return f"<head><meta charset='utf-8'>{tags}</head>"


def _paras(paragraphs: list[str], tag: str = "p") -> str:
    return "".join(f"<{tag}>{escape(p)}</{tag}>" for p in paragraphs)


def _topbar(local) -> str:
    return f"<div class='topbar'><span>{WEEKDAYS[local.weekday()]}, {_day(local)}</span> <span>Bakı +5°</span></div>"


def _footer(site: str, local) -> str:
    return f"<div class='foot'>© 2012-{local.year} {escape(site)}. Son yenilənmə: {_day(local)}</div>"


# --- article bodies, one per family -----------------------------------------------------------


def _wordpress(s, site, stamp, related, ld):
    return (f"<div id='page'><header id='masthead'><a href='/'>{site}</a></header><div id='content'>"
            f"<main id='main'><article class='post type-post'><header class='entry-header'>"
            f"<h1 class='entry-title'>{escape(s['title'])}</h1><div class='entry-meta'><span class='posted-on'>"
            f"<time class='entry-date'>{stamp}</time></span></div></header><div class='entry-content'>"
            f"{_paras(s['paragraphs'])}</div></article>{related}</main></div></div>{ld}")  # fmt: skip


def _dle(s, site, stamp, related, ld):
    return (f"<div class='wrapper'><div class='header'>{site}</div><div class='content'><div id='dle-content'>"
            f"<div class='fullstory'><h1>{escape(s['title'])}</h1><div class='info'>{stamp} | "
            f"<a href='/cat/'>{s['category']}</a></div><div class='full-text'>"
            f"{'<br><br>'.join(escape(p) for p in s['paragraphs'])}</div></div>{related}</div></div></div>{ld}")  # fmt: skip


def _bitrix(s, site, stamp, related, ld):
    return (f"<div class='bx-wrapper'><div class='bx-header'>{site}</div><div class='news-detail'>"
            f"<span class='news-date-time'>{stamp}</span><h3>{escape(s['title'])}</h3>"
            f"<div class='news-detail-text'>{_paras(s['paragraphs'])}</div></div>"
            f"<div class='news-list'>{related}</div></div>{ld}")  # fmt: skip


def _drupal(s, site, stamp, related, ld):
    return (f"<div class='dialog-off-canvas-main-canvas'><div class='layout-container'><main role='main'>"
            f"<h1 class='page-title'><span>{escape(s['title'])}</span></h1><article class='node node--type-article'>"
            f"<div class='node__meta'><span class='field--name-created'>{stamp}</span></div>"
            f"<div class='node__content'><div class='field field--name-body field--type-text-with-summary'>"
            f"{_paras(s['paragraphs'])}</div></div></article></main><aside class='layout-sidebar-first'>{related}"
            f"</aside></div></div>{ld}")  # fmt: skip


def _joomla(s, site, stamp, related, ld):
    return (f"<div class='container'><div class='row'><div class='span9'><div class='item-page'>"
            f"<div class='page-header'><h2 itemprop='headline'>{escape(s['title'])}</h2></div>"
            f"<dl class='article-info'><dd class='published'>{stamp}</dd></dl><div itemprop='articleBody'>"
            f"{_paras(s['paragraphs'])}</div></div></div><div class='span3'>{related}</div></div></div>{ld}")  # fmt: skip


def _p_title(s, site, stamp, related, ld):
    """The shape that lost a whole outlet: title in a <p> inside a title div, a day only, no metadata."""
    return (f"<div class='main'><div class='logo'>{site}</div><div class='news-page'><div class='news-title'>"
            f"<p>{escape(s['title'])}</p></div><div class='news-date'>{stamp}</div><div class='news-text'>"
            f"{_paras(s['paragraphs'])}</div>{related}</div></div>{ld}")  # fmt: skip


def _nextjs(s, site, stamp, related, ld):
    blob = json.dumps({"props": {"pageProps": {"article": {"title": s["title"], "body": s["paragraphs"]}}}},
                      ensure_ascii=False)  # fmt: skip
    return (f"<div id='__next'><div class='Layout_root__x1'><header class='Header_h__a'>{site}</header>"
            f"<main class='Article_main__q2'><h1 class='Article_title__z9'>{escape(s['title'])}</h1>"
            f"<div class='Article_meta__p3'>{stamp}</div><div class='Article_body__k7'>{_paras(s['paragraphs'])}"
            f"</div></main><section class='Latest_l__m1'>{related}</section></div></div>"
            f"<script id='__NEXT_DATA__' type='application/json'>{escape(blob, quote=False)}</script>{ld}")  # fmt: skip


def _amp(s, site, stamp, related, ld):
    return (f"<header class='amp-header'>{site}</header><article class='amp-article'><h1>{escape(s['title'])}</h1>"
            f"<div class='amp-meta'>{stamp}</div><amp-img src='/a.jpg' width='600' height='400' layout='responsive'>"
            f"</amp-img>{_paras(s['paragraphs'])}</article><amp-list class='related'>{related}</amp-list>{ld}")  # fmt: skip


def _print(s, site, stamp, related, ld):
    return (f"<div class='print'><div class='print-logo'>{site}</div><h2>{escape(s['title'])}</h2>"
            f"<div class='print-date'>{stamp}</div>{_paras(s['paragraphs'])}<div class='print-url'>"
            f"Mənbə linki: https://{site.lower()}/</div></div>{related}{ld}")  # fmt: skip


def _ads_split(s, site, stamp, related, ld):
    parts = []
    for i, p in enumerate(s["paragraphs"]):
        parts.append(f"<p>{escape(p)}</p>")
        if i % 2 == 1:
            parts.append(f"<div class='ad-box'><ins class='adsbygoogle' data-slot='{i}'></ins></div>"
                         f"<blockquote class='twitter-tweet'><a href='https://x.com/a/status/{i}'>x.com</a></blockquote>"
                         f"<div class='read-also'><a href='/news/{i}'>{escape(sentence(random.Random(i))[:70])}</a></div>")  # fmt: skip
    return (f"<div class='site'><div class='head'>{site}</div><div class='post-wrap'><h1>{escape(s['title'])}</h1>"
            f"<div class='post-date'>{stamp}</div><div class='post-body'>{''.join(parts)}</div></div>{related}</div>{ld}")  # fmt: skip


ARTICLE: dict[str, Callable[..., str]] = {
    "wordpress": _wordpress, "dle": _dle, "bitrix": _bitrix, "drupal": _drupal, "joomla": _joomla,
    "p_title": _p_title, "nextjs": _nextjs, "amp": _amp, "print": _print, "ads_split": _ads_split,
}  # fmt: skip
ARTICLE_PATH = {
    "wordpress": "{slug}/", "dle": "{id}-{slug}.html", "bitrix": "news/{id}/", "drupal": "node/{id}",
    "joomla": "index.php/xeberler/{id}-{slug}", "p_title": "news.php?id={id}", "nextjs": "news/{slug}-{id}",
    "amp": "amp/news/{slug}-{id}", "print": "print/{id}", "ads_split": "{id}.html",
}  # fmt: skip


def _article(family: str, host: str, rng: random.Random, i: int) -> tuple[str, str, dict]:
    s = story(rng, 5000 * (list(FAMILIES).index(family) + 1) + i)
    when = FETCHED - timedelta(days=rng.randint(1, 200), minutes=rng.randint(0, 1440))
    local = when + timedelta(hours=4)
    meta = i % 2 == 0  # with and without article metadata, in turn
    minute = i % 3 != 0  # day-only dates on a third
    stamp = rng_choice_date(local) if minute else _day(local)
    related = {0: _related(rng, host, True), 1: _related(rng, host, False), 2: ""}[i % 3 if i % 4 else 0]
    ld = ""
    if meta and i % 4 == 0:
        ld = ("<script type='application/ld+json'>" + json.dumps({"@type": "NewsArticle", "headline": s["title"],
              "datePublished": local.strftime("%Y-%m-%dT%H:%M:00+04:00")}, ensure_ascii=False) + "</script>")  # fmt: skip
    slug = "-".join(s["title"].lower().split()[:5]).translate(str.maketrans("əıöüğşçİ", "eiougsci"))
    url = f"https://{host}/" + ARTICLE_PATH[family].format(id=100000 + i, slug=slug)
    top = _topbar(FETCHED + timedelta(hours=4)) if i % 5 == 0 else ""
    body = ARTICLE[family](s, host.split(".")[0].capitalize(), stamp, related, ld)
    head_title = host.split(".")[0].capitalize() if family == "p_title" and not meta else s["title"]  # only the site name
    html = (f"<!doctype html><html lang='az'>{_head(head_title, meta, local.strftime('%Y-%m-%dT%H:%M:00+04:00'))}"
            f"<body>{top}{body}{_footer(host, FETCHED)}</body></html>")  # fmt: skip
    gold = {"title": s["title"], "paragraphs": s["paragraphs"], "day": f"{local:%Y-%m-%d}"}
    return url, html, gold


def _teaser_list(rng: random.Random, host: str, n: int, excerpt: bool) -> str:
    items = []
    for _ in range(n):
        s = story(rng, rng.randint(1, 10**6))
        when = FETCHED + timedelta(hours=4) - timedelta(days=rng.randint(0, 30), minutes=rng.randint(0, 1440))
        ex = f"<p>{escape(' '.join(sentence(rng) for _ in range(2)))}</p>" if excerpt else ""
        items.append(f"<div class='post-item'><h3><a href='https://{host}/news/{rng.randint(10**5, 10**6)}'>"
                     f"{escape(s['title'])}</a></h3><span class='date'>{rng_choice_date(when)}</span>{ex}</div>")  # fmt: skip
    return "".join(items)


def _listing(kind: str, host: str, rng: random.Random, i: int) -> tuple[str, str]:
    site = host.split(".")[0].capitalize()
    og = "<meta property='og:type' content='article'>" if i % 3 == 0 else ""  # CMSs that print it everywhere
    heading, url = {
        "section": ("İqtisadiyyat", f"https://{host}/category/iqtisadiyyat/page/{i % 4 + 2}/"),
        "tag": ("Teq: Bakı", f"https://{host}/tag/baki"),
        "search": ("Axtarış: yol", f"https://{host}/search?q=yol"),
        "author": ("Aynur Məmmədova", f"https://{host}/author/aynur-{i}"),
        "archive": ("Arxiv", f"https://{host}/arxiv/2026-11-{i % 28 + 1:02d}"),
    }[kind]
    pager = "<div class='pagination'><a href='?page=2'>2</a> <a rel='next' href='?page=2'>Növbəti</a></div>"
    body = (f"{_topbar(FETCHED)}<div class='wrap'><h1>{escape(heading)}</h1>"
            f"{_teaser_list(rng, host, rng.randint(8, 16), excerpt=i % 2 == 0)}{pager if i % 2 else ''}</div>"
            f"{_footer(host, FETCHED)}")  # fmt: skip
    return (
        url,
        f"<!doctype html><html><head><title>{escape(heading)} - {site}</title>{og}</head><body>{body}</body></html>",
    )


STATIC = [
    ("haqqimizda", "Haqqımızda"), ("elaqe", "Əlaqə"), ("reklam", "Reklam"), ("redaksiya", "Redaksiya heyəti"),
    ("mexfilik-siyaseti", "Məxfilik siyasəti"), ("istifade-qaydalari", "İstifadə qaydaları"), ("abune", "Abunəlik"),
]  # fmt: skip


def _static(host: str, rng: random.Random, i: int) -> tuple[str, str]:
    slug, title = STATIC[i % len(STATIC)]
    site = host.split(".")[0].capitalize()
    paras = "".join(f"<p>{escape(site)} {escape(sentence(rng))}</p>" for _ in range(rng.randint(3, 6)))
    dated = [_topbar(FETCHED + timedelta(hours=4)), f"<div class='updated'>Son yenilənmə: {_day(FETCHED)}</div>", ""][
        i % 3
    ]
    og = "<meta property='og:type' content='article'>" if i % 2 else ""
    path = [f"{slug}/", f"page/{slug}", f"{slug}.html", f"az/{slug}"][i % 4]
    body = f"{dated}<div class='content'><h1>{title}</h1>{paras}</div>{_footer(host, FETCHED)}"
    return (
        f"https://{host}/{path}",
        f"<!doctype html><html><head><title>{title} | {site}</title>{og}</head><body>{body}</body></html>",
    )


def family_pages(family: str, n_articles: int = 40, seed: int = 11) -> Iterator[tuple[str, str, str, dict | None]]:
    """The family's pages: ``n_articles`` articles, then half as many listings and a static page
    of each kind, interleaved; deterministic for a seed."""
    host = FAMILIES[family]
    rng = random.Random(f"{family}-{seed}")
    kinds = ["section", "tag", "search", "author", "archive"]
    for i in range(n_articles):
        url, html, gold = _article(family, host, rng, i)
        yield url, html, "article", gold
        if i % 2 == 0:
            url, html = _listing(kinds[(i // 2) % len(kinds)], host, rng, i)
            yield url, html, "listing", None
        if i % 5 == 0:
            url, html = _static(host, rng, i // 5)
            yield url, html, "other", None
