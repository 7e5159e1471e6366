"""When an outlet breaks, the run says so: per-outlet health on a multi-outlet input, with the
warning in the summary, the report's verdict and the card's limitations, and the registry's own
check of patterns that can never match."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

from aznews.ledger import Drop, Ledger
from aznews.sources import load_registry
from aznews.validate.outlets import counts_from_ledger, outlet_health

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

import page_kinds  # noqa: E402


def _ledger(kept: dict[str, int], dropped: dict[tuple[str, str], int], final: dict[str, int]) -> dict:
    led = Ledger()
    for pub, n in kept.items():
        led.keep("extract", pub, n)
    for pub, n in final.items():
        led.keep("dedup", pub, n)
    for (pub, rule), n in dropped.items():
        for i in range(n):
            led.drop(Drop("extract", rule, f"https://{pub}.az/{i}", pub))
    return led.to_dict()


def test_one_rule_taking_most_of_an_outlet_names_it_with_its_history():
    ledger = _ledger({"banker": 5, "apa": 40}, {("banker", "not_article"): 238, ("apa", "listing_page"): 3},
                     {"banker": 5, "apa": 38})  # fmt: skip
    reg = load_registry()
    health = {h.publisher: h for h in outlet_health(counts_from_ledger(ledger), reg, Counter(banker=230, apa=41),
                                                    "2026.10")}  # fmt: skip
    assert health["banker"].seen == 243 and health["banker"].kept == 5
    assert health["banker"].warning == "banker: 238 of 243 pages dropped as not_article (its registry " \
        "article_url matches few; 2026.10 added 230)"  # fmt: skip
    assert health["apa"].warning is None  # 3 of 43 listings: an ordinary month
    # an outlet that fell silent: none this month, or less than half of at least 10
    quiet = outlet_health(counts_from_ledger(_ledger({"oxu": 20}, {}, {"oxu": 4})), reg, Counter(oxu=30, axar=3),
                          "2026.10")  # fmt: skip
    lines = {h.publisher: h.warning for h in quiet}
    assert lines["oxu"] == "oxu: 4 new rows, down from 30 in 2026.10 (20 page(s) seen: has its site or feed changed?)"
    assert lines["axar"].startswith("axar: 0 new rows, down from 3 in 2026.10 (no page of it")
    # few pages are noise, not an alarm
    small = outlet_health(counts_from_ledger(_ledger({}, {("sia", "listing_page"): 4}, {})), reg)
    assert small[0].warning is None


def test_registry_patterns_that_can_never_match_are_said_at_load(tmp_path):
    entries = [{"id": "banker", "name": "Banker", "domains": ["banker.az"], "homepage": "https://banker.az/",
                "article_url": r"^http://banker\.az/\d+"},
               {"id": "apa", "name": "APA", "domains": ["apa.az"], "homepage": "https://apa.az/",
                "article_url": r"^https://www\.apa\.az/"},
               {"id": "oxu", "name": "Oxu", "domains": ["oxu.az"], "homepage": "https://oxu.az/",
                "article_url": r"^https://oxu\.az/\d+$", "examples": {"article": ["https://oxu.az/siyaset/123"]}},
               {"id": "axar", "name": "Axar", "domains": ["axar.az"], "homepage": "https://axar.az/",
                "article_url": r"^https?://(?:www\.)?axar\.az/news/"}]  # fmt: skip
    path = tmp_path / "reg.yaml"
    path.write_text(yaml.safe_dump(entries), encoding="utf-8")
    problems = load_registry(path).problems
    assert len(problems) == 3, problems
    assert problems[0].startswith("banker: article_url '^http://banker\\.az/\\d+' can never match") and \
        "starts https://banker.az/" in problems[0]  # fmt: skip
    assert problems[1].startswith("apa: ") and "https://apa.az/" in problems[1]
    assert problems[2] == "oxu: article_url '^https://oxu\\.az/\\d+$' matches none of its own article examples"
    assert load_registry().problems == []  # the bundled registry is clean


@pytest.fixture(scope="module")
def broken_web(tmp_path_factory) -> tuple[Path, Path]:
    """Five outlets of 12 articles each, and 12 listing pages of sia.az; a registry that knows each
    outlet by id, name, domain and homepage, with a banker entry whose article_url can never match."""
    import random

    tmp = tmp_path_factory.mktemp("broken")
    pages = [(u, h, "text/html; charset=utf-8") for u, h, _ in page_kinds.web(60, seed=3)]
    rng = random.Random(4)
    pages += [(*page_kinds.section_listing(rng, "sia.az", "Sia"), "text/html; charset=utf-8") for _ in range(12)]
    warc = page_kinds.write_warc(tmp / "raw", pages)
    reg = page_kinds.zero_config_registry(tmp / "reg.yaml")
    entries = yaml.safe_load(reg.read_text(encoding="utf-8"))
    for e in entries:
        if e["id"] == "banker":
            e["article_url"] = r"^http://banker\.az/"
    reg.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    return warc, reg


def test_a_broken_outlet_is_named_in_the_summary_report_and_card_and_the_rest_ships(broken_web, tmp_path):
    from aznews.build import Steps, build_release
    from aznews.request import ReleaseRequest

    warc, reg = broken_web
    data = tmp_path / "data"
    request = ReleaseRequest(version="2026.11", warc=[str(warc)], data_dir=str(data), registry=str(reg))
    summary = build_release(Steps(), request)
    warned = [w for w in summary["warnings"] if w.startswith(("banker", "sia"))]
    assert "banker: 12 of 12 pages dropped as not_article (its registry article_url never matches)" in warned
    assert any(w.startswith("banker: article_url '^http://banker\\.az/' can never match") for w in warned)
    sia = [w for w in warned if w.startswith("sia:")]
    assert sia == [
        "sia: 13 of 14 pages dropped as listing_page (the page classifier read its articles as listings: "
        "a page shape it has not seen?)"
    ]
    assert summary["new_rows"] >= 45  # the other outlets shipped
    report = (data / "reports" / "2026.11" / "report.md").read_text(encoding="utf-8")
    top = report.split("## ")[0]  # the verdict, before any section
    assert "outlet warning**: banker: 12 of 12 pages dropped as not_article" in top
    assert "outlet warning**: sia:" in top and "| banker (**broken**) | 12 | 0 |" in report
    card = (data / "releases" / "2026.11" / "README.md").read_text(encoding="utf-8")
    limits = card.split("## Known limitations")[1].split("## ")[0]
    assert "In 2026.11, an outlet broke: banker: 12 of 12 pages dropped as not_article" in limits
    assert "In 2026.11, an outlet broke: sia:" in limits


def test_registry_check_prints_the_same_health(broken_web, tmp_path):
    from tests.cli import run_aznews

    warc, reg = broken_web
    got = run_aznews(tmp_path, "registry", "--registry", str(reg), "check", str(warc), timeout=300)
    assert got.returncode == 0, got.stdout + got.stderr
    line = "warning: banker: 12 of 12 pages dropped as not_article (its registry article_url never matches)"
    assert line in got.stdout
    assert "registry warning: banker: article_url" in got.stdout
    assert "banker (broken)" in got.stdout
