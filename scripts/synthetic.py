"""Synthetic Azerbaijani news text: sentences recombined from the bundled sample's own stories
(scripts/sample_stories.py) with numbers, places and content words varied, so every article is
distinct yet reads like the real thing. No real article text."""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime, timedelta

import sample_pages as shapes
import sample_stories as stories

from aznews.extract.dates import AZ_MONTHS as MONTHS

_STORIES = [
    stories.METRO,
    stories.RATE,
    stories.WIND,
    stories.PLANE_TREE,
    stories.FOOTBALL,
    stories.CARDS,
    stories.SHEKI,
]
SENTENCES = [s for st in _STORIES for p in st["paragraphs"] for s in re.split(r"(?<=[.!?])\s+", p) if len(s) > 30]
PLACES = ["Bakı", "Gəncə", "Sumqayıt", "Şəki", "Lənkəran", "Quba", "Şamaxı", "Naxçıvan", "Qəbələ", "Mingəçevir"]
FETCHED = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
WORDS = sorted({w for s in SENTENCES for w in re.findall(r"\w{6,}", s)})


def sentence(rng: random.Random) -> str:
    s = rng.choice(SENTENCES)
    s = re.sub(r"\d+", lambda _: str(rng.randint(2, 9999)), s)
    words = s.split()
    for _ in range(3):  # vary a few content words so no two articles repeat each other
        i = rng.randrange(len(words))
        if len(words[i]) > 5 and words[i].isalpha():
            words[i] = rng.choice(WORDS)
    return f"{rng.choice(PLACES)} ətrafında " + " ".join(words) if rng.random() < 0.2 else " ".join(words)


def article_text(rng: random.Random, chars: int = 3000) -> list[str]:
    """Paragraphs of about ``chars`` characters in total."""
    paras, total = [], 0
    while total < chars:
        para = " ".join(sentence(rng) for _ in range(rng.randint(2, 4)))
        paras.append(para)
        total += len(para) + 2
    return paras


def story(rng: random.Random, i: int) -> dict:
    title = " ".join(sentence(rng).split()[: rng.randint(5, 9)]).rstrip(".,")
    return {
        "title": f"{title} {i}",
        "category": rng.choice(["Cəmiyyət", "İqtisadiyyat", "Regionlar", "İdman"]),
        "author": rng.choice([None, "Aynur Məmmədova", "Elvin Qasımov", "Fərid Hüseynli"]),
        "tags": rng.sample(["Bakı", "iqtisadiyyat", "nəqliyyat", "hava", "təhsil", "idman"], 2),
        "paragraphs": article_text(rng, rng.randint(1500, 4500)),
        "title_tag": rng.choice([None, None, None, "FOTO", "VİDEO"]),
    }


def page_html(i: int, rng: random.Random) -> tuple[str, str]:
    """(url, html) of the i-th page; five shapes in turn."""
    article = story(rng, i)
    when = FETCHED - timedelta(days=rng.randint(1, 300), minutes=rng.randint(0, 1440))
    local = when + timedelta(hours=4)
    text_date = f"{local.day} {MONTHS[local.month - 1]}, {local.year} / {local:%H:%M}"
    shape = i % 5
    if shape == 0:
        url = f"https://apa.az/cemiyyet/{800000 + i}"
        return url, shapes.agency_page(
            article, site="APA", url=url, published=local.strftime("%Y-%m-%dT%H:%M:00+04:00")
        )
    if shape == 1:
        url = f"https://oxu.az/cemiyyet/xeber-{i}"
        return url, shapes.oxu_page(article, url=url, date_text=text_date, views=rng.randint(10, 9000))
    if shape == 2:
        url = f"https://icma.az/az/cemiyyet/{100000 + i}"
        html = shapes.aggregator_page(
            article,
            site="Icma.az",
            source_name="Qaynarinfo",
            source_url=f"https://qaynarinfo.az/az/x-{i}/",
            archived=text_date.replace(",", "").replace(" /", ""),
            views=rng.randint(10, 900),
        )
        return url, html
    if shape == 3:
        url = f"https://banker.az/xeber-{i}/"
        return url, shapes.wordpress_page(
            article,
            site="Banker.az",
            url=url,
            published=local.strftime("%Y-%m-%dT%H:%M:00+04:00"),
            credit=rng.choice([None, "APA", "Report"]),
        )
    url = f"https://qafqazinfo.az/news/detail/xeber-{200000 + i}"
    return url, shapes.regional_page(article, site="Qafqazinfo", date_text=text_date)


# Real Azerbaijani news pages weigh 100-300 KB: inline scripts, styles and state, a mega-menu, ad
# slots, grids of related-news teasers, "latest news" lists, link-farm footers. "light" pages keep
# only some of it (~45 KB); "real" pages (~130 KB) are closer to what the crawler stores.
_HEAD_BULK = (
    "<style>"
    + "".join(f".c{i}{{margin:{i % 9}px;padding:{i % 7}px;color:#{i:06x}}}" for i in range(300))
    + "</style>"
    + "<script>window.dataLayer=window.dataLayer||[];"
    + "".join(f"function f{i}(a){{return a*{i}+1}}" for i in range(600))
    + "</script>"
)
_MENU = (
    '<div class="mega-menu"><ul>'
    + "".join(f'<li><a href="/kateqoriya/{i}">{shapes.NAV[i % len(shapes.NAV)]} {i}</a></li>' for i in range(120))
    + "</ul></div>"
    + "".join(f'<div class="ad-slot" id="ad{i}"><ins data-ad="{i}"></ins></div>' for i in range(6))
)
_STATE = (
    "<script>window.__STATE__="
    + "["
    + ",".join(f'{{"id":{i},"title":"Xəbər başlığı {i}","url":"/xeber/{i}","views":{i * 7}}}' for i in range(700))
    + "]</script>"
)
_SVG = '<svg class="icon" viewBox="0 0 24 24"><path d="M12 2L2 7l10 5 10-5-10-5zm0 7.5L4.5 6 12 2.5 19.5 6 12 9.5z"/></svg>'


def _teasers(rng: random.Random) -> str:
    cards = "".join(
        f'<div class="card"><a href="/xeber/{rng.randint(1, 99999)}"><img src="/img/{i}.webp" alt="">'
        f'<h4>{" ".join(rng.choice(WORDS) for _ in range(6))}</h4></a><span class="card-date">{rng.randint(1, 28)}.11.2026</span>{_SVG}</div>'
        for i in range(40)
    )
    latest = "".join(
        f'<li><a href="/xeber/{rng.randint(1, 99999)}">{" ".join(rng.choice(WORDS) for _ in range(7))}</a><time>{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}</time></li>'
        for _ in range(60)
    )
    links = "".join(f'<a href="/etiket/{w}">{w}</a> ' for w in rng.sample(WORDS, min(150, len(WORDS))))
    return (
        f'<section class="related-grid"><h3>Oxşar xəbərlər</h3>{cards}</section>'
        f'<aside class="latest-news"><h3>Son xəbərlər</h3><ul>{latest}</ul></aside>'
        f'<div class="footer-links">{links}</div>'
    )


def with_bulk(html: str, rng: random.Random, weight: str = "real") -> str:
    head = _HEAD_BULK + (_STATE if weight == "real" else "")
    html = html.replace("</head>", head + "</head>", 1)
    html = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + _MENU, html, count=1)
    if weight == "real":
        html = html.replace("</body>", _teasers(rng) + "</body>", 1)
    return html
