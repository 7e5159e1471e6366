"""The release report, opened in a real headless browser (Debian's chromium)."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess

import pandas as pd
import pytest

from aznews.schema import column_names
from aznews.sources import load_registry
from aznews.validate import run_gate
from aznews.validate.report import REPORT_HTML, REPORT_MD, write_report

INJECTED = "<script>document.title='PWNED'</script><img src=x onerror=\"document.title='PWNED'\">"


@pytest.fixture
def report_dir(sample_records, tmp_path):
    rows = [dict(r, split="train") for r in sample_records[0]]
    for r in rows:
        r.pop("date_rejected", None)
    rows[0].update(title=INJECTED, cluster_size=3, duplicate_publishers=["icma", "banker"])
    frame = pd.DataFrame(rows, columns=column_names())
    params = {"schema_columns": column_names(), "publisher_ids": [p.id for p in load_registry()]}
    gate = run_gate(frame, params, previous_ids=["old-1", "old-2"])
    ledger = {
        "stages": {"extract": {"kept": 11, "dropped": 4}},
        "by_rule": [{"stage": "extract", "rule": "language", "publisher": "axar", "dropped": 1}],
    }
    head = write_report(
        tmp_path, version="2026.12", rows=frame, total_rows=13, ledger=ledger, gate=gate.to_dict(),
        previous="2026.11", previous_ids=["old-1", "old-2"],
    )  # fmt: skip
    assert head["rows"] == 13 and head["new_rows"] == len(frame) and head["gate_passed"]
    return tmp_path


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        if os.environ.get("AZNEWS_SKIP_BROWSER") == "1":
            pytest.skip("AZNEWS_SKIP_BROWSER=1 and no chromium")
        pytest.fail("chromium is not installed (.ci/run installs it: apt-get install chromium)")
    return path


def test_report_renders_charts_and_keeps_scraped_markup_as_text(report_dir):
    out = subprocess.run(
        [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=3000", "--dump-dom",
         (report_dir / REPORT_HTML).as_uri()],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    dom = out.stdout
    assert "<title>aznews 2026.12 release report</title>" in dom  # no script ran
    body = dom.split("<body")[1]
    assert "&lt;script&gt;document.title='PWNED'&lt;/script&gt;" in body  # shown as text
    assert "<script" not in body and "<img" not in body  # never became elements
    charts = re.findall(r'<figure class="chart">.*?</figure>', dom, re.S)
    assert len(charts) >= 5  # publishers, months, text length, language scores, drops
    assert all(c.count("<rect") >= 1 for c in charts)  # drawn, not empty frames


def test_markdown_summary_has_the_headline_and_the_delta(report_dir):
    md = (report_dir / REPORT_MD).read_text(encoding="utf-8")
    assert "Quality gate: **passed**" in md
    assert "| rows in release (whole release) | 13 |" in md and "| new rows with a date |" in md
    assert "Against 2026.11:" in md
    assert "| extract | language | axar | 1 |" in md


def test_every_expectation_shows_its_threshold_and_what_was_observed(report_dir):
    html = (report_dir / REPORT_HTML).read_text(encoding="utf-8")
    rows = re.findall(r"<tr><td>(critical|warning|info)</td>(.*?)</tr>", html, re.S)
    assert len(rows) > 20
    for _, row in rows:
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        assert cells[-1] not in ("", "None"), row  # observed: a value or how many rows broke it
    assert "min_value=" in html and "rows unexpected" in html
    schema = next(r for _, r in rows if "column_list" in r or "ordered_list" in r)
    assert "values: id, url" in schema and "pipeline_version" not in schema  # the list is summarised
    assert "none: every record was kept" not in html  # this run dropped records: the table is there


def test_threshold_and_observed_cells():
    from aznews.validate.report import observed, threshold

    assert threshold({"column": "x", "min_value": 12, "mostly": 0.99}) == "min_value=12; mostly=0.99"
    assert threshold({"column": "x"}) == "-"
    failed = {"observed": None, "unexpected_count": 3, "sample": ["a", "b", "c", "d"]}
    assert observed(failed, 200) == "3 of 200 rows unexpected (1.5%); e.g. [a, b, c]"
    assert observed({"observed": 0.25, "unexpected_count": None}, 10) == "0.25"


def test_since_the_last_release_per_publisher_and_month_warns_on_a_falling_outlet(tmp_path, sample_records):
    from datetime import UTC, datetime

    from aznews.dedup import dedup_exact
    from aznews.publish import write_release
    from aznews.validate.rows import as_table
    from aznews.validate.since import since_last

    base = [dict(r) for r in sample_records[0]]
    for r in base:
        r.pop("date_rejected", None)
    rows = []
    for i in range(60):  # 30 apa and 30 report articles last month
        rid = hashlib.sha256(str(i).encode()).hexdigest()[:32]
        r = dict(base[0], url=f"https://apa.az/x/{i}", canonical_url=f"https://apa.az/x/{i}", id=rid,
                 text_sha1=f"{i:040x}", publisher="apa" if i % 2 else "report")  # fmt: skip
        rows.append(r)
    previous = write_release(dedup_exact(rows, load_registry())[0], "2026.11", tmp_path)
    when = datetime(2026, 12, 5, tzinfo=UTC)
    new = pd.DataFrame({"publisher": ["apa"] * 20 + ["report"] * 2, "published_at": [when] * 21 + [None]})
    since = since_last(previous, as_table(new, "articles"), {rows[1]["id"]: "apa"})
    by_pub = {p["publisher"]: p for p in since.publishers}
    assert by_pub["apa"] == {"publisher": "apa", "carried": 29, "added": 20, "taken_down": 1, "last_added": 30,
                             "total": 49, "falling": False}  # fmt: skip
    assert by_pub["report"]["falling"] and since.falls == [
        "report: 2 new rows, down from 30 in 2026.11 (more than half lost: has its layout or feed changed?)"
    ]
    months = {m["month"]: m for m in since.months}
    assert months["2026-12"]["added"] == 21 and months["none"]["added"] == 1


PAYLOAD = (
    "<script>document.title='PWNED'</script>"
    "<img src=x onerror=\"document.title='PWNED';document.body.setAttribute('data-pwned','1')\">"
)


def _dom(page) -> str:
    out = subprocess.run(
        [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=2000", "--dump-dom",
         page.as_uri()],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    return out.stdout


def assert_no_script_ran(root) -> int:
    """Open in headless chromium every HTML file under ``root`` that holds the payload (escaped
    or not: a file without its marker cannot run it); none may run it. Returns how many."""
    pages = [p for p in sorted(root.rglob("*.html")) if "PWNED" in p.read_text(encoding="utf-8", errors="replace")]
    for page in pages:
        dom = _dom(page)
        head = dom.split("</head>")[0]  # the document's title (an SVG <title> is a chart's tooltip)
        assert not re.search(r"<title>[^<]*PWNED", head), page
        assert not re.search(r"<body[^>]*data-pwned", dom), page
    return len(pages)


def test_script_in_failing_rows_runs_in_no_html_the_gate_writes(sample_records, tmp_path):
    """Crawled text that fails expectations (so GX Data Docs show it as a sample) and reaches the
    report: every HTML file written shows it as text."""
    rows = [dict(r, split="train") for r in sample_records[0]]
    for r in rows:
        r.pop("date_rejected", None)
    rows[0].update(text=f"Bakı \ufffd\ufffd {PAYLOAD} " * 3, title=PAYLOAD)
    rows[1].update(publisher=PAYLOAD, language=PAYLOAD)
    frame = pd.DataFrame(rows, columns=column_names())
    params = {"schema_columns": column_names(), "publisher_ids": [p.id for p in load_registry()]}
    gate = run_gate(frame, params, tmp_path / "data_docs", previous_ids=["old-1"])
    assert not gate.passed
    failing = [r for o in gate.outcomes for r in o.critical_failures]
    assert any(PAYLOAD in str(s) for r in failing for s in r.sample)  # the samples carry the payload
    write_report(
        tmp_path, version="2026.12", rows=frame, total_rows=len(frame), ledger={"stages": {}, "by_rule": []},
        gate=gate.to_dict(), previous=None, previous_ids=None,
    )  # fmt: skip
    docs = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "data_docs").rglob("*.html"))
    assert "&lt;img src=x onerror" in docs or "&amp;lt;img src=x onerror" in docs  # shown, as text
    assert assert_no_script_ran(tmp_path) >= 2  # the report and the Data Docs page of the articles suite


def test_data_docs_are_one_site_that_works_offline(sample_records, tmp_path):
    """Every suite's validation on one index, populated by the site's own copies of the assets GX
    links from CDNs (no network here): the list is there, and no page loads a third-party URL."""
    rows = [dict(r, split="train") for r in sample_records[0]]
    for r in rows:
        r.pop("date_rejected", None)
    frame = pd.DataFrame(rows, columns=column_names())
    params = {"schema_columns": column_names(), "publisher_ids": [p.id for p in load_registry()]}
    site = tmp_path / "data_docs"
    run_gate(frame, params, site, previous_ids=[r["id"] for r in rows[:3]], run_name="2026.12")
    pages = list(site.rglob("*.html"))
    assert len(pages) >= 7  # index, 3 suites, 3 validations
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert not re.search(r"<(script|link)\b[^>]*(src|href)=\"https?://", html), page
        assert not re.search(r"<img\b[^>]*src=\"https?://", html), page
    dom = _dom(site / "index.html")
    listed = re.findall(r'data-href="([^"]*validations/[^"]+)"', dom)  # rows bootstrap-table drew
    assert {p.split("/")[1] for p in listed} == {"articles", "articles_profile", "release_delta"}, dom[-2000:]
    assert "2026.12" in dom  # the run is named after the release
    validation = next((site / "validations" / "articles").rglob("*.html")).read_text(encoding="utf-8")
    assert "Data asset: articles rows" in " ".join(validation.split())
