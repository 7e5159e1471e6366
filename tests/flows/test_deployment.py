"""The monthly-refresh deployment, backfill, and the refresh flow crawling a local site."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from flows.deployment import CRON, NAME, PARAMETERS, TIMEZONE, months, previous_month
from tests.cli import run_aznews

ROOT = Path(__file__).resolve().parents[2]


def test_prefect_yaml_matches_the_code():
    spec = yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))
    (dep,) = [d for d in spec["deployments"] if d["name"] == NAME]
    assert dep["entrypoint"] == "flows/refresh.py:refresh"
    assert dep["schedules"] == [{"cron": CRON, "timezone": TIMEZONE, "active": True}]
    assert dep["parameters"] == PARAMETERS


def test_serve_builds_the_scheduled_deployment():
    from flows.deployment import schedule
    from flows.refresh import refresh

    deployment = refresh.to_deployment(name=NAME, schedules=[schedule()], parameters=PARAMETERS)
    (sched,) = deployment.schedules
    assert sched.schedule.cron == "0 3 1 * *" and sched.schedule.timezone == "Asia/Baku"
    assert deployment.parameters["crawl"] is True


def test_month_windows():
    baku = ZoneInfo("Asia/Baku")
    assert previous_month(datetime(2026, 12, 1, 3, 0, tzinfo=baku)) == ("2026-11-01", "2026-12-01")
    assert previous_month(datetime(2026, 1, 1, 3, 0, tzinfo=baku)) == ("2025-12-01", "2026-01-01")
    assert months("2025-11", "2026-02") == [
        ("2025.11", "2025-11-01", "2025-12-01"),
        ("2025.12", "2025-12-01", "2026-01-01"),
        ("2026.01", "2026-01-01", "2026-02-01"),
        ("2026.02", "2026-02-01", "2026-03-01"),
    ]
    with pytest.raises(ValueError, match="after"):
        months("2026-03", "2026-01")


def test_backfill_puts_each_record_in_its_month_and_resumes(tmp_path, sample_warc):
    """The same WARC input for every month: a month's release holds the articles dated in it
    (the sample's are November's, the extra file's December's), the others are left to their
    month, records after --to are dropped with the reason by the last month, the input is
    extracted once, and a rerun skips what is released."""
    import json

    from tests.flows.test_refresh import _new_month_warc

    december = [str(p) for p in _new_month_warc(tmp_path / "warc")]
    inputs = ["--warc", str(sample_warc), *[a for p in december for a in ("--warc", p)]]
    first = run_aznews(tmp_path, "backfill", "--from", "2026-10", "--to", "2026-11", *inputs)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "2026.10: no article of the input is dated 2026-10; nothing to release as 2026.10, skipped" in first.stdout
    assert "2026.11: 8 rows (8 new)" in first.stdout
    # each month's progress counts that month's records, not the backfill's so far (was 36/18)
    assert first.stdout.count("extract: 18/18") == 2 and "extract: 36/18" not in first.stdout, first.stdout
    ledger = json.loads((tmp_path / "data" / "work" / "2026.11" / "ledger-extract.json").read_text())
    late = sorted(d["detail"] for d in ledger["ledger"]["drops"] if d["rule"] == "outside_backfill")
    assert late == [f"dated 2026-12-0{i}, outside the backfill 2026-10-01 to 2026-12-01" for i in (1, 2, 3)]
    parts = tmp_path / "data" / "work" / "backfill-2026-10-01-2026-12-01" / "parts"
    assert list(parts.glob("extracted-*.parquet")) and not (tmp_path / "data" / "work" / "2026.11" / "parts").exists()

    october = json.loads((tmp_path / "data" / "work" / "2026.10" / "ledger-extract.json").read_text())
    # 11 of November, 3 of December (dropped by November, the last month): told there, not here
    assert october["notes"]["left_to_other_month"] == 14
    assert {d["rule"] for d in october["ledger"]["drops"]} == {"not_az_edition", "language", "not_article", "empty"}

    again = run_aznews(tmp_path, "backfill", "--from", "2026-10", "--to", "2026-11", *inputs)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "2026.10: not built, skipped (release 2026.11 exists, newer than 2026.10)" in again.stdout
    assert "2026.11: already released, skipped" in again.stdout


@pytest.mark.usefixtures("prefect_harness")
def test_refresh_crawls_a_site_then_releases(tmp_path, monkeypatch):
    from flows.refresh import refresh
    from tests.flows.demo_site import CRAWL, article_hits, start_demo_site

    reg = tmp_path / "registry.yaml"
    site = start_demo_site(reg)
    try:
        monkeypatch.setenv("AZNEWS_ALLOW_PRIVATE_NETWORKS", '["127.0.0.0/8"]')
        monkeypatch.setenv("AZNEWS_MIN_DELAY", "0")
        data = tmp_path / "data"
        summary = refresh(version="2026.12", data_dir=str(data), registry=str(reg), **CRAWL)
        assert summary["rows"] == 150 and article_hits(site) == [1] * 150
        assert list((data / "raw").glob("*.warc.gz"))
    finally:
        site.stop()


def test_parameters_as_the_ui_and_the_prefect_cli_send_them():
    """`prefect deployment run ... --param version=2026.10` sends the JSON number 2026.1: a month has
    two digits, so it is October; a bare year, a bad day or a bad version is refused by name; a
    list may come as one comma-separated string (`--param publishers=oxu,apa`)."""
    from prefect.exceptions import ParameterTypeError

    from flows.refresh import refresh

    assert refresh.validate_parameters({"version": 2026.1})["version"] == "2026.10"
    assert refresh.validate_parameters({"version": 2026.01})["version"] == "2026.01"
    assert refresh.validate_parameters({"version": "2026.10.1"})["version"] == "2026.10.1"
    with pytest.raises(ParameterTypeError, match="version 2026 has no month"):
        refresh.validate_parameters({"version": 2026})
    with pytest.raises(ParameterTypeError, match=r"'2026-10' is not YYYY\.MM"):
        refresh.validate_parameters({"version": "2026-10"})
    with pytest.raises(ParameterTypeError, match="'2026-13-01' is not a date"):
        refresh.validate_parameters({"since": "2026-13-01"})
    got = refresh.validate_parameters({"publishers": "oxu, apa", "warc": "/a.warc.gz"})
    assert got["publishers"] == ["oxu", "apa"] and got["warc"] == ["/a.warc.gz"]
    assert refresh.validate_parameters({"publishers": ["oxu"]})["publishers"] == ["oxu"]
