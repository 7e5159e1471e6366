"""SIGKILL the refresh process mid-extraction and mid-publishing; a rerun yields the same release."""

from __future__ import annotations

import sys

import pyarrow.parquet as pq
import pytest

from tests.flows.runs import _refresh, _rows

LOCAL = {"PREFECT_API_URL": ""}  # no Prefect API: the CLI runs the steps itself (aznews.build)


@pytest.mark.parametrize(
    ("fault", "batch_records", "env"),
    [("extract", None, {}), ("extract", 4, {}), ("publish:before-rename", None, {}),
     ("extract", None, LOCAL), ("extract", 4, LOCAL), ("publish:before-rename", None, LOCAL)],
    ids=["flow-extract", "flow-extract-pool", "flow-publish", "local-extract", "local-extract-pool", "local-publish"],
)  # fmt: skip
def test_killed_run_then_rerun_gives_the_same_release(tmp_path, reference, fault, batch_records, env):
    killed = _refresh(tmp_path, "2026.11", fault, batch_records, **env)
    assert killed.returncode == -9, killed.stdout[-2000:] + killed.stderr[-2000:]
    assert not (tmp_path / "data" / "releases" / "2026.11").exists()  # nothing half-published
    parts = tmp_path / "data" / "work" / "2026.11" / "parts"
    for part in parts.glob("*.parquet"):  # a part cut short by the kill stays *.partial
        pq.read_metadata(part)
    rerun = _refresh(tmp_path, "2026.11", batch_records=batch_records, **env)
    assert rerun.returncode == 0, rerun.stdout[-2000:] + rerun.stderr[-2000:]
    release = tmp_path / "data" / "releases"
    assert [p.name for p in release.iterdir()] == ["2026.11"]  # no .partial left behind
    rows = _rows(release / "2026.11")
    assert rows == reference and len({r["id"] for r in rows}) == len(rows)


def test_kill_between_release_and_state_is_repaired_by_the_next_run(tmp_path, reference, sample_warc):
    killed = _refresh(tmp_path, "2026.11", "publish:before-state")
    assert killed.returncode == -9
    assert _rows(tmp_path / "data" / "releases" / "2026.11") == reference  # complete, just no state
    assert not (tmp_path / "data" / "state" / "dedup-index.parquet").exists()
    again = _refresh(tmp_path, "2026.11")
    assert again.returncode == 1 and "already exists" in again.stdout
    nxt = _refresh(tmp_path, "2026.12")  # state rebuilt from the 2026.11 release: nothing re-added
    assert nxt.returncode == 1 and "no new articles since release 2026.11" in nxt.stdout


@pytest.mark.parametrize(
    ("fault", "how"), [("fetch", "flow"), ("extract", "flow"), ("fetch", "cli"), ("extract", "cli")]
)
def test_killed_crawl_then_rerun_releases_every_page_fetched_once(tmp_path, fault, how):
    """Killed mid-crawl (20 pages stored) or mid-extraction of a crawl: the rerun fetches only what
    is missing, reads every WARC file no release has read, and releases all 150 articles. ``flow``:
    the Prefect flow called from Python; ``cli``: `aznews refresh --crawl`, run locally."""
    from tests.flows.demo_site import CRAWL, article_hits, start_demo_site

    reg = tmp_path / "registry.yaml"
    site = start_demo_site(reg)
    code = f"from flows.refresh import refresh; refresh(version='2026.12', registry={str(reg)!r}, **{CRAWL!r})"
    command = [sys.executable, "-c", code] if how == "flow" else [
        sys.executable, "-m", "aznews.cli", "refresh", "--crawl", "--since", CRAWL["since"], "--until", CRAWL["until"],
        "--registry", str(reg), "--version", "2026.12"]  # fmt: skip
    crawl = {"command": command, "AZNEWS_MIN_DELAY": "0", "AZNEWS_ALLOW_PRIVATE_NETWORKS": '["127.0.0.0/8"]',
             **({"PREFECT_API_URL": ""} if how == "cli" else {})}  # fmt: skip
    try:
        killed = _refresh(tmp_path, "2026.12", fault, **crawl)
        assert killed.returncode == -9, killed.stdout[-2000:]
        fetched_before = sum(article_hits(site))
        assert (fetched_before == 20) if fault == "fetch" else (fetched_before == 150)
        rerun = _refresh(tmp_path, "2026.12", **crawl)
        assert rerun.returncode == 0, rerun.stdout[-3000:]
    finally:
        site.stop()
    assert article_hits(site) == [1] * 150  # no article fetched twice
    rows = _rows(tmp_path / "data" / "releases" / "2026.12")
    assert len(rows) == 150 and len({r["id"] for r in rows}) == 150
