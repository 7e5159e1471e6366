"""One Prefect API per run: the one the operator gives (PREFECT_API_URL) or one the run starts."""

from __future__ import annotations

import httpx

from tests.cli import run_aznews


def test_refresh_uses_the_given_server_and_its_workers_do_too(tmp_path):
    """With PREFECT_API_URL set, `aznews refresh` starts no server, and its pool workers report
    every batch to that same server (a worker with a server of its own would not)."""
    from flows.api import prefect_api

    with prefect_api() as url:  # the operator's server: here the session's (tests/conftest.py)
        data = str(tmp_path / "data")  # names this run among any others the server has seen
        result = run_aznews(tmp_path, "refresh", "--version", "2026.11", "--data-dir", data,
                            env={"PREFECT_API_URL": url, "AZNEWS_BATCH_RECORDS": "4"})  # fmt: skip
        assert result.returncode == 0, result.stdout + result.stderr
        assert "starting a temporary Prefect API" not in result.stdout
        flows = httpx.post(f"{url}/flow_runs/filter", json={"sort": "EXPECTED_START_TIME_DESC", "limit": 50}).json()
        mine = [f for f in flows if f["parameters"].get("data_dir") == data]
        assert [f["state_type"] for f in mine] == ["COMPLETED"], flows
        runs = {"flow_runs": {"id": {"any_": [mine[0]["id"]]}}}
        tasks = httpx.post(f"{url}/task_runs/filter", json=runs).json()
    batches = [t for t in tasks if t["name"].startswith("extract-batch")]
    assert len(batches) == 4 and all(t["state_type"] == "COMPLETED" for t in batches)


def test_refresh_without_a_server_starts_exactly_one_and_stops_it(tmp_path):
    """A multi-batch run as a Prefect flow on the process pool, watched from outside: one API
    server in all (not one per worker, nor one for the pool's log forwarder), gone after the run."""
    import os
    import subprocess
    import sys
    import time

    from tests.procs import marked, new_marker

    env = {**os.environ, **new_marker(), "AZNEWS_BATCH_RECORDS": "4", "AZNEWS_ORCHESTRATOR": "prefect"}
    env.pop("PREFECT_API_URL")  # no server given: the run starts its own
    proc = subprocess.Popen([sys.executable, "-m", "aznews.cli", "refresh", "--version", "2026.11"], cwd=tmp_path,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # fmt: skip
    servers, workers = set(), set()
    while proc.poll() is None:
        for pid, cmd in marked(env):
            if "uvicorn" in cmd:
                servers.add(pid)
            elif "spawn_main" in cmd:
                workers.add(pid)
        time.sleep(0.1)
    out = proc.stdout.read()
    assert proc.returncode == 0, out[-3000:]
    assert len(servers) == 1 and len(workers) >= 2, (servers, workers)
    url = out.split("starting a temporary Prefect API at ")[1].split()[0]
    try:
        httpx.get(f"{url}/health", timeout=2)
        raise AssertionError(f"{url} still answers after the run")
    except httpx.HTTPError:
        pass
    assert marked(env) == []


def test_refresh_without_a_prefect_api_runs_locally_and_starts_no_server(tmp_path):
    """No Prefect API configured: the same steps run in the CLI's process (batches on a local
    pool), with no server to start, and give the release the Prefect flow gives."""
    import os
    import subprocess
    import sys
    import time

    from tests.flows.runs import _rows
    from tests.procs import marked, new_marker

    def release(cwd, **extra):
        env = {**os.environ, **new_marker(), "AZNEWS_BATCH_RECORDS": "4", "PREFECT_HOME": str(cwd / "ph"), **extra}
        proc = subprocess.Popen([sys.executable, "-m", "aznews.cli", "refresh", "--version", "2026.11"], cwd=cwd,
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # fmt: skip
        seen = set()
        while proc.poll() is None:
            seen.update(cmd for _, cmd in marked(env))
            time.sleep(0.1)
        out = proc.stdout.read()
        assert proc.returncode == 0, out[-3000:]
        return _rows(cwd / "data" / "releases" / "2026.11"), seen, out

    (tmp_path / "local").mkdir()
    (tmp_path / "flow").mkdir()
    local, seen, out = release(tmp_path / "local", PREFECT_API_URL="")
    assert "Prefect API" not in out and not any("uvicorn" in cmd for cmd in seen), seen
    assert any("spawn_main" in cmd for cmd in seen), seen  # 4 batches: a local pool
    flow, _, _ = release(tmp_path / "flow")  # the session's Prefect API (tests/conftest.py)
    assert local == flow and len(local) > 0
