"""Every documented way to run the monthly schedule, end to end, as an operator runs it: real
processes (``aznews serve``, ``prefect deploy``, ``prefect worker``, ``dask scheduler``/``dask
worker``), a run triggered on the deployment as the schedule would, the flow run waited for until
it ends, and the release it made checked."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.procs import marked, new_marker

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SAMPLE = ROOT / "data" / "samples" / "aznews-sample.warc.gz"
pytestmark = pytest.mark.slow  # one module, one xdist worker (--dist loadfile): one deployment name, in turn


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, **new_marker(), "PREFECT_SERVER_ANALYTICS_ENABLED": "false", **extra}


@contextmanager
def _process(args: list[str], log: Path, env: dict[str, str], cwd: Path = ROOT) -> Iterator[subprocess.Popen]:
    """A long-running command (its output in ``log``), stopped as Ctrl-C would, then killed."""
    with log.open("w") as out:
        proc = subprocess.Popen(args, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            yield proc
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGINT)
                try:
                    proc.wait(30)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()


def _wait_for(what: str, check, timeout: float, log: Path | None = None, every: float = 0.5):
    deadline = time.monotonic() + timeout
    while True:
        if got := check():
            return got
        if time.monotonic() > deadline:
            tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
            raise AssertionError(f"{what}: not within {timeout:g} s\n{tail}")
        time.sleep(every)


def _deployment(api: str, name: str):
    """The deployment, or None while it (or the API) is not there yet."""
    import httpx
    from prefect import get_client
    from prefect.exceptions import ObjectNotFound

    try:
        with get_client(sync_client=True, httpx_settings={"base_url": api}) as client:
            return client.read_deployment_by_name(name)
    except (ObjectNotFound, httpx.HTTPError):
        return None


def _served(api: str, data: Path):
    """This serve's deployment (a stopped serve of an earlier test leaves its own behind)."""
    dep = _deployment(api, "refresh/monthly-refresh-serve")
    return dep if dep is not None and dep.parameters.get("data_dir") == str(data) else None


def _trigger(api: str, name: str, *params: str) -> str:
    """`prefect deployment run NAME --param k=v ...` as the operator types it; the new run's id."""
    args = [str(BIN / "prefect"), "deployment", "run", name]
    for p in params:
        args += ["--param", p]
    got = subprocess.run(args, env=_env(PREFECT_API_URL=api), capture_output=True, text=True, timeout=180)
    assert got.returncode == 0, got.stdout + got.stderr
    return got.stdout.split("UUID: ")[1].split()[0]


def _final_state(api: str, run_id: str, timeout: float, log: Path):
    from prefect import get_client

    def ended():
        with get_client(sync_client=True, httpx_settings={"base_url": api}) as client:
            run = client.read_flow_run(run_id)
        return run.state if run.state is not None and run.state.is_final() else None

    return _wait_for(f"flow run {run_id} to end", ended, timeout, log, every=1.0)


def _rows(release: Path) -> int:
    import json

    return json.loads((release / "meta" / "release.json").read_text(encoding="utf-8"))["rows"]


def _api() -> str:
    return os.environ["PREFECT_API_URL"]  # the session's server (tests/conftest.py)


def _no_leftovers(env: dict[str, str], tmp: Path) -> None:
    _wait_for("every process of the run to exit", lambda: not marked(env), 20)
    assert not list(tmp.glob("aznews-prefect-api-*")), list(tmp.glob("*"))


def test_serve_runs_each_triggered_run_and_says_how_it_ended(tmp_path):
    """`aznews serve` on the operator's API: a run with a bad version fails with the README's
    message, then a run with the version typed as a bare number (as `--param version=2026.10`
    sends it) builds the release; the console tells each start and outcome."""
    api, data, log = _api(), tmp_path / "data", tmp_path / "serve.log"
    env = _env(TMPDIR=str(tmp_path))
    with _process([str(BIN / "aznews"), "serve", "--data-dir", str(data)], log, env) as serve:
        dep = _wait_for("the served deployment", lambda: _served(api, data), 120, log)
        assert dep.work_pool_name is None and dep.schedules[0].schedule.cron == "0 3 1 * *"
        bad = _trigger(api, "refresh/monthly-refresh-serve", "version=2026", "crawl=false")
        state = _final_state(api, bad, 240, log)
        assert state.is_failed() and "version 2026 has no month" in state.message, state.message
        good = _trigger(api, "refresh/monthly-refresh-serve", "version=2026.10", "crawl=false",
                        f"warc={SAMPLE}")  # fmt: skip
        state = _final_state(api, good, 240, log)
        assert state.is_completed(), state.message
        assert "2026.10: 8 rows (8 new)" in state.message
        _wait_for("serve to print the outcome", lambda: "completed: 2026.10: 8 rows" in log.read_text(), 30, log)
        assert serve.poll() is None
    out = log.read_text()
    assert "started" in out and "failed: " in out and "version 2026 has no month" in out, out
    assert _rows(data / "releases" / "2026.10") == 8
    assert "Traceback" not in out, out
    _no_leftovers(env, tmp_path)


def test_serve_without_an_api_starts_its_own_and_a_kill_leaves_nothing(tmp_path):
    """No PREFECT_API_URL: serve starts one temporary API (with the scheduler), a triggered run
    completes on it; `kill -9` of serve then takes the server along, and no file stays in TMPDIR."""
    data, log = tmp_path / "data", tmp_path / "serve.log"
    env = _env(TMPDIR=str(tmp_path), PREFECT_HOME=str(tmp_path / "prefect-home"))
    env.pop("PREFECT_API_URL")
    with _process([str(BIN / "aznews"), "serve", "--data-dir", str(data)], log, env) as serve:
        started = "starting a temporary Prefect API at "
        _wait_for("the temporary API", lambda: started in log.read_text(), 120, log)
        api = log.read_text().split(started)[1].split()[0]
        _wait_for("the served deployment", lambda: _served(api, data), 180, log)
        run = _trigger(api, "refresh/monthly-refresh-serve", 'version="2026.11"', "crawl=false", f"warc={SAMPLE}")
        state = _final_state(api, run, 240, log)
        assert state.is_completed(), state.message
        serve.kill()  # SIGKILL to the CLI alone, as an OOM killer would
        serve.wait(30)
    assert _rows(data / "releases" / "2026.11") == 8
    _no_leftovers(env, tmp_path)


def test_prefect_deploy_and_a_process_worker_run_the_deployment(tmp_path):
    """README: `prefect work-pool create`, `prefect deploy --all` in the checkout, `prefect worker
    start`; a run of refresh/monthly-refresh with parameters as the CLI sends them completes in
    the worker's flow-run process and builds the release. `aznews serve` then refuses to add a
    second schedule beside it, and an AZNEWS_HOME that is no checkout is refused, naming it."""
    api, data = _api(), tmp_path / "data"
    env = _env(PREFECT_API_URL=api)
    env.pop("AZNEWS_HOME", None)
    pool = subprocess.run([str(BIN / "prefect"), "work-pool", "create", "aznews", "--type", "process"], env=env,
                          capture_output=True, text=True, timeout=180)  # fmt: skip
    assert pool.returncode == 0 or "already exists" in pool.stdout + pool.stderr, pool.stdout + pool.stderr
    deploy = subprocess.run([str(BIN / "prefect"), "deploy", "--all", "--no-prompt"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)  # fmt: skip
    assert deploy.returncode == 0, deploy.stdout + deploy.stderr
    try:
        _deployed_run(api, data, env, tmp_path)
    finally:  # the session's other serve tests must not meet its schedule
        from prefect import get_client

        if (dep := _deployment(api, "refresh/monthly-refresh")) is not None:
            with get_client(sync_client=True, httpx_settings={"base_url": api}) as client:
                client.delete_deployment(dep.id)


def _deployed_run(api: str, data: Path, env: dict[str, str], tmp_path: Path) -> None:
    dep = _deployment(api, "refresh/monthly-refresh")
    assert dep.work_pool_name == "aznews" and dep.pull_steps[0]["prefect.deployments.steps.set_working_directory"] == {
        "directory": str(ROOT)
    }
    refused = subprocess.run([str(BIN / "aznews"), "serve", "--data-dir", str(data)], env=env, capture_output=True,
                             text=True, timeout=180)  # fmt: skip
    assert refused.returncode == 1 and "already runs this schedule" in refused.stdout, refused.stdout + refused.stderr
    assert "schedule pause 'refresh/monthly-refresh'" in refused.stdout
    assert _deployment(api, "refresh/monthly-refresh").pull_steps == dep.pull_steps  # untouched by serve

    log = tmp_path / "worker.log"
    with _process([str(BIN / "prefect"), "worker", "start", "--pool", "aznews"], log, env, cwd=tmp_path):
        run = _trigger(api, "refresh/monthly-refresh", 'version="2026.09"', "crawl=false", f"warc=[\"{SAMPLE}\"]",
                       f"data_dir={data}")  # fmt: skip
        state = _final_state(api, run, 300, log)
        assert state.is_completed(), state.message + log.read_text()[-3000:]
    assert _rows(data / "releases" / "2026.09") == 8
    assert "discarding data" not in log.read_text()

    # AZNEWS_HOME names where the worker's runs start; a directory that is no checkout is refused
    wrong = subprocess.run([str(BIN / "prefect"), "deploy", "--all", "--no-prompt"], cwd=ROOT,
                           env={**env, "AZNEWS_HOME": str(tmp_path)}, capture_output=True, text=True,
                           timeout=300)  # fmt: skip
    out = wrong.stdout + wrong.stderr
    assert wrong.returncode != 0 and f"AZNEWS_HOME={tmp_path} holds no flows/refresh.py" in out, out
    assert _deployment(api, "refresh/monthly-refresh").pull_steps == dep.pull_steps  # nothing stored


@contextmanager
def _dask_cluster(tmp: Path, env: dict[str, str]) -> Iterator[str]:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    sched = [str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"]
    worker = [str(BIN / "dask"), "worker", address, "--nthreads", "1", "--no-dashboard", "--host", "127.0.0.1"]
    wenv = {**env, "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
    with (
        _process(sched, tmp / "scheduler.log", env),
        _process(worker, tmp / "worker-1.log", wenv),
        _process(worker, tmp / "worker-2.log", wenv),
    ):
        from distributed import Client

        with Client(address, timeout=120) as client:
            client.wait_for_workers(2, timeout=120)
        yield address


def test_serve_on_a_dask_cluster_runs_the_batches_on_its_workers(tmp_path):
    """`AZNEWS_TASK_RUNNER=dask AZNEWS_DASK_ADDRESS=...`: a real `dask scheduler` and two `dask
    worker` processes; the served run's extract batches run on those two workers."""
    api, data, log = _api(), tmp_path / "data", tmp_path / "serve.log"
    env = _env(TMPDIR=str(tmp_path))
    with _dask_cluster(tmp_path, env) as address:
        serve_env = {**env, "AZNEWS_TASK_RUNNER": "dask", "AZNEWS_DASK_ADDRESS": address}
        with _process([str(BIN / "aznews"), "serve", "--data-dir", str(data)], log, serve_env):
            _wait_for("the served deployment", lambda: _served(api, data), 120, log)
            run = _trigger(api, "refresh/monthly-refresh-serve", "version=2026.08", "crawl=false", f"warc={SAMPLE}",
                           "batch_records=4")  # fmt: skip
            state = _final_state(api, run, 300, log)
            assert state.is_completed(), state.message
            ran = _computed(address)
            # one batch (the sample's 15 records): it runs in the flow's process, and the run says so
            one = _trigger(api, "refresh/monthly-refresh-serve", "version=2026.09", "crawl=false", f"warc={SAMPLE}",
                           f"data_dir={tmp_path / 'other'}")  # fmt: skip
            state = _final_state(api, one, 300, log)
            assert state.is_completed() and "ran in the flow's process, not on the Dask cluster" in state.message
            assert _computed(address) == ran
    assert _rows(data / "releases" / "2026.08") == 8
    assert len(ran) == 2 and all(n > 0 for n in ran.values()), ran
    _no_leftovers(env, tmp_path)


def _computed(address: str) -> dict[str, int]:
    """How many tasks each Dask worker computed: only extract batches go to the task runner (the
    other steps run in the flow's process), so each is a batch."""
    from distributed import Client

    with Client(address, timeout=60) as client:
        return client.run(lambda dask_worker: sum(e[1] == "compute-task" for e in dask_worker.state.log))


def test_no_temporary_file_is_left_by_a_refresh(tmp_path):
    env = _env(TMPDIR=str(tmp_path))
    got = subprocess.run([str(BIN / "aznews"), "refresh", "--version", "2026.11", "--data-dir", str(tmp_path / "d")],
                         env=env, capture_output=True, text=True, timeout=300)  # fmt: skip
    assert got.returncode == 0, got.stdout + got.stderr
    assert not [p for p in tmp_path.iterdir() if p.name != "d"], list(tmp_path.iterdir())
