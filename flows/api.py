"""One Prefect API per run, started and stopped by the run.

With ``PREFECT_API_URL`` set (a real server), a run uses that server. Without it, the run starts
one temporary API server itself (uvicorn on 127.0.0.1, SQLite in ``PREFECT_HOME``), exports its
URL in the environment so every process it starts (pool workers, Dask workers) talks to this one
server instead of starting its own, and stops it when the run ends. The server watches the run
(aznews.lifeline), so a ``kill -9`` of the run takes it along.

Either way the wait for the API is bounded (``AZNEWS_PREFECT_STARTUP_TIMEOUT`` seconds, default
180: a busy 2-core machine may need a minute) and ends in one clear line, not a traceback.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from typing import IO

import httpx

TIMEOUT_ENV = "AZNEWS_PREFECT_STARTUP_TIMEOUT"
DEFAULT_TIMEOUT_S = 180.0
_SERVE = (
    "import sys; from aznews.lifeline import exit_with_parent; exit_with_parent(); import uvicorn; "
    "uvicorn.run('prefect.server.api.server:create_app', factory=True, host='127.0.0.1', port=int(sys.argv[1]), "
    "log_level='error', lifespan='on')"
)


class PrefectApiError(RuntimeError):
    """The Prefect API could not be started or reached in time."""


def startup_timeout() -> float:
    raw = os.environ.get(TIMEOUT_ENV)
    try:
        return float(raw) if raw else DEFAULT_TIMEOUT_S
    except ValueError:
        raise PrefectApiError(f"{TIMEOUT_ENV}={raw!r} is not a number of seconds") from None


def configured_url() -> str | None:
    """The API URL this process is set to use (environment or Prefect settings), if any."""
    from prefect.settings import get_current_settings

    return os.environ.get("PREFECT_API_URL") or get_current_settings().api.url or None


def _wait_healthy(url: str, timeout: float, proc: subprocess.Popen | None, log: IO[bytes] | None) -> None:
    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=5.0) as client:
        while True:
            if proc is not None and proc.poll() is not None:
                tail = _tail(log)
                raise PrefectApiError(f"the temporary Prefect API exited with code {proc.returncode}{tail}")
            with contextlib.suppress(httpx.HTTPError):
                if client.get(f"{url}/health").status_code == 200:
                    return
            if time.monotonic() > deadline:
                what = "the temporary Prefect API" if proc is not None else f"the Prefect API at {url}"
                raise PrefectApiError(
                    f"{what} did not answer within {timeout:g} s; on a busy machine raise {TIMEOUT_ENV}, "
                    "or set PREFECT_API_URL to a running server"
                )
            time.sleep(0.2)


def _tail(log: IO[bytes] | None) -> str:
    """The last line the server wrote (its log has no name on disk: see ``prefect_api``)."""
    if log is None:
        return ""
    with contextlib.suppress(OSError):
        log.seek(0)
        lines = [line.strip() for line in log.read().decode("utf-8", "replace").splitlines() if line.strip()]
        return f": {lines[-1][:300]}" if lines else ""
    return ""


@contextlib.contextmanager
def _for_every_thread() -> Iterator[None]:
    """Make the current settings (with the API URL) the process-wide ones too. Threads that do
    not inherit the caller's context (the process pool's log and event forwarder) read those;
    with Prefect's defaults there they would start a temporary server of their own. Prefect's
    test harness does the same, with the same private helper; without it, nothing is changed."""
    from prefect import context

    swap = getattr(context, "_temporary_global_settings_context", None)
    if swap is None:
        yield
        return
    with swap(context.get_settings_context()):
        yield


def _drain() -> None:
    """Send the logs and events still queued in this process before the server goes away."""
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    for worker in (APILogWorker, EventsWorker):
        with contextlib.suppress(Exception):
            worker.drain_all(timeout=10)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def prefect_api(
    *, services: bool = False, on_start: Callable[[str], None] | None = None, timeout: float | None = None
) -> Iterator[str]:
    """Yield the URL of the one Prefect API this run uses (see the module docstring).

    ``services``: run the server's background services (the scheduler that ``flow.serve``
    needs); a one-off run does without them. ``on_start`` is told when a server is being started.
    """
    timeout = startup_timeout() if timeout is None else timeout
    url = configured_url()
    if url:
        _wait_healthy(url.rstrip("/"), timeout, None, None)
        yield url
        return
    from prefect.settings import PREFECT_API_URL, temporary_settings

    env = {
        **os.environ,
        "PREFECT_UI_ENABLED": "0",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT__SERVER_FINAL": "1",
    }
    if not services:
        env["PREFECT__SERVER_EPHEMERAL"] = "1"
    # unlinked from the start (O_TMPFILE or unlink-on-open): nothing stays in the temp folder after
    # any exit of this process, kill -9 included, while the server writes and _tail reads it
    log = tempfile.TemporaryFile(prefix="aznews-prefect-api-")  # noqa: SIM115
    port = _free_port()
    url = f"http://127.0.0.1:{port}/api"
    if on_start is not None:
        on_start(url)
    proc = subprocess.Popen(
        [sys.executable, "-c", _SERVE, str(port)], env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log
    )
    previous = os.environ.get("PREFECT_API_URL")
    try:
        _wait_healthy(url, timeout, proc, log)
        os.environ["PREFECT_API_URL"] = url  # inherited by every process the run starts
        with temporary_settings(updates={PREFECT_API_URL: url}), _for_every_thread():
            try:
                yield url
            finally:
                _drain()  # with the settings still in force: a worker's client must not go looking
    finally:
        if previous is None:
            os.environ.pop("PREFECT_API_URL", None)
        else:
            os.environ["PREFECT_API_URL"] = previous
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def share_api() -> None:
    """Export this process's Prefect API URL, so the workers a runner starts talk to it instead of
    each starting a temporary server of its own. ``aznews`` commands start one API per run and
    export it already (flows/api.py); this covers a flow called from plain Python, whose API is
    Prefect's own temporary server (already imported and running then, so this costs nothing)."""
    from prefect.settings import get_current_settings

    if os.environ.get("PREFECT_API_URL") or get_current_settings().api.url:
        return
    server = sys.modules.get("prefect.server.api.server")
    running = server and server.SubprocessASGIServer._instances.get(None)
    if running is not None and running.running:
        os.environ["PREFECT_API_URL"] = running.api_url
