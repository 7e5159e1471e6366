"""Regenerate the bundled sample WARC deterministically: ``python scripts/build_sample.py``.

Writes ``data/samples/aznews-sample.warc.gz`` and ``data/samples/MANIFEST.json`` (what each page
is and what the pipeline must do with it). Same inputs, same bytes: record ids and dates are fixed.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

import sample_pages as P  # noqa: E402
import sample_stories as S  # noqa: E402

from aznews.fetch.warc import WarcSink  # noqa: E402

FETCH_START = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def pages() -> list[dict]:
    """Every sample page: url, html, and the outcome the pipeline must produce."""
    metro_repost_title = "Bakıda yeni metro stansiyası yazda açılacaq"
    return [
        dict(
            url="https://apa.az/cemiyyet/901234",
            expect="kept",
            note="agency original with JSON-LD",
            html=P.agency_page(
                S.METRO,
                site="APA",
                url="https://apa.az/cemiyyet/901234",
                published="2026-11-19T10:15:00+04:00",
            ),
        ),
        dict(
            url="https://icma.az/az/cemiyyet/55501",
            expect="exact_duplicate",
            note="aggregator repost of the APA story: preamble, counters, Mənbə line",
            html=P.aggregator_page(
                S.METRO,
                site="Icma.az",
                source_name="APA",
                source_url="https://apa.az",
                archived="19 Noyabr 2026 10:40",
                views=106,
            ),
        ),
        dict(
            url="https://banker.az/bakida-yeni-metro-stansiyasi-yazda-acilacaq/",
            expect="near_duplicate",
            note="repost of the APA story: new title, last paragraph dropped, 'Mənbə: APA'",
            html=P.wordpress_page(
                S.METRO,
                site="Banker.az",
                title=metro_repost_title,
                url="https://banker.az/bakida-yeni-metro-stansiyasi-yazda-acilacaq/",
                published="2026-11-19T11:02:00+04:00",
                credit="APA",
                paragraphs=S.METRO["paragraphs"][:-1],
            ),
        ),
        dict(
            url="https://report.az/iqtisadiyyat/merkezi-bank-ucot-derecesini-deyismez-saxlayib",
            expect="kept",
            note="agency page with meta dates",
            html=P.agency_page(
                S.RATE,
                site="Report",
                url="https://report.az/iqtisadiyyat/merkezi-bank-ucot-derecesini-deyismez-saxlayib",
                published="2026-11-18T16:30:00+04:00",
            ),
        ),
        dict(
            url="https://qaynarinfo.az/az/ekspert-ucot-derecesinin-saxlanmasi-manata-destekdir/",
            expect="kept",
            note="comment piece, original (title tag ŞƏRH)",
            html=P.wordpress_page(
                S.RATE_COMMENT,
                site="Qaynarinfo",
                url="https://qaynarinfo.az/az/ekspert-ucot-derecesinin-saxlanmasi-manata-destekdir/",
                published="2026-11-18T19:05:00+04:00",
            ),
        ),
        dict(
            url="https://icma.az/az/iqtisadiyyat/55502",
            expect="exact_duplicate",
            note="aggregator repost of the Qaynarinfo comment, credited by name and URL",
            html=P.aggregator_page(
                S.RATE_COMMENT,
                site="Icma.az",
                source_name="Qaynarinfo",
                source_url="https://qaynarinfo.az",
                archived="18 Noyabr 2026 19:37",
                views=88,
            ),
        ),
        dict(
            url="https://oxu.az/cemiyyet/sabah-bakida-guclu-kulek-esecek",
            expect="kept",
            note="oxu-style page: date only as text, font buttons",
            html=P.oxu_page(
                S.WIND,
                url="https://oxu.az/cemiyyet/sabah-bakida-guclu-kulek-esecek",
                date_text="20 noyabr, 2026 / 09:22",
                views=2383,
            ),
        ),
        dict(
            url="https://qafqazinfo.az/news/detail/gencede-120-yasli-cinar-agaci-qorunma-altina-alinib-431201",
            expect="kept",
            note="no metadata; relative date 'dünən 14:05'",
            html=P.regional_page(S.PLANE_TREE, site="Qafqazinfo", date_text="dünən 14:05"),
        ),
        dict(
            url="https://axar.az/news/idman/912345.html",
            expect="kept",
            note="title carries the FOTO label",
            html=P.agency_page(
                S.FOOTBALL,
                site="Axar.az",
                url="https://axar.az/news/idman/912345.html",
                published="2026-11-17T21:40:00+04:00",
            ),
        ),
        dict(
            url="https://banker.az/bank-kartlari-ile-odenislerin-hecmi-18-faiz-artib/",
            expect="kept",
            note="WordPress page",
            html=P.wordpress_page(
                S.CARDS,
                site="Banker.az",
                url="https://banker.az/bank-kartlari-ile-odenislerin-hecmi-18-faiz-artib/",
                published="2026-11-16T09:00:00+04:00",
            ),
        ),
        dict(
            url="https://apa.az/turizm/901250",
            expect="kept",
            note="agency page",
            html=P.agency_page(
                S.SHEKI, site="APA", url="https://apa.az/turizm/901250", published="2026-11-20T08:45:00+04:00"
            ),
        ),
        dict(
            url="https://apa.az/ru/obshestvo/901235",
            expect="dropped:not_az_edition",
            note="Russian edition of the metro story",
            html=P.agency_page(
                S.RUSSIAN,
                site="APA",
                url="https://apa.az/ru/obshestvo/901235",
                published="2026-11-19T10:20:00+04:00",
                lang="ru",
            ),
        ),
        dict(
            url="https://axar.az/news/dunya/912399.html",
            expect="dropped:language",
            note="Turkish text in the Azerbaijani edition",
            html=P.agency_page(
                S.TURKISH,
                site="Axar.az",
                url="https://axar.az/news/dunya/912399.html",
                published="2026-11-19T18:00:00+04:00",
            ),
        ),
        dict(
            url="https://oxu.az/cemiyyet",
            expect="dropped:not_article",
            note="category listing page",
            html=P.listing_page("Oxu.az", "Cəmiyyət"),
        ),
        dict(
            url="https://az.trend.az/azerbaijan/society/3950001.html",
            expect="dropped:empty",
            note="JavaScript shell with no article in the HTML",
            html=P.empty_shell("Trend"),
        ),
    ]


def build(out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / "aznews-sample.warc.gz"
    for old in out_dir.glob("aznews-sample*.warc.gz"):
        old.unlink()
    manifest = []
    sink = WarcSink(out_dir, prefix="aznews-sample-tmp", fsync=False)
    with sink:
        for i, page in enumerate(pages()):
            when = FETCH_START + timedelta(minutes=i)
            body = page["html"].encode("utf-8")
            sink.write(
                page["url"],
                200,
                "OK",
                [("Content-Type", "text/html; charset=utf-8"), ("Server", "nginx")],
                body,
                when,
                request_headers=[("User-Agent", "aznews-sample/1.0"), ("Accept", "text/html")],
                record_key=f"sample:{page['url']}",
            )
            manifest.append({k: page[k] for k in ("url", "expect", "note")})
    (sink.files[0]).rename(target)
    (out_dir / "MANIFEST.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return target


if __name__ == "__main__":
    root = HERE.parent
    path = build(root / "data" / "samples")
    print(f"wrote {path.relative_to(root)} ({path.stat().st_size} bytes)")
