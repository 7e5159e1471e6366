"""Derived frames the warning and delta suites check, and the gate that runs all suites."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from aznews.limits import REPLACEMENT_RUN
from aznews.parquet import open_parquet
from aznews.validate.gate import ValidationOutcome, as_tuples, build_data_docs, gx_context, validate_records

TEXT_MEASURES = ("text_chars", "text_damaged")  # what the suites see of ``text``
MAX_PUBLISHER_SHARE = 0.6  # one outlet above this share of a release is a crawl problem
MAX_ROW_DROP = 0.05  # a release may not have 5% fewer rows than the previous one


def measured_columns(columns: list[str]) -> list[str]:
    """The column list with ``text`` replaced, in place, by its measures."""
    return [m for c in columns for m in (TEXT_MEASURES if c == "text" else (c,))]


def _measures(text: pa.Array) -> list[pa.Array]:
    """Per row: the text's length in characters, and whether it holds a run of U+FFFD (bytes that
    did not decode; aznews.limits). Null text, null measures."""
    return [pc.utf8_length(text), pc.match_substring_regex(text, REPLACEMENT_RUN)]


def measure_text(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its ``text`` column replaced, in place, by the text measures."""
    if "text" not in frame.columns:
        return frame
    text = pa.array(frame["text"], type=pa.string())
    out = frame.drop(columns=["text"])
    at = list(frame.columns).index("text")
    for offset, (name, values) in enumerate(zip(TEXT_MEASURES, _measures(text), strict=True)):
        out.insert(at + offset, name, values.to_pandas())
    return out


def release_frame(path: Path, batch_rows: int = 2000) -> pd.DataFrame:
    """A release's rows for the suites and the report, read a batch at a time: every column but
    ``text``, which is measured per batch and never held whole (texts are most of a release)."""
    schema = pq.read_schema(path)
    names = measured_columns(schema.names)
    batches = []
    for batch in open_parquet(path).iter_batches(batch_size=batch_rows):
        columns = {n: batch.column(n) for n in schema.names if n != "text"}
        columns.update(zip(TEXT_MEASURES, _measures(batch.column("text")), strict=True))
        batches.append(pa.record_batch([columns[n] for n in names], names=names))
    table = pa.Table.from_batches(batches) if batches else pa.table({n: [] for n in names})
    lists = [f.name for f in table.schema if pa.types.is_list(f.type)]
    frame = table.drop_columns(lists).to_pandas()
    for name in lists:  # tuples, not an array per cell: hashable for GX, and the empty ones shared
        column = pd.Series(table.column(name).to_pylist(), dtype=object)
        frame.insert(table.schema.get_field_index(name), name, as_tuples(column))
    return frame


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


def delta_frame(
    previous_ids: Iterable[str] | pa.Array, new_ids: Iterable[str] | pa.Array, takedown: Iterable[str] = ()
) -> pd.DataFrame:
    """One row per id whose status differs between the previous release and the would-be new
    one: added, taken_down or missing, with the new/previous row ratio on every row. Kept ids
    are counted in the ratio, not listed: the frame grows with what changed, not with the
    corpus (Arrow compares the id columns; no set of every id)."""
    prev, new = pc.unique(as_strings(previous_ids)), pc.unique(as_strings(new_ids))
    down = pa.array(sorted(set(takedown)), pa.string())
    added = new.filter(pc.invert(pc.is_in(new, value_set=prev)))
    gone = prev.filter(pc.invert(pc.is_in(prev, value_set=new)))
    status = pc.if_else(pc.is_in(gone, value_set=down), "taken_down", "missing")
    table = pa.table({
        "id": pa.concat_arrays([added, gone]),
        "status": pa.concat_arrays([pa.array(["added"] * len(added), pa.string()), status.cast(pa.string())]),
    }).sort_by("id")  # fmt: skip
    frame = table.to_pandas()
    frame["row_ratio"] = len(new) / len(prev) if len(prev) else 1.0
    return frame


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
    articles: pd.DataFrame,
    parameters: dict[str, Any],
    docs_dir: Path | None = None,
    *,
    previous_ids: pa.Array | list[str] | None = None,
    takedown: Iterable[str] = (),
    run_name: str = "aznews",
) -> GateResult:
    """Run the articles suite on the new rows, the profile suite on their derived frame and,
    when there is a previous release, the release_delta suite on previous vs would-be ids."""
    result = GateResult()
    context = gx_context(docs_dir)  # one context for every suite: one Data Docs site, one index
    run = {"context": context, "run_name": run_name}
    # the suites see the text as its measures (release_frame reads them without holding texts)
    articles = measure_text(articles)
    measured = {k: measured_columns(v) for k, v in parameters.items() if k == "schema_columns"}
    result.outcomes.append(validate_records(articles, "articles", {**parameters, **measured}, **run))
    params = {"max_publisher_share": MAX_PUBLISHER_SHARE, **parameters}
    result.outcomes.append(validate_records(profile_frame(articles), "articles_profile", params, **run))
    if previous_ids is not None:
        down = set(takedown)
        previous = as_strings(previous_ids)
        kept = previous.filter(pc.invert(pc.is_in(previous, value_set=pa.array(sorted(down), pa.string()))))
        new_ids = pa.concat_arrays([kept, pa.array(articles["id"], pa.string())])  # releases are cumulative
        delta = delta_frame(previous, new_ids, down)
        params = {"min_row_ratio": 1 - MAX_ROW_DROP, **parameters}
        result.outcomes.append(validate_records(delta, "release_delta", params, **run))
    if docs_dir is not None:
        build_data_docs(context, docs_dir)
    return result
