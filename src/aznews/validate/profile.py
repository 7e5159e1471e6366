"""Derived frames the warning and delta suites check, and the gate that runs all suites."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from aznews.validate.gate import ValidationOutcome, validate_records

MAX_PUBLISHER_SHARE = 0.6  # one outlet above this share of a release is a crawl problem
MAX_ROW_DROP = 0.05  # a release may not have 5% fewer rows than the previous one


def profile_frame(articles: pd.DataFrame) -> pd.DataFrame:
    """One row per article: has_date, has_author, in_cluster, its publisher's share, and how many
    seconds its published time lies after its fetch time (None without a date)."""
    shares = articles["publisher"].map(articles["publisher"].value_counts(normalize=True))
    lead = pd.to_datetime(articles["published_at"], utc=True) - pd.to_datetime(articles["fetched_at"], utc=True)
    return pd.DataFrame(
        {
            "publisher": articles["publisher"],
            "published_lead_s": lead.dt.total_seconds().astype(float),
            "has_date": articles["published_at"].notna().astype(float),
            "has_author": articles["authors"].map(lambda a: float(a is not None and len(a) > 0)),
            "in_cluster": (articles["cluster_size"] > 1).astype(float),
            "publisher_share": shares.astype(float),
        }
    )


def delta_frame(previous_ids: Iterable[str], new_ids: Iterable[str], takedown: Iterable[str] = ()) -> pd.DataFrame:
    """One row per id in the previous or the new release: kept, added, taken_down or missing,
    with the new/previous row ratio on every row."""
    prev, new, down = set(previous_ids), set(new_ids), set(takedown)
    ids = sorted(prev | new)

    def status(i: str) -> str:
        if i in prev and i in new:
            return "kept"
        if i in new:
            return "added"
        return "taken_down" if i in down else "missing"

    ratio = len(new) / len(prev) if prev else 1.0
    return pd.DataFrame({"id": ids, "status": [status(i) for i in ids], "row_ratio": ratio})


@dataclass
class GateResult:
    """All suites of one release; ``passed`` is False when any critical expectation failed."""

    outcomes: list[ValidationOutcome] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return all(o.passed for o in self.outcomes)

    @property
    def warnings(self) -> list[str]:
        return [f"{o.suite}: {w.describe()}" for o in self.outcomes for w in o.warnings]

    def failure_message(self) -> str:
        return "\n".join(o.failure_message() for o in self.outcomes if not o.passed)

    def to_dict(self) -> dict[str, Any]:
        return {"passed": self.passed, "suites": [o.to_dict() for o in self.outcomes]}


def run_gate(
    articles: pd.DataFrame,
    parameters: dict[str, Any],
    docs_dir: Path | None = None,
    *,
    previous_ids: list[str] | None = None,
    takedown: Iterable[str] = (),
) -> GateResult:
    """Run the articles suite on the new rows, the profile suite on their derived frame and,
    when there is a previous release, the release_delta suite on previous vs would-be ids."""
    result = GateResult()

    def docs(suite: str) -> Path | None:
        return docs_dir / suite if docs_dir is not None else None

    result.outcomes.append(validate_records(articles, "articles", parameters, docs("articles")))
    params = {"max_publisher_share": MAX_PUBLISHER_SHARE, **parameters}
    result.outcomes.append(
        validate_records(profile_frame(articles), "articles_profile", params, docs("articles_profile"))
    )
    if previous_ids is not None:
        down = set(takedown)
        new_ids = [i for i in previous_ids if i not in down] + articles["id"].tolist()  # cumulative
        delta = delta_frame(previous_ids, new_ids, down)
        params = {"min_row_ratio": 1 - MAX_ROW_DROP, **parameters}
        result.outcomes.append(validate_records(delta, "release_delta", params, docs("release_delta")))
    return result
