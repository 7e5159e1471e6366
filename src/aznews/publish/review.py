"""A maintainer's review of a release before it ships: the decision, and where it is recorded.

The orchestration that waits for the decision (a paused Prefect flow run) lives in ``flows/``;
this module only says what a decision is and writes it down: into the release's changelog when
approved, and beside the release report (``review.json``) whatever it was.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from aznews import clock

REVIEW_JSON = "review.json"


class ReviewRejected(RuntimeError):
    """The release was rejected by its reviewer, or no decision came in time: nothing shipped."""


class Review(BaseModel):
    """What the maintainer decides; ``timeout`` is recorded when nobody decided in time."""

    decision: Literal["approve", "reject", "timeout"]
    comment: str = Field("", max_length=2000)
    reviewer: str | None = None
    at: str = Field(default_factory=lambda: clock.now().isoformat(timespec="seconds"))

    @property
    def approved(self) -> bool:
        return self.decision == "approve"

    def changelog_entry(self) -> dict[str, Any]:
        return self.model_dump(exclude_none=True)


def record_review(report_dir: Path, version: str, review: Review) -> Path:
    """Write the decision beside the release report; a rejection raises ReviewRejected after."""
    report_dir.mkdir(parents=True, exist_ok=True)
    path = report_dir / REVIEW_JSON
    path.write_text(json.dumps({"version": version, **review.changelog_entry()}, ensure_ascii=False, indent=1))
    return path


def rejection(version: str, review: Review) -> ReviewRejected:
    """The error a run ends with when its release does not ship, saying why."""
    why = {"reject": "rejected by its reviewer", "timeout": "not reviewed in time"}[review.decision]
    comment = f": {review.comment}" if review.comment else ""
    return ReviewRejected(f"release {version} {why}{comment}; nothing was published")
