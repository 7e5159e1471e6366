"""Releases are built in order on one data dir: an older version after a newer one is refused by
name, and two versions started at once end cumulative with the index knowing every release."""

from __future__ import annotations

import itertools
import os

from tests.test_datadir import _one_failure_line, _refresh


def test_two_versions_started_at_once_end_cumulative_with_the_index_knowing_every_release(tmp_path):
    """2026.11 and 2026.12 started together on a dir holding 2026.10: one runs, the other refuses
    (the lock); run again, the refused one either follows in order or, when the newer one won, is
    refused by name with the version to use instead. Every release ends cumulative and the dedup
    index knows every release."""
    import subprocess
    import sys

    import pyarrow.parquet as pq

    from aznews.paths import sample_warc
    from tests.flows.test_refresh import _new_month_warc

    data = tmp_path / "data"
    assert _refresh(tmp_path, data, "--version", "2026.10", "--warc", str(sample_warc())).returncode == 0
    inputs = {"2026.11": _new_month_warc(tmp_path / "a"), "2026.12": _new_month_warc(tmp_path / "b", damaged=True)}

    def start(version: str) -> subprocess.Popen:
        warcs = [a for p in inputs[version] for a in ("--warc", str(p))]
        return subprocess.Popen(
            [sys.executable, "-m", "aznews.cli", "refresh", "--data-dir", str(data), "--version", version, *warcs],
            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            env={**os.environ, "PREFECT_API_URL": ""},
        )  # fmt: skip

    procs = {v: start(v) for v in inputs}
    outs = {v: p.communicate(timeout=300)[0] for v, p in procs.items()}
    refused = [v for v, p in procs.items() if p.returncode != 0]
    assert len(refused) <= 1, outs
    for version in refused:
        assert "is in use by pid" in outs[version], outs[version]
        again = start(version)
        out = again.communicate(timeout=300)[0]
        if version == "2026.11":  # 2026.12 was built first: 2026.11 can no longer go before it
            assert again.returncode == 1 and "release 2026.12 exists, newer than 2026.11" in out, out
            assert "Release these articles as 2026.12.1 instead" in out, out
            inputs["2026.12.1"] = inputs["2026.11"]
            assert start("2026.12.1").wait(300) == 0
        else:
            assert again.returncode == 0, out
    releases = sorted((data / "releases").iterdir(), key=lambda p: [int(x) for x in p.name.split(".")])

    def ids(path) -> set[str]:
        return {i for f in path.glob("data/*.parquet") for i in pq.read_table(f, columns=["id"])["id"].to_pylist()}

    for older, newer in itertools.pairwise(releases):
        assert ids(older) < ids(newer), (older.name, newer.name)
    assert len(releases) == 3 and len(ids(releases[-1])) == 8 + 3 + 2  # one December story is damaged
    index = pq.read_table(data / "state" / "dedup-index.parquet", columns=["id", "release"])
    assert set(index["id"].to_pylist()) == ids(releases[-1])
    assert set(index["release"].to_pylist()) == {p.name for p in releases}


def test_an_older_version_is_not_built_after_a_newer_one(tmp_path):
    data = tmp_path / "data"
    assert _refresh(tmp_path, data, "--version", "2026.12").returncode == 0
    line = _one_failure_line(_refresh(tmp_path, data, "--version", "2026.11"))
    assert "release 2026.12 exists, newer than 2026.11: each release is built on the one before" in line, line
    assert "Release these articles as 2026.12.1 instead" in line and not (data / "releases" / "2026.11").exists()
