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
from collections.abc import Iterator
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


def _teasers(rng: random.Random, host: str, n: int, *, days: int, stamp=None, excerpt: bool = False,
             item: str = "item", head: str | None = None) -> str:  # fmt: skip
    """``n`` teasers: a headline link each (in ``head`` when given), a stamp made by ``stamp(rng,
    when)`` (none without it) and a two-sentence excerpt when asked."""
    items = []
    for _ in range(n):
        s = story(rng, rng.randint(1, 10**6))
        when = FETCHED + timedelta(hours=4) - timedelta(days=rng.randint(0, days), minutes=rng.randint(0, 1440))
        link = f"<a href='https://{host}/news/{rng.randint(10**5, 10**6)}'>{escape(s['title'])}</a>"
        link = f"<{head}>{link}</{head}>" if head else link
        dated = f"<span class='date'>{stamp(rng, when)}</span>" if stamp else ""
        ex = f"<p>{escape(' '.join(sentence(rng) for _ in range(2)))}</p>" if excerpt else ""
        items.append(f"<div class='{item}'>{link}{dated}{ex}</div>")
    return "".join(items)


def _related(rng: random.Random, host: str, dated: bool, n: int = 7) -> str:
    """A block of other headlines (related / latest / most read), each dated or not."""
    stamp = (lambda r, when: _day(when) if r.random() < 0.5 else f"{when:%H:%M}") if dated else None
    heading = rng.choice(RELATED_HEADINGS)
    items = _teasers(rng, host, n, days=20, stamp=stamp)
    return f"<div class='block-{rng.randint(1, 9)}'><div class='block-title'>{heading}</div>{items}</div>"


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


# --- article bodies, one template per family (fields: site, title, stamp, paras, br, related,
# ld, category, blob, split) ------------------------------------------------------------------

ARTICLE: dict[str, str] = {
    "wordpress": "<div id='page'><header id='masthead'><a href='/'>{site}</a></header><div id='content'><main id='main'><article class='post type-post'><header class='entry-header'><h1 class='entry-title'>{title}</h1><div class='entry-meta'><span class='posted-on'><time class='entry-date'>{stamp}</time></span></div></header><div class='entry-content'>{paras}</div></article>{related}</main></div></div>{ld}",
    "dle": "<div class='wrapper'><div class='header'>{site}</div><div class='content'><div id='dle-content'><div class='fullstory'><h1>{title}</h1><div class='info'>{stamp} | <a href='/cat/'>{category}</a></div><div class='full-text'>{br}</div></div>{related}</div></div></div>{ld}",
    "bitrix": "<div class='bx-wrapper'><div class='bx-header'>{site}</div><div class='news-detail'><span class='news-date-time'>{stamp}</span><h3>{title}</h3><div class='news-detail-text'>{paras}</div></div><div class='news-list'>{related}</div></div>{ld}",
    "drupal": "<div class='dialog-off-canvas-main-canvas'><div class='layout-container'><main role='main'><h1 class='page-title'><span>{title}</span></h1><article class='node node--type-article'><div class='node__meta'><span class='field--name-created'>{stamp}</span></div><div class='node__content'><div class='field field--name-body field--type-text-with-summary'>{paras}</div></div></article></main><aside class='layout-sidebar-first'>{related}</aside></div></div>{ld}",
    "joomla": "<div class='container'><div class='row'><div class='span9'><div class='item-page'><div class='page-header'><h2 itemprop='headline'>{title}</h2></div><dl class='article-info'><dd class='published'>{stamp}</dd></dl><div itemprop='articleBody'>{paras}</div></div></div><div class='span3'>{related}</div></div></div>{ld}",
    # the shape that lost a whole outlet: title in a <p> inside a title div, a day only, no metadata
    "p_title": "<div class='main'><div class='logo'>{site}</div><div class='news-page'><div class='news-title'><p>{title}</p></div><div class='news-date'>{stamp}</div><div class='news-text'>{paras}</div>{related}</div></div>{ld}",
    "nextjs": "<div id='__next'><div class='Layout_root__x1'><header class='Header_h__a'>{site}</header><main class='Article_main__q2'><h1 class='Article_title__z9'>{title}</h1><div class='Article_meta__p3'>{stamp}</div><div class='Article_body__k7'>{paras}</div></main><section class='Latest_l__m1'>{related}</section></div></div><script id='__NEXT_DATA__' type='application/json'>{blob}</script>{ld}",
    "amp": "<header class='amp-header'>{site}</header><article class='amp-article'><h1>{title}</h1><div class='amp-meta'>{stamp}</div><amp-img src='/a.jpg' width='600' height='400' layout='responsive'></amp-img>{paras}</article><amp-list class='related'>{related}</amp-list>{ld}",
    "print": "<div class='print'><div class='print-logo'>{site}</div><h2>{title}</h2><div class='print-date'>{stamp}</div>{paras}<div class='print-url'>Mənbə linki: https://{site}/</div></div>{related}{ld}",
    "ads_split": "<div class='site'><div class='head'>{site}</div><div class='post-wrap'><h1>{title}</h1><div class='post-date'>{stamp}</div><div class='post-body'>{split}</div></div>{related}</div>{ld}",
}


def _split_by_ads(paragraphs: list[str]) -> str:
    """Paragraphs with an ad slot, an embedded post and a "read also" link after every second one."""
    parts = []
    for i, p in enumerate(paragraphs):
        parts.append(f"<p>{escape(p)}</p>")
        if i % 2 == 1:
            parts.append(f"<div class='ad-box'><ins class='adsbygoogle' data-slot='{i}'></ins></div>"
                         f"<blockquote class='twitter-tweet'><a href='https://x.com/a/status/{i}'>x.com</a></blockquote>"
                         f"<div class='read-also'><a href='/news/{i}'>{escape(sentence(random.Random(i))[:70])}</a></div>")  # fmt: skip
    return "".join(parts)


def _body(family: str, s: dict, site: str, stamp: str, related: str, ld: str) -> str:
    blob = json.dumps({"props": {"pageProps": {"article": {"title": s["title"], "body": s["paragraphs"]}}}},
                      ensure_ascii=False)  # fmt: skip
    return ARTICLE[family].format(
        site=site, title=escape(s["title"]), stamp=stamp, related=related, ld=ld, category=s["category"],
        paras=_paras(s["paragraphs"]), br="<br><br>".join(escape(p) for p in s["paragraphs"]),
        blob=escape(blob, quote=False), split=_split_by_ads(s["paragraphs"]) if family == "ads_split" else "",
    )  # fmt: skip


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
    body = _body(family, s, host.split(".")[0].capitalize(), stamp, related, ld)
    head_title = (
        host.split(".")[0].capitalize() if family == "p_title" and not meta else s["title"]
    )  # only the site name
    html = (f"<!doctype html><html lang='az'>{_head(head_title, meta, local.strftime('%Y-%m-%dT%H:%M:00+04:00'))}"
            f"<body>{top}{body}{_footer(host, FETCHED)}</body></html>")  # fmt: skip
    gold = {"title": s["title"], "paragraphs": s["paragraphs"], "day": f"{local:%Y-%m-%d}"}
    return url, html, gold


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
            f"{_teasers(rng, host, rng.randint(8, 16), days=30, stamp=lambda r, w: rng_choice_date(w), excerpt=i % 2 == 0, item='post-item', head='h3')}{pager if i % 2 else ''}</div>"
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
