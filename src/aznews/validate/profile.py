"""The delta the release_delta suite checks, and the gate that runs all suites."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from aznews.validate.gate import ValidationOutcome, build_data_docs, gx_context, validate_records
from aznews.validate.rows import ARTICLES, PROFILE, Table, frame_rows, measured_columns

MAX_PUBLISHER_SHARE = 0.6  # one outlet above this share of a release is a crawl problem
MAX_ROW_DROP = 0.05  # a release may not have 5% fewer rows than the previous one


def delta_table(
    previous_ids: Iterable[str] | pa.Array, new_ids: Iterable[str] | pa.Array, takedown: Iterable[str] = ()
) -> pa.Table:
    """One row per id whose status differs between the previous release and the would-be new
    one: added, taken_down or missing, with the new/previous row ratio on every row. Kept ids
    are counted in the ratio, not listed: the table grows with what changed, not with the
    corpus (Arrow compares the id columns; no set of every id)."""
    prev, new = pc.unique(as_strings(previous_ids)), pc.unique(as_strings(new_ids))
    down = pa.array(sorted(set(takedown)), pa.string())
    added = new.filter(pc.invert(pc.is_in(new, value_set=prev)))
    gone = prev.filter(pc.invert(pc.is_in(prev, value_set=new)))
    status = pc.if_else(pc.is_in(gone, value_set=down), "taken_down", "missing")
    ratio = len(new) / len(prev) if len(prev) else 1.0
    return pa.table({
        "id": pa.concat_arrays([added, gone]),
        "status": pa.concat_arrays([pa.array(["added"] * len(added), pa.string()), status.cast(pa.string())]),
        "row_ratio": pa.array([ratio] * (len(added) + len(gone)), pa.float64()),
    }).sort_by("id")  # fmt: skip


def as_strings(ids: Iterable[str] | pa.Array | pa.ChunkedArray) -> pa.Array:
    """Ids as one Arrow string array."""
    if isinstance(ids, pa.ChunkedArray):
        return ids.combine_chunks().cast(pa.string())
    return ids.cast(pa.string()) if isinstance(ids, pa.Array) else pa.array(list(ids), pa.string())


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
    articles: Table | pd.DataFrame,
    parameters: dict[str, Any],
    docs_dir: Path | None = None,
    *,
    previous_ids: pa.Array | list[str] | None = None,
    takedown: Iterable[str] = (),
    run_name: str = "aznews",
) -> GateResult:
    """Run the articles suite on the new rows (a RowStore's articles table, or a frame written
    to one), the profile suite on their derived view and, when there is a previous release, the
    release_delta suite on previous vs would-be ids."""
    articles = frame_rows(articles)
    store = articles.store
    result = GateResult()
    context = gx_context(docs_dir)  # one context for every suite: one Data Docs site, one index
    run = {"context": context, "run_name": run_name}
    measured = {k: measured_columns(v) for k, v in parameters.items() if k == "schema_columns"}  # text as measured
    result.outcomes.append(validate_records(articles, ARTICLES, {**parameters, **measured}, **run))
    params = {"max_publisher_share": MAX_PUBLISHER_SHARE, **parameters}
    result.outcomes.append(validate_records(store.table(PROFILE), "articles_profile", params, **run))
    if previous_ids is not None:
        down = set(takedown)
        previous = as_strings(previous_ids)
        kept = previous.filter(pc.invert(pc.is_in(previous, value_set=pa.array(sorted(down), pa.string()))))
        new_ids = pa.concat_arrays([kept, articles.strings("id")])  # releases are cumulative
        delta = delta_table(previous, new_ids, down)
        table = store.write("release_delta", delta.schema, delta.to_batches())
        params = {"min_row_ratio": 1 - MAX_ROW_DROP, **parameters}
        result.outcomes.append(validate_records(table, "release_delta", params, **run))
    if docs_dir is not None:
        build_data_docs(context, docs_dir)
    return result
