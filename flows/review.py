"""Find the refresh run that waits for a release's review and resume it with the decision."""

from __future__ import annotations

from prefect import get_client
from prefect.client.schemas.filters import (
    FlowRunFilter,
    FlowRunFilterState,
    FlowRunFilterStateType,
    FlowRunFilterTags,
)
from prefect.client.schemas.objects import StateType
from prefect.flow_runs import resume_flow_run

from flows.refresh import REVIEW_TAG, ReviewInput


class ReviewNotFound(LookupError):
    """No run of that version waits for review on this Prefect API."""


def paused_run(version: str) -> str:
    """The id of the paused refresh run of ``version``."""
    flt = FlowRunFilter(
        state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.PAUSED])),
        tags=FlowRunFilterTags(all_=[REVIEW_TAG.format(version=version)]),
    )
    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(flow_run_filter=flt, limit=2)
    if not runs:
        raise ReviewNotFound(f"no refresh run of {version} waits for review on this Prefect API")
    return str(runs[0].id)


def decide(version: str, decision: str, comment: str = "", reviewer: str | None = None) -> str:
    """Resume the waiting run with the decision (validated as the run's input); its id."""
    run = paused_run(version)
    data = ReviewInput(decision=decision, comment=comment, reviewer=reviewer).model_dump(
        include={"decision", "comment", "reviewer"}
    )
    resume_flow_run(run, run_input=data)
    return run
