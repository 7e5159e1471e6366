"""The CPU-heavy batches on other task runners: same output as the sequential run, a release
byte-identical to the golden one on every runner and orchestrator, and a rerun reuses every
finished batch."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from aznews import stages
from aznews.config import Settings
from aznews.dedup.stage import run_dedup

pytestmark = pytest.mark.usefixtures("prefect_harness")

FILES = ("extracted.parquet", "deduped.parquet", "dedup-index.parquet")
# The sample's release files as every runner and orchestrator must write them, byte for byte.
# A deliberate change of output (or a pyarrow upgrade, whose version Parquet files record)
# regenerates it: build the sample as release 2026.11 and write the SHA-256 of these files.
GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "sample-release-2026.11.json"


@pytest.fixture(scope="module")
def sequential(sample_warc, tmp_path_factory):
    """Extract and dedup in this process, one batch after another, no Prefect."""
    work = tmp_path_factory.mktemp("sequential")
    ex = stages.run_extract([sample_warc], work / "extracted.parquet")
    run_dedup(
        ex.path, work / "deduped.parquet", version="2026.11", state_dir=work / "state", releases_dir=work / "releases"
    )
    return work


def _refresh(data, **settings):
    from flows.refresh import refresh
    from flows.runners import make_task_runner

    flow = refresh.with_options(task_runner=make_task_runner(Settings(**settings)))
    return flow(version="2026.11", data_dir=str(data), batch_records=4)


def _same_as_sequential(data, sequential):
    work = data / "work" / "2026.11"
    assert len(list((work / "parts").glob("extracted-*.parquet"))) == 4  # 15 records in batches of 4
    for name in FILES:
        assert pq.read_table(work / name).equals(pq.read_table(sequential / name)), name
    _bytes_as_golden(data)


def _bytes_as_golden(data, but: str = ""):
    """``but``: a file left out (after a crash the index is rebuilt from the state: same rows,
    publisher codes in another order)."""
    release = data / "releases" / "2026.11"
    want = {k: v for k, v in json.loads(GOLDEN.read_text(encoding="utf-8")).items() if k != but}
    got = {rel: hashlib.sha256((release / rel).read_bytes()).hexdigest() for rel in want}
    assert got == want, f"the release's files differ from {GOLDEN.name} (see its comment in this module)"
    assert {f"data/{p.name}" for p in release.glob("data/*.parquet")} == {k for k in want if k.startswith("data/")}


def test_the_local_steps_write_the_golden_release_bytes(tmp_path):
    """No Prefect: aznews.build's own steps, batches on the local process pool."""
    from aznews.build import Steps, build_release
    from aznews.request import ReleaseRequest

    request = ReleaseRequest(version="2026.11", data_dir=str(tmp_path / "data"), batch_records=4)
    assert build_release(Steps(Settings(workers=2)), request)["rows"] == 8
    _bytes_as_golden(tmp_path / "data")


def test_a_dask_cluster_of_two_workers_gives_the_sequential_output(tmp_path, sequential):
    """An existing cluster, reached by address as an operator configures it; both workers work."""
    from distributed import Client, LocalCluster

    from flows.runners import local_cluster_kwargs

    cluster = LocalCluster(**local_cluster_kwargs(2))
    with cluster, Client(cluster) as client:
        summary = _refresh(tmp_path / "data", task_runner="dask", dask_address=cluster.scheduler_address)
        executed = client.run(lambda dask_worker: dask_worker.state.executed_count)
    assert len(executed) == 2 and all(n >= 1 for n in executed.values()), executed
    _same_as_sequential(tmp_path / "data", sequential)
    assert summary["rows"] == 8


@pytest.mark.parametrize("runner", ["dask", "thread"])
def test_other_runners_give_the_sequential_output(tmp_path, sequential, runner):
    """``dask`` without an address starts its own local cluster of ``workers`` processes."""
    summary = _refresh(tmp_path / "data", task_runner=runner, workers=2)
    _same_as_sequential(tmp_path / "data", sequential)
    assert summary["rows"] == 8


def test_a_rerun_reuses_every_finished_batch_and_remakes_a_lost_one(tmp_path):
    data = tmp_path / "data"
    first = _refresh(data, task_runner="process", workers=2)
    parts = sorted((data / "work" / "2026.11" / "parts").iterdir())
    before = {p.name: p.stat().st_mtime_ns for p in parts}
    shutil.rmtree(data / "releases")  # a crash after the batches: the release never appeared
    again = _refresh(data, task_runner="process", workers=2)
    assert {p.name: p.stat().st_mtime_ns for p in parts} == before  # not one part rewritten
    assert again["rows"] == first["rows"] == 8
    lost = parts[1]
    lost.unlink()  # a cached batch whose output is gone is extracted again, alone
    shutil.rmtree(data / "releases")
    third = _refresh(data, task_runner="process", workers=2)
    assert lost.exists() and third["rows"] == 8
    _bytes_as_golden(data, but="meta/dedup-index.parquet")
    # that batch's outputs: its part, its signatures, and the record of its result beside the part
    remade = {lost.name, lost.name.replace("extracted", "minhash"), lost.with_suffix(".done.json").name}
    assert {p.name: p.stat().st_mtime_ns for p in parts if p.name not in remade} == {
        k: v for k, v in before.items() if k not in remade
    }
