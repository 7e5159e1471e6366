import json

import pandas as pd
import pytest

from aznews.paths import expectations_dir
from aznews.schema import column_names
from aznews.validate import SuiteLoadError, load_suite, validate_records
from aznews.validate.failed import GateFailed
from aznews.validate.rows import measured_columns

PARAMS = {"schema_columns": measured_columns(column_names()), "publisher_ids": ["apa", "oxu", "icma"]}


@pytest.fixture
def frame(sample_records):
    rows = [dict(r, split="train") for r in sample_records[0] if r["publisher"] in ("apa", "oxu", "icma")]
    for r in rows:
        r.pop("date_rejected", None)
    return pd.DataFrame(rows, columns=column_names())  # the suite sees the text as its measures


@pytest.mark.parametrize("suite", ["articles", "articles_profile", "release_delta"])
def test_every_suite_loads_completely(suite):
    spec = json.loads((expectations_dir() / f"{suite}.json").read_text(encoding="utf-8"))
    params = {**PARAMS, "max_publisher_share": 0.6, "min_row_ratio": 0.95}
    assert len(load_suite(suite, params).expectations) == len(spec["expectations"])


def test_misspelled_expectation_is_an_error(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "name": "bad",
                "expectations": [
                    {
                        "type": "expect_column_values_to_not_be_null",
                        "kwargs": {"column": "id"},
                        "severity": "critical",
                    },
                    {
                        "type": "expect_column_values_to_be_uniqe",
                        "kwargs": {"column": "id"},
                        "severity": "critical",
                    },
                ],
            }
        )
    )
    with pytest.raises(SuiteLoadError, match="1 of 2 expectations did not load"):
        load_suite(bad)


def test_missing_severity_and_parameter_are_errors(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "name": "bad",
                "expectations": [{"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "id"}}],
            }
        )
    )
    with pytest.raises(SuiteLoadError, match="no valid severity"):
        load_suite(bad)
    with pytest.raises(SuiteLoadError, match="parameter 'schema_columns' was not supplied"):
        load_suite("articles", {})


def test_clean_rows_pass(frame):
    outcome = validate_records(frame, "articles", PARAMS)
    assert outcome.passed, outcome.failure_message()


def test_duplicate_id_fails_critically_with_sample(frame):
    broken = pd.concat([frame, frame.iloc[[0]]], ignore_index=True)
    outcome = validate_records(broken, "articles", PARAMS)
    assert not outcome.passed
    failed = [r.type for r in outcome.critical_failures]
    assert failed == ["expect_column_values_to_be_unique"]
    msg = str(GateFailed(outcome))
    assert "expect_column_values_to_be_unique(id)" in msg and frame.iloc[0]["id"] in msg


def test_suite_referring_to_missing_column_is_an_error(frame):
    with pytest.raises(SuiteLoadError, match="columns the data lacks"):
        validate_records(frame.drop(columns=["text"]), "articles", PARAMS)


def test_a_release_file_is_validated_with_its_text_measured(tmp_path, sample_records):
    """The stage writes a release's rows into the store a batch at a time, the text as its length
    and a damage flag; the suite fails on the damaged text, naming the row."""
    import pyarrow.parquet as pq

    from aznews.schema import records_table
    from aznews.validate.rows import RowStore, release_rows

    rows = [dict(r, split="train") for r in sample_records[0] if r["publisher"] in ("apa", "oxu", "icma")]
    for r in rows:
        r.pop("date_rejected", None)
    rows[0]["text"] = "Bakı\ufffd\ufffd şəhərində yeni park açılıb və sakinlər bundan çox razıdır."
    path = tmp_path / "rows.parquet"
    pq.write_table(records_table(rows), path)
    with RowStore(tmp_path / "rows.sqlite") as store:
        table = release_rows(path, store, batch_rows=2)
        assert table.columns == measured_columns(column_names())
        assert [n for (n,) in table.query("SELECT text_chars FROM {t}")] == [len(r["text"]) for r in rows]
        assert [d for (d,) in table.query("SELECT text_damaged FROM {t}")] == [1] + [0] * (len(rows) - 1)
        outcome = validate_records(table, "articles", PARAMS)
        assert [r.kwargs["column"] for r in outcome.critical_failures] == ["text_damaged"]
        assert outcome.row_count == len(rows)
    assert not (tmp_path / "rows.sqlite").exists()  # a scratch file: gone with the store
