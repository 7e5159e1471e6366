"""The release report, opened in a real headless browser (Debian's chromium)."""

from __future__ import annotations

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
    assert "| rows in release | 13 |" in md
    assert "Against 2026.11:" in md
    assert "| extract | language | axar | 1 |" in md


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
