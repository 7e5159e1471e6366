"""What ``aznews serve`` prints of its own runs: each run's start and outcome, one line each,
read from the Prefect API (the runs execute in subprocesses whose logs the console does not
show without ``--verbose``)."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator

from prefect.client.schemas.filters import (
    DeploymentFilter,
    DeploymentFilterName,
    FlowFilter,
    FlowFilterName,
    FlowRunFilter,
    FlowRunFilterState,
    FlowRunFilterStateType,
)
from prefect.client.schemas.objects import FlowRun, StateType
from prefect.client.schemas.sorting import FlowRunSort

from aznews import clock

DONE = {StateType.COMPLETED: "completed", StateType.FAILED: "failed", StateType.CRASHED: "crashed",
        StateType.CANCELLED: "cancelled"}  # fmt: skip
SEEN = [StateType.RUNNING, *DONE]


def describe(run: FlowRun) -> str | None:
    """One line for a run in a state worth telling, or None."""
    state = run.state
    if state is None:
        return None
    which = f"{clock.now().astimezone():%Y-%m-%d %H:%M:%S} run {run.name} ({str(run.id)[:8]})"
    if state.type is StateType.RUNNING:
        return f"{which} started"
    if state.type in DONE:
        message = " ".join((state.message or "").split())
        return f"{which} {DONE[state.type]}" + (f": {message}" if message else "")
    return None


@contextlib.contextmanager
def watch_runs(flow: str, deployment: str, say: Callable[[str], None], every: float = 2.0) -> Iterator[None]:
    """Tell ``say`` each start and outcome of the deployment's runs while the block runs (runs that
    had ended before it began are not told again)."""
    from prefect import get_client

    stop = threading.Event()
    told: dict[str, StateType] = {}

    def poll(client, quiet: bool) -> None:
        runs = client.read_flow_runs(
            flow_filter=FlowFilter(name=FlowFilterName(any_=[flow])),
            deployment_filter=DeploymentFilter(name=DeploymentFilterName(any_=[deployment])),
            flow_run_filter=FlowRunFilter(state=FlowRunFilterState(type=FlowRunFilterStateType(any_=SEEN))),
            sort=FlowRunSort.EXPECTED_START_TIME_DESC,
            limit=50,
        )
        for run in reversed(runs):
            key, kind = str(run.id), run.state.type if run.state else None
            if kind is None or told.get(key) is kind:
                continue
            told[key] = kind
            if not quiet and (line := describe(run)):
                say(line)

    def loop() -> None:
        with get_client(sync_client=True) as client:
            first = True
            while not stop.is_set():
                with contextlib.suppress(Exception):  # a missed poll is told at the next one
                    poll(client, quiet=first)
                    first = False
                stop.wait(every)

    thread = threading.Thread(target=loop, name="aznews-serve-watch", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=every + 5)
