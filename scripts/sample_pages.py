"""Page shells for the bundled sample and generated benchmark corpora.

Five shapes seen on Azerbaijani news sites: a news agency page with JSON-LD, an oxu.az-style
post-detail page with the date only in the text, an icma.az-style aggregator repost with preamble,
counters, 'Mənbə:' line and comments, a WordPress (banker.az-style) page, and a regional site with a
relative date. Plus a listing page and an empty JavaScript shell.
"""

from __future__ import annotations

import json
from html import escape

from sample_stories import SIDEBAR

NAV = ["Siyasət", "İqtisadiyyat", "Cəmiyyət", "İdman", "Dünya", "Mədəniyyət", "Regionlar"]


def _nav(site: str) -> str:
    items = "".join(f'<li><a href="/{n.lower()}">{n}</a></li>' for n in NAV)
    return (
        f'<header class="site-header"><div class="logo"><a href="/">{escape(site)}</a></div>'
        f'<nav class="main-menu"><ul>{items}</ul></nav>'
        '<div class="lang-switch"><a href="/ru/">RU</a> <a href="/en/">EN</a></div>'
        '<form class="search"><input type="text" placeholder="Axtar..."></form></header>'
    )


def _most_read(title: str = "Günün ən çox oxunanları") -> str:
    rows = "".join(
        f'<li><a href="/xeber/{i}">{escape(h)}</a><span class="date">{d}</span><span class="views">{v}</span></li>'
        for i, (h, d, v) in enumerate(SIDEBAR, start=1)
    )
    return f'<aside class="sidebar"><h3>{title}</h3><ul class="most-read">{rows}</ul></aside>'


def _footer(site: str) -> str:
    return (
        '<footer class="site-footer"><p>© 2026 ' + escape(site) + ". Bütün hüquqlar qorunur. "
        "Materiallardan istifadə zamanı hiperlinklə istinad mütləqdir.</p>"
        '<ul><li><a href="/haqqimizda">Haqqımızda</a></li><li><a href="/elaqe">Əlaqə</a></li>'
        '<li><a href="/reklam">Reklam</a></li></ul></footer>'
    )


def _paras(paragraphs: list[str]) -> str:
    return "".join(f"<p>{escape(p)}</p>" for p in paragraphs)


def _title(story: dict) -> str:
    tag = story.get("title_tag")
    return f"{story['title']} {tag}" if tag else story["title"]


def agency_page(story: dict, *, site: str, url: str, published: str, lang: str = "az") -> str:
    """News agency page: JSON-LD NewsArticle, OpenGraph, byline, tags, related news."""
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": _title(story),
        "datePublished": published,
        "dateModified": published,
        "articleSection": story.get("category"),
        "inLanguage": lang,
        "mainEntityOfPage": url,
        "publisher": {"@type": "Organization", "name": site},
    }
    if story.get("author"):
        ld["author"] = {"@type": "Person", "name": story["author"]}
    tags = "".join(f'<a class="tag" href="/tag/{escape(t)}">{escape(t)}</a>' for t in story.get("tags", []))
    byline = f'<div class="author">Müəllif: {escape(story["author"])}</div>' if story.get("author") else ""
    return f"""<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8">
<title>{escape(_title(story))} | {escape(site)}</title>
<link rel="canonical" href="{escape(url)}">
<meta property="og:type" content="article">
<meta property="og:site_name" content="{escape(site)}">
<meta property="og:title" content="{escape(_title(story))}">
<meta property="article:published_time" content="{published}">
<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>
</head><body>
{_nav(site)}
<main class="container"><div class="row"><div class="col-main">
<article class="news-content">
<div class="breadcrumb"><a href="/">Ana səhifə</a> / <a href="/cat">{escape(story.get("category") or "")}</a></div>
<h1 class="news-title">{escape(_title(story))}</h1>
<div class="news-date">{published[:10]} {published[11:16]}</div>
<div class="news-text">{_paras(story["paragraphs"])}</div>
{byline}
<div class="tags">{tags}</div>
<div class="share"><span>Paylaş:</span> <a href="#">Facebook</a> <a href="#">X</a> <a href="#">Telegram</a> <a href="#">WhatsApp</a></div>
</article>
<section class="related"><h3>Digər xəbərlər</h3><ul>
<li><a href="/r/1">Sumqayıtda yeni park istifadəyə verilib</a></li>
<li><a href="/r/2">Neftin qiyməti bahalaşıb</a></li></ul></section>
</div>{_most_read("Ən çox oxunanlar")}</div></main>
{_footer(site)}
</body></html>"""


def oxu_page(story: dict, *, url: str, date_text: str, views: int) -> str:
    """oxu.az-style post-detail page: no date meta, date as text, font buttons, share block."""
    return f"""<!doctype html>
<html lang="az"><head><meta charset="utf-8">
<title>{escape(_title(story))} - Oxu.az</title>
</head><body>
{_nav("Oxu.az")}
<div class="post-detail" data-stats-collect="1">
<div class="post-detail-header"><div class="post-detail-header-inner">
<div class="breadcrumb-area"><nav aria-label="breadcrumb"><ol class="breadcrumb">
<li class="breadcrumb-item"><a href="https://oxu.az"><span>Ana səhifə</span></a></li>
<li class="breadcrumb-item active"><a href="https://oxu.az/cemiyyet"><span>{escape(story["category"])}</span></a></li>
</ol></nav></div>
<div class="post-detail-meta"><span><i class="icon-calendar"></i> {date_text}</span>
<span><i class="icon-eye-outline"></i> <span>{views}</span></span></div></div>
<div class="post-detail-title"><h1>{escape(_title(story))}</h1></div>
<div class="post-detail-actions"><div class="c-btn-group"><button class="like-btn">12</button><button class="dislike-btn">3</button></div>
<div class="fonts-block"><button class="resize-minus">A-</button><button class="resize-plus">A+</button></div></div>
</div>
<article class="post-detail-content"><div class="post-detail-content-inner resize-area">{_paras(story["paragraphs"])}</div></article>
<div class="tag-area">{"".join(f'<div class="tag-item"><a href="/tag/{escape(t)}">{escape(t)}</a></div>' for t in story.get("tags", []))}</div>
<div class="social-block2"><div><p><b>Xəbər maraqlı gəlib?</b> Sosial şəbəkələrdə paylaşın</p>
<ul><li><a href="https://www.facebook.com/sharer/sharer.php?u={escape(url)}">Facebook</a></li>
<li><a href="https://t.me/share?url={escape(url)}">Telegram</a></li></ul></div></div>
</div>
{_most_read("Son xəbərlər")}
{_footer("Oxu.az")}
</body></html>"""


def aggregator_page(
    story: dict,
    *,
    site: str,
    source_name: str,
    source_url: str,
    archived: str,
    views: int,
    paragraphs: list[str] | None = None,
) -> str:
    """icma.az-style repost: preamble, follow-us line, view count, 'Mənbə:', archive date, comments."""
    body = [
        f"{source_name} saytından alınan məlumata görə, {site} bildirir.",
        *(paragraphs or story["paragraphs"]),
    ]
    if story.get("author"):
        body.append(story["author"])
    body.append(
        f"Ən son yeniliklər və məlumatlar üçün {site} saytını izləyin, biz hadisənin gedişatını "
        "izləyirik və ən aktual məlumatları təqdim edirik."
    )
    return f"""<!doctype html>
<html lang="az"><head><meta charset="utf-8">
<title>{escape(_title(story) if not story.get("title_tag") else f"{story['title']} ({story['title_tag']})")}</title>
<meta property="og:site_name" content="{escape(site)}">
</head><body>
<div class="top-bar"><span class="logo">{escape(site)}</span> <span>close</span> <span>up</span> <a href="/ru">RU</a></div>
<div class="page"><div class="content">
<h1 class="title">{escape(story["title"] if not story.get("title_tag") else f"{story['title']} ({story['title_tag']})")}</h1>
<div class="article-body">{_paras(body)}</div>
<div class="meta-row"><span class="icon">see</span>Baxış sayı:{views}</div>
<div class="meta-row"><span class="icon">embed</span>Mənbə:<a href="{escape(source_url)}">{escape(source_url)}</a></div>
<div class="meta-row"><span class="icon">archive</span>Bu xəbər {archived} mənbədən arxivləşdirilmişdir</div>
<div class="comments"><h4>0 Şərh</h4><p>Daxil olun, şərh yazmaq üçün...</p><p>İlk cavab verən siz olun...</p></div>
</div>
{_most_read()}
<div class="latest"><h3>Son xəbərlər</h3><p>Günün ən son və aktual hadisələri</p></div>
</div>
{_footer(site)}
</body></html>"""


def wordpress_page(
    story: dict,
    *,
    site: str,
    url: str,
    published: str,
    credit: str | None = None,
    paragraphs: list[str] | None = None,
    title: str | None = None,
) -> str:
    """banker.az-style WordPress page: meta published_time, tdb blocks, 'Mənbə: X' at the end."""
    paras = list(paragraphs or story["paragraphs"])
    tail = f"<p><strong>Mənbə: {escape(credit)}</strong></p>" if credit else ""
    head_title = title or _title(story)
    return f"""<!doctype html>
<html lang="az-AZ"><head><meta charset="UTF-8">
<title>{escape(head_title)} - {escape(site)}</title>
<link rel="canonical" href="{escape(url)}">
<meta property="og:type" content="article"><meta property="og:site_name" content="{escape(site)}">
<meta property="og:title" content="{escape(head_title)}">
<meta property="article:published_time" content="{published}">
<meta property="article:section" content="{escape(story.get("category") or "")}">
</head><body class="post-template-default single">
{_nav(site)}
<div class="td-main-content-wrap"><div class="tdb-block-inner"><h1 class="tdb-title-text">{escape(head_title)}</h1>
<div class="tdb-category"><a href="/category/x">{escape(story.get("category") or "")}</a></div>
<time class="entry-date" datetime="{published}">{published[:10]}</time></div>
<div class="tdb-block-inner td-fix-index">{_paras(paras)}{tail}</div>
<div class="td-post-sharing"><span>Paylaş</span> <a href="#">Facebook</a> <a href="#">Telegram</a></div>
<div class="td-post-next-prev"><a href="/prev">Əvvəlki xəbər</a> <a href="/next">Növbəti xəbər</a></div>
<div class="comments"><h4>Şərh yazın</h4><textarea></textarea></div>
</div>
{_most_read("Ən çox oxunanlar")}
{_footer(site)}
</body></html>"""


def regional_page(story: dict, *, site: str, date_text: str) -> str:
    """A smaller site: no metadata at all, a relative date ('dünən 14:05') next to the byline."""
    byline = f'<span class="author">{escape(story["author"])}</span>' if story.get("author") else ""
    return f"""<!doctype html>
<html><head><meta charset="utf-8"><title>{escape(_title(story))}</title></head><body>
{_nav(site)}
<div id="wrapper"><div class="news-detail">
<h1>{escape(_title(story))}</h1>
<div class="news-info">{byline} <span class="time">{date_text}</span> <span class="views">Baxış sayı: 1543</span></div>
<div class="news-body">{_paras(story["paragraphs"])}</div>
</div>{_most_read()}</div>
{_footer(site)}
</body></html>"""


def listing_page(site: str, heading: str) -> str:
    """A category listing: headlines and dates, no article."""
    rows = "".join(
        f'<div class="news-item"><a href="/xeber/{i}"><h3>{escape(h)}</h3></a><span>{d}</span></div>'
        for i, (h, d, _) in enumerate(SIDEBAR * 3, start=1)
    )
    return f"""<!doctype html>
<html lang="az"><head><meta charset="utf-8"><title>{escape(heading)} - {escape(site)}</title>
<meta property="og:type" content="website"></head><body>
{_nav(site)}<main><h1>{escape(heading)}</h1><div class="news-list">{rows}</div>
<div class="pagination"><a href="?page=2">2</a> <a href="?page=3">3</a> <a href="?page=2">Növbəti</a></div></main>
{_footer(site)}</body></html>"""


def empty_shell(site: str) -> str:
    """A JavaScript application shell: the article is loaded by script, the HTML carries nothing."""
    return f"""<!doctype html>
<html lang="az"><head><meta charset="utf-8"><title>{escape(site)}</title>
<script src="/static/js/app.8f3c2b.js" defer></script></head>
<body><noscript>Bu saytdan istifadə etmək üçün JavaScript-i aktivləşdirin.</noscript><div id="app"></div></body></html>"""
