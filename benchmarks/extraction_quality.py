"""Extraction quality against real pages (../shared/data/real; skipped when absent).

    python benchmarks/extraction_quality.py [--real DIR] [--show N] [--pages N]

* banker.az: the 100 real article bodies (``content_html``, as served) are placed into full
  banker.az-style page shells (header with today's date, navigation, share buttons, "Mənbə:" credit,
  tags, related news, most-read sidebar, footer). The date is given three ways in turn: JSON-LD,
  ``article:published_time`` meta, and byline text only ("24 avqust 2025, 11:03").
* icma.az: the same bodies reposted by an aggregator shaped like ../shared/seed (preamble
  "Banker.az saytından alınan məlumata görə, Icma.az bildirir.", follow-us line, view count,
  "Mənbə:" link, archive date, comments); the credit must map to ``banker``.
* oxu.az: the real trimmed page, checked against its gold (must include / must exclude strings).
* CMS families (always run, generated; ``--family-articles``): ten families of page shapes the
  classifier was not written from (scripts/cms_families.py: WordPress, DLE, Bitrix, Drupal,
  Joomla, a title-in-<p> portal, Next.js, AMP, print views, ad-split bodies), each with its
  listing and static pages. Leave one family out: the classifier's thresholds (``GRID``) are
  chosen on the other nine and scored on the held-out one; prints precision, recall, body F1,
  title and date per family (target >= 0.99 precision and recall on every family).
* zero-config WARC (always run, generated): a WARC of article pages among listing, home, tag,
  search, author, archive and static pages (scripts/page_kinds.py), plus pages under a path the
  WARC's own robots.txt disallows, read with a registry that gives only each outlet's id, name,
  domain and homepage. Prints corpus precision and recall (target >= 0.99 each) and the drops per
  rule.

Prints token-level body F1 (Turkic-folded word tokens, multiset), title exact match, date exact
match (to the minute, UTC) and original-publisher accuracy. Targets: F1 >= 0.95, title >= 0.98,
date >= 0.98, every oxu "must exclude" string absent. Exit code 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from datetime import UTC, datetime
from html import escape
from pathlib import Path

from lxml import html as lxml_html

from aznews.extract import Extractor
from aznews.extract.clean import rules
from aznews.extract.dates import AZ_MONTHS
from aznews.fetch.warc import Page
from aznews.ledger import Drop
from aznews.textnorm import words

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from page_kinds import web, write_warc, zero_config_registry  # noqa: E402
from sample_pages import aggregator_page  # noqa: E402

DEFAULT_REAL = ROOT.parent / "shared" / "data" / "real"
FETCHED = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
OXU_GOLD = {
    "url": "https://oxu.az/dunya/alyaskada-yoxa-cixan-teyyareden-xeber-var",
    "title": "Alyaskada yoxa çıxan təyyarədən xəbər var",
    "published_at": "2025-02-08T05:22",  # 08 fevral, 2025 / 09:22 Baku time
    "includes": [
        "Dünən Alyaskada radarların ekranından itən",
        "hava gəmisinin göyərtəsində olanların hamısı həlak olub",
        'Xatırladaq ki, "Cessna 208B Grand Caravan"',
    ],
    "excludes": ["A-", "A+"],
}
BLOCKS = ("p", "li", "h2", "h3", "h4", "blockquote")


def gold_body(fragment: str) -> str:
    """Reference text of a served body fragment: its block elements' text, one per paragraph."""
    tree = lxml_html.fromstring(fragment)
    blocks = [b for b in tree.iter(*BLOCKS) if not any(a.tag in BLOCKS for a in b.iterancestors())]
    return "\n\n".join(t for b in blocks if (t := " ".join(b.text_content().split())))


def f1(pred: str, gold: str) -> float:
    p, g = Counter(words(pred)), Counter(words(gold))
    overlap = sum((p & g).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(p.values()), overlap / sum(g.values())
    return 2 * precision * recall / (precision + recall)


def expected_title(title: str) -> str:
    """The gold title as the spec wants it: a trailing capitalised label moves to tags."""
    m = re.search(r"\s+[–—-]\s+(\S+)$", title) or re.search(r"\s+(\S+)$", title)
    if m and m.group(1) in rules().labels:
        return title[: m.start()].rstrip()
    return title


def banker_shell(article: dict, variant: int) -> str:
    """A banker.az WordPress (tagDiv) page around the served body fragment."""
    body = lxml_html.tostring(lxml_html.fromstring(article["content_html"]).find(".//div"), encoding="unicode")
    published = datetime.fromisoformat(article["date_iso"])
    title = article["title"]
    head = [f"<title>{escape(title)} - Banker.az</title>", f'<meta property="og:title" content="{escape(title)}">']
    head.append('<meta property="og:type" content="article"><meta property="og:site_name" content="Banker.az">')
    if variant == 0:
        ld = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": title,
            "datePublished": published.isoformat(),
            "author": {"@type": "Organization", "name": "Banker.az"},
        }
        head.append(f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>')
    elif variant == 1:
        head.append(f'<meta property="article:published_time" content="{published.isoformat()}">')
    byline = f"{published.day} {AZ_MONTHS[published.month - 1]} {published.year}, {published:%H:%M}"
    credit = (
        f'<p class="source"><strong>Mənbə: {escape(article["source"])}</strong></p>' if article.get("source") else ""
    )
    tags = "".join(f'<a href="/tag/{escape(t)}">{escape(t)}</a>' for t in article.get("tags") or [])
    related = "".join(
        f'<li><a href="/r/{i}">Bankların kredit portfeli artıb {i}</a><span>23.11.2026</span></li>' for i in range(6)
    )
    return f"""<!doctype html><html lang="az"><head><meta charset="UTF-8">{"".join(head)}
<link rel="canonical" href="{escape(article["url"])}"></head>
<body class="post-template-default single">
<div class="td-header-top"><span class="td-date">24.11.2026</span> <a href="/ru/">RU</a>
<ul class="menu"><li><a href="/bank">Bank xəbərləri</a></li><li><a href="/vergi">Vergi xəbərləri</a></li>
<li><a href="/tehsil">Təhsil</a></li><li><a href="/diger">Digər xəbərlər</a></li></ul></div>
<div class="td-main-content-wrap"><div class="tdb-block-inner"><div class="tdb-category">
<a href="/category/x">{escape(article.get("category") or "")}</a></div>
<h1 class="tdb-title-text">{escape(title)}</h1>
<div class="tdb-post-meta"><span class="td-post-date">{byline}</span> <span class="views">1432</span></div>
<div class="td-post-sharing"><span>Paylaş:</span> <a href="#">Facebook</a> <a href="#">Telegram</a> <a href="#">WhatsApp</a></div>
</div>{body}{credit}
<div class="tdb-tags"><span>Teqlər:</span> {tags}</div>
<p class="subscribe">Banker.az-ın Telegram kanalına abunə olun</p>
<div class="td-related"><h4>Oxşar xəbərlər</h4><ul>{related}</ul></div></div>
<aside class="td-sidebar"><h4>Ən çox oxunanlar</h4><ul>{related}</ul></aside>
<footer><p>© 2026 Banker.az. Bütün hüquqlar qorunur. Materiallardan istifadə zamanı istinad mütləqdir.</p></footer>
</body></html>"""


def page(url: str, html: str) -> Page:
    headers = {"content-type": "text/html; charset=utf-8"}
    return Page(url, 200, headers, html.encode("utf-8"), FETCHED, "bench.warc.gz", f"<urn:uuid:{abs(hash(url))}>")


def minute(value: datetime | None) -> str | None:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M") if value else None


def run(real: Path, show: int) -> int:
    extractor = Extractor()
    articles = json.loads((real / "banker-az-articles-sample.json").read_text(encoding="utf-8"))
    scores, titles, dates, credits, drops, worst = [], 0, 0, [0, 0], [], []
    for i, art in enumerate(articles):
        rec = extractor(page(art["url"], banker_shell(art, i % 3)))
        if isinstance(rec, Drop):
            drops.append(f"{rec.rule}: {art['url']}")
            scores.append(0.0)
            continue
        gold = gold_body(art["content_html"])
        scores.append(f1(rec["text"], gold))
        worst.append((scores[-1], art["url"], rec["text"], gold))
        titles += rec["title"] == expected_title(art["title"])
        dates += minute(rec["published_at"]) == minute(datetime.fromisoformat(art["date_iso"]))
        if art.get("source"):
            credits[1] += 1
            credits[0] += rec["original_publisher"] is not None
    n = len(articles)
    body_f1, title_em, date_em = sum(scores) / n, titles / n, dates / n
    print(f"banker.az ({n} real bodies in page shells)")
    print(f"  body F1 (token, mean)   {body_f1:.4f}   target >= 0.95")
    print(f"  body F1 (min)           {min(scores):.4f}")
    print(f"  title exact match       {title_em:.4f}   target >= 0.98")
    print(f"  date exact match        {date_em:.4f}   target >= 0.98")
    print(f"  credit found            {credits[0]}/{credits[1]} pages with a 'Mənbə:' line")
    print(f"  dropped                 {len(drops)}" + "".join(f"\n    {d}" for d in drops))
    for score, url, pred, gold in sorted(worst)[:show]:
        print(f"\n--- F1 {score:.3f} {url}\nPRED: {pred[:600]}\nGOLD: {gold[:600]}")

    reposts, repost_scores, mapped = 0, [], 0
    for i, art in enumerate(articles):
        gold = gold_body(art["content_html"])
        story = {"title": art["title"], "paragraphs": gold.split("\n\n")}
        url = f"https://icma.az/az/news/{9000 + i}"
        html = aggregator_page(
            story,
            site="Icma.az",
            source_name="Banker.az",
            source_url=art["url"],
            archived=f"{10 + i % 18} avqust 2025 {10 + i % 12}:05",
            views=100 + i,
        )
        rec = extractor(page(url, html))
        reposts += 1
        if isinstance(rec, Drop):
            repost_scores.append(0.0)
            continue
        repost_scores.append(f1(rec["text"], gold))
        mapped += rec["original_publisher"] == "banker"
    repost_f1 = sum(repost_scores) / reposts
    print(f"icma.az reposts of the same bodies ({reposts})")
    print(f"  body F1 (token, mean)   {repost_f1:.4f}   target >= 0.95")
    print(f"  credited to banker      {mapped}/{reposts}")

    html = (real / "oxu-az-article-trimmed.html").read_text(encoding="utf-8")
    rec = extractor(page(OXU_GOLD["url"], html))
    ok = not isinstance(rec, Drop)
    missing = [s for s in OXU_GOLD["includes"] if not ok or s not in rec["text"]]
    present = [s for s in OXU_GOLD["excludes"] if ok and s in rec["text"]]
    oxu_title = ok and rec["title"] == OXU_GOLD["title"]
    oxu_date = ok and minute(rec["published_at"]) == OXU_GOLD["published_at"]
    print("oxu.az (real page, gold from its fixture spec)")
    print(f"  extracted               {ok}" + ("" if ok else f" ({rec.rule}: {rec.detail})"))
    print(f"  must-include missing    {missing or 'none'}")
    print(f"  must-exclude present    {present or 'none'}")
    print(f"  title / date exact      {oxu_title} / {oxu_date}")

    passed = body_f1 >= 0.95 and title_em >= 0.98 and date_em >= 0.98 and ok and not missing and not present
    passed = passed and oxu_title and oxu_date and repost_f1 >= 0.95 and mapped == reposts
    print("PASS" if passed else "FAIL")
    return 0 if passed else 1


def zero_config(n_articles: int) -> int:
    """Corpus precision / recall of a WARC read with a zero-config registry; 0 when both >= 0.99."""
    import tempfile

    import pyarrow.parquet as pq

    from aznews.extract import ExtractConfig
    from aznews.stages import run_extract

    pages = list(web(n_articles, seed=11))
    # articles under a path the WARC's own robots.txt forbids: they must not be released
    hidden = [(u.replace("https://apa.az/", "https://apa.az/private/"), h, "robots") for u, h, k in pages
              if k == "article" and u.startswith("https://apa.az/")][:20]  # fmt: skip
    kinds = {url: kind for url, _, kind in pages + hidden}
    records = [(url, html, "text/html; charset=utf-8") for url, html, _ in pages + hidden]
    records.append(("https://apa.az/robots.txt", "User-agent: *\nDisallow: /private/\n", "text/plain"))
    with tempfile.TemporaryDirectory() as tmp:
        warc = write_warc(Path(tmp) / "raw", records)
        config = ExtractConfig(registry_path=zero_config_registry(Path(tmp) / "zero.yaml"))
        result = run_extract([warc], Path(tmp) / "out.parquet", config, records_per_batch=500)
        released = pq.read_table(result.path, columns=["url"])["url"].to_pylist()
    truth = Counter(kind for _, _, kind in pages + hidden)  # records, not distinct URLs
    hits = sum(kinds[u] == "article" for u in released)
    precision, recall = hits / max(1, len(released)), hits / truth["article"]
    print(f"zero-config WARC ({len(records)} records: " + ", ".join(f"{k} {n}" for k, n in sorted(truth.items())) + ")")
    print(f"  corpus precision        {precision:.4f}   target >= 0.99")
    print(f"  corpus recall           {recall:.4f}   target >= 0.99")
    wrong = Counter(kinds[u] for u in released if kinds[u] != "article")
    print(f"  non-articles released   {dict(wrong) or 'none'}")
    for rule, n in Counter(d.rule for d in result.ledger.drops).most_common():
        print(f"  dropped {rule:<22}{n}")
    ok = precision >= 0.99 and recall >= 0.99
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


# The classifier's thresholds, and the values a held-out check may choose among (shipped first).
GRID = {
    ("aznews.extract.pagekind", "TEASER_SHARE"): (0.25, 0.15, 0.35),
    ("aznews.extract.pagekind", "MIN_STAMPS"): (4, 3, 6),
    ("aznews.extract.focus", "MIN_SHARE"): (0.5, 0.4, 0.6),
}


def _family_scores(n_articles: int) -> tuple[list[tuple], dict]:
    """For each grid point, each family's (precision, recall, body F1, title, date) on its pages."""
    import importlib
    import itertools
    import tempfile
    from datetime import timedelta

    from cms_families import FAMILIES, family_pages

    from aznews.extract import ExtractConfig

    pages = {f: list(family_pages(f, n_articles)) for f in FAMILIES}
    mods = {key: importlib.import_module(key[0]) for key in GRID}
    shipped = {key: getattr(mods[key], key[1]) for key in GRID}
    points = list(itertools.product(*GRID.values()))
    scores: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        config = ExtractConfig(registry_path=zero_config_registry(Path(tmp) / "zero.yaml"))
        try:
            for point in points:
                for key, value in zip(GRID, point, strict=True):
                    setattr(mods[key], key[1], value)
                extractor = Extractor(config)
                for family, items in pages.items():
                    kept = hits = titles = dates = 0
                    f1s = []
                    for url, html, kind, gold in items:
                        rec = extractor(page(url, html))
                        if isinstance(rec, Drop):
                            continue
                        kept += 1
                        if kind != "article":
                            continue
                        hits += 1
                        f1s.append(f1(rec["text"], "\n\n".join(gold["paragraphs"])))
                        titles += rec["title"] == gold["title"]
                        day = (
                            (rec["published_at"] + timedelta(hours=4)).strftime("%Y-%m-%d")
                            if rec["published_at"]
                            else None
                        )
                        dates += day == gold["day"]
                    arts = sum(k == "article" for _, _, k, _ in items)
                    scores[point, family] = (hits / max(1, kept), hits / arts, sum(f1s) / max(1, len(f1s)),
                                             titles / max(1, hits), dates / max(1, hits))  # fmt: skip
        finally:
            for key, value in shipped.items():
                setattr(mods[key], key[1], value)
    return points, scores


def families(n_articles: int) -> int:
    """Leave one family out: for each CMS family, the thresholds are chosen on the other nine
    (best mean of precision and recall, the shipped values on a tie) and scored on it. 0 when every
    held-out family has precision and recall >= 0.99."""
    from cms_families import FAMILIES

    points, scores = _family_scores(n_articles)
    print(f"CMS families, each held out ({n_articles} articles per family, with its listing and static pages)")
    print(
        f"  {'family':<11}{'precision':>10}{'recall':>8}{'body F1':>9}{'title':>7}{'date':>7}   thresholds chosen on the others"
    )
    ok = True
    for held in FAMILIES:

        def fit(point, held=held):
            return sum(sum(scores[point, f][:2]) for f in FAMILIES if f != held)

        best = max(points, key=lambda pt: (fit(pt), pt == points[0]))
        p, r, body, title, date = scores[best, held]
        ok = ok and p >= 0.99 and r >= 0.99
        chosen = ", ".join(f"{key[1]}={v}" for key, v in zip(GRID, best, strict=True))
        print(f"  {held:<11}{p:>10.4f}{r:>8.4f}{body:>9.4f}{title:>7.3f}{date:>7.3f}   {chosen}")
    shipped = points[0]
    print("  with the shipped thresholds on every family: " + ", ".join(
        f"{f} {scores[shipped, f][0]:.3f}/{scores[shipped, f][1]:.3f}" for f in FAMILIES))  # fmt: skip
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real", type=Path, default=DEFAULT_REAL)
    parser.add_argument("--show", type=int, default=0, help="print the N lowest-F1 pages")
    parser.add_argument("--pages", type=int, default=1200, help="articles in the zero-config WARC")
    parser.add_argument("--family-articles", type=int, default=40, help="articles per CMS family (0: skip)")
    args = parser.parse_args()
    failed = zero_config(args.pages)
    if args.family_articles:
        failed |= families(args.family_articles)
    if (args.real / "banker-az-articles-sample.json").exists():
        failed |= run(args.real, args.show)
    else:
        print(f"real pages skipped: no real material at {args.real}")
    sys.exit(failed)


if __name__ == "__main__":
    main()
