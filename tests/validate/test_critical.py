"""Every critical expectation, made to fail on purpose: the gate says so and names it."""

from __future__ import annotations

import json
from datetime import timedelta

import pandas as pd
import pytest

from aznews.limits import MAX_FUTURE_SKEW
from aznews.paths import expectations_dir
from aznews.schema import column_names
from aznews.sources import load_registry
from aznews.validate import run_gate

PARAMS = {"schema_columns": column_names(), "publisher_ids": [p.id for p in load_registry()]}


def _future(f: pd.DataFrame) -> None:
    f.loc[0, "published_at"] = f.loc[0, "fetched_at"] + MAX_FUTURE_SKEW + timedelta(minutes=1)


# (suite, expectation type, column) -> how to break a clean frame (in place) or the delta inputs
BREAKERS = {
    ("articles", "expect_table_columns_to_match_ordered_list", None): lambda f: f.insert(0, "extra", 1),
    ("articles", "expect_column_values_to_be_unique", "id"): lambda f: f.__setitem__("id", f.loc[0, "id"]),
    ("articles", "expect_column_values_to_not_be_null", "id"): lambda f: f.__setitem__("id", [None, *f["id"][1:]]),
    ("articles", "expect_column_values_to_not_be_null", "url"): lambda f: f.__setitem__("url", [None, *f["url"][1:]]),
    ("articles", "expect_column_values_to_not_be_null", "publisher"): lambda f: f.__setitem__(
        "publisher", [None, *f["publisher"][1:]]
    ),
    ("articles", "expect_column_values_to_not_be_null", "text_chars"): lambda f: f.__setitem__(
        "text", [None, *f["text"][1:]]
    ),
    ("articles", "expect_column_values_to_not_be_null", "fetched_at"): lambda f: f.__setitem__(
        "fetched_at", [pd.NaT, *f["fetched_at"][1:]]
    ),
    ("articles", "expect_column_values_to_be_in_set", "language"): lambda f: f.__setitem__("language", "tr"),
    ("articles", "expect_column_values_to_be_in_set", "split"): lambda f: f.__setitem__("split", "dev"),
    ("articles", "expect_column_values_to_be_in_set", "publisher"): lambda f: f.__setitem__("publisher", "nowhere"),
    ("articles", "expect_column_values_to_be_between", "text_chars"): lambda f: f.__setitem__("text", "qısa"),
    ("articles", "expect_column_values_to_be_in_set", "text_damaged"): lambda f: f.__setitem__(
        "text", "Bak\ufffd\ufffd şəhərində yeni park açılıb və sakinlər bundan razıdır."
    ),
    ("articles_profile", "expect_column_values_to_be_between", "published_lead_s"): _future,
}


def _critical(suite: str) -> set[tuple]:
    spec = json.loads((expectations_dir() / f"{suite}.json").read_text(encoding="utf-8"))
    return {(suite, e["type"], e["kwargs"].get("column")) for e in spec["expectations"] if e["severity"] == "critical"}


@pytest.fixture
def frame(sample_records) -> pd.DataFrame:
    rows = [dict(r, split="train") for r in sample_records[0]]
    for r in rows:
        r.pop("date_rejected", None)
    return pd.DataFrame(rows, columns=column_names())


def test_every_critical_expectation_has_a_breaking_test():
    suites = ("articles", "articles_profile", "release_delta")
    assert set(BREAKERS) | set(DELTA) == set().union(*map(_critical, suites))


def test_clean_sample_passes_every_suite(frame):
    gate = run_gate(frame, PARAMS, previous_ids=[])
    assert gate.passed, gate.failure_message()


def test_a_published_time_within_the_tolerated_skew_passes(frame):
    """The extract stage keeps a date up to MAX_FUTURE_SKEW after the fetch; so does the gate."""
    frame.loc[0, "published_at"] = frame.loc[0, "fetched_at"] + MAX_FUTURE_SKEW
    assert run_gate(frame, PARAMS).passed


@pytest.mark.parametrize("key", sorted(BREAKERS, key=str), ids=lambda k: f"{k[1]}-{k[2]}")
def test_breaking_one_critical_expectation_fails_the_gate(frame, key):
    broken = frame.copy()
    BREAKERS[key](broken)
    gate = run_gate(broken, PARAMS)
    failed = {(o.suite, r.type, r.kwargs.get("column")) for o in gate.outcomes for r in o.critical_failures}
    assert not gate.passed
    assert key in failed
    assert key[1] in gate.failure_message()


DELTA = {
    ("release_delta", "expect_column_values_to_be_in_set", "status"): "lost",
    ("release_delta", "expect_column_values_to_be_between", "row_ratio"): "shrunk",
}


@pytest.mark.parametrize("key", sorted(DELTA, key=str), ids=lambda k: k[2])
def test_release_delta_blocks_lost_ids(frame, key):
    """run_gate builds the would-be release itself (it cannot lose an id), so the delta suite is
    fed a would-be release that did: one id gone silently, or 10% gone (taken down) at once."""
    from aznews.validate import delta_table, validate_records
    from aznews.validate.profile import MAX_ROW_DROP

    previous = [f"old{i:04d}" for i in range(1000)]
    drop = 1 if DELTA[key] == "lost" else 100
    takedown = [] if DELTA[key] == "lost" else previous[:drop]
    delta = delta_table(previous, previous[drop:] + frame["id"].tolist(), takedown)
    outcome = validate_records(delta, "release_delta", {"min_row_ratio": 1 - MAX_ROW_DROP})
    failed = {(outcome.suite, r.type, r.kwargs.get("column")) for r in outcome.critical_failures}
    assert key in failed


def test_taken_down_ids_may_leave():
    """The delta lists what changed (kept ids only count in the ratio: it grows with the release,
    not with the corpus)."""
    from aznews.validate import delta_table

    d = delta_table(["a", "b", "c", "e"], ["a", "c", "d"], takedown=["b"]).to_pydict()
    assert dict(zip(d["id"], d["status"], strict=True)) == {"b": "taken_down", "d": "added", "e": "missing"}
    assert set(d["row_ratio"]) == {0.75}
    assert delta_table(["a"], ["a"]).num_rows == 0
