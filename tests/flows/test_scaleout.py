"""The CPU-heavy batches on other task runners: same output as the sequential run, and a rerun
reuses every finished batch."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest

from aznews import stages
from aznews.config import Settings

pytestmark = pytest.mark.usefixtures("prefect_harness")

FILES = ("extracted.parquet", "deduped.parquet", "dedup-index.parquet")


@pytest.fixture(scope="module")
def sequential(sample_warc, tmp_path_factory):
    """Extract and dedup in this process, one batch after another, no Prefect."""
    work = tmp_path_factory.mktemp("sequential")
    ex = stages.run_extract([sample_warc], work / "extracted.parquet")
    stages.run_dedup(
        ex.path, work / "deduped.parquet", version="2026.11", state_dir=work / "state", releases_dir=work / "releases"
    )
    return work


def _refresh(runner, data, **kw):
    from flows.refresh import refresh
    from flows.runners import make_task_runner

    flow = refresh.with_options(task_runner=make_task_runner(Settings(task_runner=runner, workers=2)))
    return flow(version="2026.11", data_dir=str(data), batch_records=4, **kw)


@pytest.mark.parametrize("runner", ["dask", "thread"])
def test_batches_on_a_runner_give_the_sequential_output(tmp_path, sequential, runner):
    summary = _refresh(runner, tmp_path / "data")
    work = tmp_path / "data" / "work" / "2026.11"
    assert len(list((work / "parts").glob("extracted-*.parquet"))) == 4  # 15 records in batches of 4
    for name in FILES:
        assert pq.read_table(work / name).equals(pq.read_table(sequential / name)), name
    assert summary["rows"] == 8


def test_a_rerun_reuses_every_finished_batch(tmp_path):
    data = tmp_path / "data"
    first = _refresh("process", data)
    parts = sorted((data / "work" / "2026.11" / "parts").iterdir())
    before = {p.name: p.stat().st_mtime_ns for p in parts}
    again = _refresh("process", data, force=True)
    assert {p.name: p.stat().st_mtime_ns for p in parts} == before  # not one part rewritten
    assert again["rows"] == first["rows"] == 8
