"""SIGKILL the refresh process mid-extraction and mid-publishing; a rerun yields the same release."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys

import pyarrow.parquet as pq
import pytest


def _refresh(cwd, version, fault=None, batch_records=None, command=None, **env_extra):
    """Run `aznews refresh` (or ``command``) in its own process group; afterwards kill whatever it
    left running (a SIGKILLed CLI leaves its temporary Prefect server behind, as a real crash
    would). ``batch_records`` small enough for several batches puts extraction on the process
    pool, so the kill comes from a worker and takes the flow and its pool down together."""
    env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false", **env_extra}
    env.pop("AZNEWS_FAULT", None)
    env.pop("AZNEWS_BATCH_RECORDS", None)
    if fault:
        env["AZNEWS_FAULT"] = fault
    if batch_records:
        env["AZNEWS_BATCH_RECORDS"] = str(batch_records)
    log = cwd / f"refresh-{version}-{fault or 'clean'}.log"
    args = command or [sys.executable, "-m", "aznews.cli", "refresh", "--version", version]
    with log.open("a") as out:
        proc = subprocess.Popen(args, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)  # fmt: skip
        try:
            code = proc.wait(timeout=600)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
    return subprocess.CompletedProcess(proc.args, code, log.read_text(), "")


def _rows(release):
    rows = []
    for f in sorted((release / "data").glob("*.parquet")):
        for r in pq.read_table(f).to_pylist():
            r.pop("fetched_at", None)
            rows.append(r)
    return sorted(rows, key=lambda r: r["id"])


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    cwd = tmp_path_factory.mktemp("clean")
    assert _refresh(cwd, "2026.11").returncode == 0
    return _rows(cwd / "data" / "releases" / "2026.11")


LOCAL = {"PREFECT_API_URL": ""}  # no Prefect API: the CLI runs the steps itself (aznews.pipeline)


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


@pytest.mark.parametrize("runner", ["local", "process", "thread", "dask"])
def test_kill_9_of_the_cli_leaves_no_process_and_the_rerun_gives_the_same_release(tmp_path, reference, runner):
    """What an OOM killer or a lost SSH session does: SIGKILL of the `aznews refresh` process
    alone, mid-extraction of a multi-batch input. Every process it started (the Prefect API,
    pool or Dask workers, extraction helpers, the resource tracker) is gone within 10 s, and
    the rerun gives the release an uninterrupted run gives. ``local``: no Prefect API, the CLI
    runs the steps itself on a local process pool; the others are Prefect flows."""
    import time

    from tests.procs import marked, new_marker

    env = {**os.environ, **new_marker(), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "AZNEWS_BATCH_RECORDS": "2", "AZNEWS_WORKERS": "2"}  # fmt: skip
    env["AZNEWS_TASK_RUNNER"] = "process" if runner == "local" else runner
    if runner == "local":
        env["PREFECT_API_URL"] = ""
    if runner == "process":  # the run starts its own Prefect API, which must go too (~11 s: once is enough)
        env.update(PREFECT_API_URL="", AZNEWS_ORCHESTRATOR="prefect")
    env.pop("AZNEWS_FAULT", None)
    parts = tmp_path / "data" / "work" / "2026.11" / "parts"
    with (tmp_path / "killed.log").open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "aznews.cli", "refresh", "--version", "2026.11"],
                                cwd=tmp_path, env=env, stdout=out, stderr=subprocess.STDOUT)  # fmt: skip
    try:
        deadline = time.monotonic() + 300
        while not list(parts.glob("extracted-*.parquet")) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert proc.poll() is None, (tmp_path / "killed.log").read_text()[-2000:]
        started = {cmd for _, cmd in marked(env)}
        assert len(started) >= 2 + (runner == "process"), started  # the CLI, a worker (and its own API)
        proc.kill()
        proc.wait()
        deadline = time.monotonic() + 10
        while (left := marked(env)) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert left == [], left
    finally:
        for pid, _ in marked(env):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    if runner in ("local", "process"):  # the resume itself is the same on every runner (test_scaleout.py)
        again = {k: env[k] for k in ("PREFECT_API_URL", "AZNEWS_ORCHESTRATOR", "AZNEWS_TASK_RUNNER") if k in env}
        rerun = _refresh(tmp_path, "2026.11", batch_records=2, AZNEWS_WORKERS="2", **again)
        assert rerun.returncode == 0, rerun.stdout[-2000:]
        assert _rows(tmp_path / "data" / "releases" / "2026.11") == reference
