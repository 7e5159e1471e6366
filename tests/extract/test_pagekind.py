"""Article or not, from the page itself: a WARC of articles among listings, home, tag, search,
author, archive and static pages, read with a registry that knows only each outlet's id, name,
domain and homepage. And robots.txt applied on the WARC path."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from aznews.extract import ExtractConfig
from aznews.ledger import Drop, Ledger
from aznews.stages import run_extract

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from page_kinds import web, write_warc  # noqa: E402
from page_kinds import zero_config_registry as zero_config  # noqa: E402


def _warc(tmp: Path, pages: list[tuple[str, str | bytes, str]]) -> Path:
    return write_warc(tmp / "raw", pages)


def zero_config_registry(tmp: Path) -> Path:
    return zero_config(tmp / "zero.yaml")


@pytest.fixture(scope="module")
def mixed_web(tmp_path_factory) -> tuple[Path, list[tuple[str, str]]]:
    tmp = tmp_path_factory.mktemp("kinds")
    pages = list(web(120, seed=9))
    warc = _warc(tmp, [(url, html, "text/html; charset=utf-8") for url, html, _ in pages])
    return warc, [(url, kind) for url, _, kind in pages]


def test_zero_config_registry_keeps_articles_and_only_articles(mixed_web, tmp_path):
    warc, labelled = mixed_web
    kinds = dict(labelled)
    config = ExtractConfig(registry_path=zero_config_registry(tmp_path))
    result = run_extract([warc], tmp_path / "extracted.parquet", config, records_per_batch=1000)
    released = pq.read_table(result.path, columns=["url"])["url"].to_pylist()
    truth = Counter(kind for _, kind in labelled)
    true_pos = sum(kinds[u] == "article" for u in released)
    precision, recall = true_pos / len(released), true_pos / truth["article"]
    assert precision >= 0.99 and recall >= 0.99, (precision, recall)
    # every non-article is dropped with its kind and a reason in the ledger
    by_rule = Counter(d.rule for d in result.ledger.drops)
    assert by_rule["home_page"] == truth["home"]
    assert by_rule["listing_page"] >= truth["listing"] * 0.9
    assert by_rule["other_page"] >= truth["other"]
    assert all(d.detail for d in result.ledger.drops if d.rule.endswith("_page"))


def test_classifier_verdicts_name_their_evidence(mixed_web, tmp_path):
    warc, _ = mixed_web
    config = ExtractConfig(registry_path=zero_config_registry(tmp_path))
    ledger: Ledger = run_extract([warc], tmp_path / "x.parquet", config, records_per_batch=1000).ledger
    details = {d.detail for d in ledger.drops if d.rule == "listing_page"}
    assert any("headline links" in d for d in details)
    assert any(d.startswith("JSON-LD") or "search parameters" in d for d in details)


ROBOTS = b"User-agent: *\nDisallow: /private/\n"


def _robots_web(tmp: Path, *, with_robots: bool) -> Path:
    import random

    from synthetic import page_html

    rng = random.Random(3)
    _, html = page_html(0, rng)  # an apa.az agency page
    pages = [
        ("https://apa.az/cemiyyet/800001", html, "text/html"),
        ("https://apa.az/private/cemiyyet/800002", html.replace("800000", "800002"), "text/html"),
    ]
    if with_robots:
        pages.append(("https://apa.az/robots.txt", ROBOTS, "text/plain"))  # after the pages it governs
    return _warc(tmp, pages)


def test_warc_path_applies_the_robots_txt_it_holds(tmp_path):
    warc = _robots_web(tmp_path, with_robots=True)
    result = run_extract([warc], tmp_path / "out.parquet", records_per_batch=1000)
    urls = pq.read_table(result.path, columns=["url"])["url"].to_pylist()
    assert urls == ["https://apa.az/cemiyyet/800001"]
    rules = {d.url: d.rule for d in result.ledger.drops}
    assert rules["https://apa.az/private/cemiyyet/800002"] == "robots_disallow"
    assert rules["https://apa.az/robots.txt"] == "robots_txt"  # read and applied, not "not_html"


def test_robots_can_be_turned_off_for_inputs_already_filtered(tmp_path):
    warc = _robots_web(tmp_path, with_robots=True)
    config = ExtractConfig(respect_robots=False)
    result = run_extract([warc], tmp_path / "out.parquet", config, records_per_batch=1000)
    assert len(pq.read_table(result.path)) == 2


def test_robots_from_the_crawlers_cache_when_the_input_has_none(tmp_path):
    from aznews.build import Steps
    from aznews.config import Settings
    from aznews.fetch.state import CrawlState

    settings = Settings(data_dir=tmp_path / "data")
    settings.state_dir.mkdir(parents=True)
    state = CrawlState(settings.state_dir / "crawl.sqlite")
    state.robots_put("apa.az", 200, ROBOTS.decode())
    state.close()
    warc = _robots_web(tmp_path, with_robots=False)
    plan = Steps(settings).read_pages([str(warc)], 1000)
    assert plan.batches[0]["robots"] == {"apa.az": (200, ROBOTS.decode())}
    off = Steps(Settings(data_dir=tmp_path / "data", respect_robots=False)).read_pages([str(warc)], 1000)
    assert off.batches[0]["robots"] is None


def test_every_cms_family_keeps_its_articles_and_only_them(tmp_path):
    """Ten CMS families the classifier was not written from (scripts/cms_families.py): articles
    with and without metadata, dated related / latest / most-read blocks beside or below them,
    day-only dates, the title in a <p>; their listings, and static pages dated by a footer or a
    top bar. Every article is kept with its title and day; nothing else is."""
    from datetime import timedelta

    from cms_families import FAMILIES, family_pages
    from synthetic import FETCHED

    from aznews.extract import Extractor
    from aznews.fetch.warc import Page

    extractor = Extractor(ExtractConfig(registry_path=zero_config_registry(tmp_path)))
    for family in FAMILIES:
        wrong = []
        for url, html, kind, gold in family_pages(family, 12):
            page = Page(url=url, status=200, headers={"Content-Type": "text/html; charset=utf-8"}, body=html.encode(),
                        fetched_at=FETCHED, warc_file="x", warc_record_id=url)  # fmt: skip
            got = extractor(page)
            if isinstance(got, Drop) != (kind != "article"):
                wrong.append((kind, url, got.detail if isinstance(got, Drop) else "released"))
            elif kind == "article":
                day = (got["published_at"] + timedelta(hours=4)).strftime("%Y-%m-%d") if got["published_at"] else None
                if got["title"] != gold["title"] or day != gold["day"]:
                    wrong.append((kind, url, got["title"], day, gold["day"]))
        assert not wrong, (family, wrong)


def test_static_pages_are_never_articles_whatever_date_they_print():
    from aznews.extract.pagekind import static_page, static_vocabulary

    assert static_page("https://x.az/haqqimizda/", ()) == "a static page (/haqqimizda)"
    assert static_page("https://x.az/page/12", ("Reklam | X.az",)) == "a static page (titled 'Reklam')"
    import yaml

    data = yaml.safe_load((ROOT / "src/aznews/extract/static_pages.yaml").read_text(encoding="utf-8"))
    for slug in data["articles"]["slugs"]:
        assert static_page(f"https://x.az/news/{slug}", ()) is None, slug
    for title in data["articles"]["titles"]:
        assert static_page("https://x.az/news/1", (title,)) is None, title
    assert len(static_vocabulary()[0]) > 40
