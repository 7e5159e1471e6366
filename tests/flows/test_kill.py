"""SIGKILL of the `aznews refresh` CLI alone, on every runner: nothing it started stays behind, and
the rerun gives the release an uninterrupted run gives. (Apart from tests/flows/test_crash.py so
that xdist runs the two long modules side by side.)"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys

import pytest

from tests.flows.runs import _refresh, _rows


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
