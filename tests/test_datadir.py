"""The data dir is the corpus: one writer at a time (a second run refuses naming the holder; a
dead run's lock is taken over), and nothing in it is trusted unchecked or names a path outside it."""

from __future__ import annotations

import json
import os
import shutil
import socket
from pathlib import Path

import pytest

from aznews.datadir import LOCK_NAME, data_dir_lock
from tests.cli import run_aznews


def test_a_second_run_on_a_held_data_dir_refuses_naming_the_holder(tmp_path):
    data = tmp_path / "data"
    with data_dir_lock(data, ["aznews", "refresh", "--version", "2026.11"]):
        got = run_aznews(tmp_path, "refresh", "--version", "2026.12", "--data-dir", "data",
                         env={"PREFECT_API_URL": ""}, timeout=300)  # fmt: skip
        with data_dir_lock(data):  # the same process may nest (a backfill's months)
            pass
    lines = [line for line in got.stdout.splitlines() if line.strip()]
    assert got.returncode == 1 and len(lines) == 1, got.stdout + got.stderr
    assert f"is in use by pid {os.getpid()} on {socket.gethostname()}" in lines[0]
    assert "(aznews refresh --version 2026.11)" in lines[0] and lines[0].startswith("refresh failed: data dir ")
    assert not (data / "releases").exists()


def test_the_lock_of_a_dead_run_is_taken_over(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    dead = {"pid": 999_999_999, "host": "gone", "since": "2026-11-01T03:00:00+00:00", "command": ["aznews", "serve"]}
    (data / LOCK_NAME).write_text(json.dumps(dead), encoding="utf-8")  # a kill -9 leaves the file, not the lock
    got = run_aznews(tmp_path, "refresh", "--version", "2026.11", "--data-dir", "data", env={"PREFECT_API_URL": ""},
                     timeout=300)  # fmt: skip
    assert got.returncode == 0, got.stdout + got.stderr
    held = json.loads((data / LOCK_NAME).read_text(encoding="utf-8"))
    assert held["pid"] != dead["pid"] and held["command"][-4:] == ["--version", "2026.11", "--data-dir", "data"]


def _refresh(cwd, data, *args: str):
    return run_aznews(cwd, "refresh", "--data-dir", str(data), *args, env={"PREFECT_API_URL": ""}, timeout=300)


def _one_failure_line(got) -> str:
    lines = [line for line in got.stdout.splitlines() if line.strip()]
    assert got.returncode == 1, got.stdout + got.stderr
    assert "Traceback" not in got.stdout + got.stderr, got.stdout + got.stderr
    return lines[-1]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A data dir holding release 2026.11 of the sample, built once; each test takes a copy."""
    root = tmp_path_factory.mktemp("built")
    assert _refresh(root, root / "data", "--version", "2026.11").returncode == 0
    return root / "data"


@pytest.fixture
def data(built, tmp_path):
    return Path(shutil.copytree(built, tmp_path / "data"))


def _flip(path, at: float = 0.5, n: int = 64) -> None:
    data = bytearray(path.read_bytes())
    start = int(len(data) * at)
    data[start : start + n] = bytes(b ^ 0xFF for b in data[start : start + n])
    path.write_bytes(bytes(data))


def test_flipped_bytes_in_the_dedup_index_are_refused_and_the_release_copy_rebuilds_it(data, tmp_path):
    """Every Parquet page carries a CRC: a damaged index is refused naming the file and the way
    back; removing it rebuilds the index from the newest release's copy, which knows every id."""
    index = data / "state" / "dedup-index.parquet"
    _flip(index)
    line = _one_failure_line(_refresh(tmp_path, data, "--version", "2026.12"))
    assert f"{index}: damaged Parquet file" in line, line
    assert "remove it and run again: the index is rebuilt from the newest release's copy" in line, line
    assert not (data / "releases" / "2026.12").exists()
    index.unlink()
    again = _refresh(tmp_path, data, "--version", "2026.12")  # the same sample: every id is known again
    assert "no new articles since release 2026.11" in _one_failure_line(again)


def test_a_damaged_work_part_is_made_again_not_reused(data, tmp_path):
    sigs = data / "work" / "2026.11" / "parts" / "minhash-00000.parquet"
    _flip(sigs, at=0.3)
    garbled = sigs.read_bytes()
    got = _refresh(tmp_path, data, "--version", "2026.11", "--force")
    assert got.returncode == 0, got.stdout + got.stderr
    assert sigs.read_bytes() != garbled and "8 rows released" in got.stdout


def test_a_manifest_that_lists_fewer_files_than_the_release_holds_is_refused(data, tmp_path):
    """The next release is built on the previous one as written: its files, their sizes and row
    counts must be the manifest's, else no rows are silently dropped from every later release."""
    manifest_file = data / "releases" / "2026.11" / "meta" / "release.json"
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    manifest["files"] = manifest["files"][:1]
    manifest_file.write_text(json.dumps(manifest), encoding="utf-8")
    line = _one_failure_line(_refresh(tmp_path, data, "--version", "2026.12"))
    assert f"{manifest_file}: release 2026.11 does not match its files" in line, line
    assert "is on disk but not in the manifest" in line and "restore the release" in line, line


def test_a_copied_data_dir_builds_from_its_own_files(tmp_path):
    """No absolute path is stored in a data dir: a copy, with the original gone, rebuilds its
    release with --force from its own files, to the same rows."""
    import shutil

    import pyarrow.parquet as pq

    original, copy = tmp_path / "original", tmp_path / "copy"
    assert _refresh(tmp_path, original, "--version", "2026.11").returncode == 0

    def rows(root):
        files = sorted((root / "releases" / "2026.11" / "data").glob("*.parquet"))
        return [pq.read_table(f).to_pylist() for f in files]

    stored = [
        p
        for p in original.rglob("*")
        if p.is_file() and p.name != LOCK_NAME and str(original).encode() in p.read_bytes()
    ]
    assert stored == []
    shutil.copytree(original, copy)
    before = rows(original)
    shutil.rmtree(original)
    got = _refresh(tmp_path, copy, "--version", "2026.11", "--force")
    assert got.returncode == 0, got.stdout + got.stderr
    assert rows(copy) == before


def test_a_release_that_is_complete_reports_success_when_saving_the_state_fails(tmp_path):
    """Saving the dedup state comes after the release is complete: a failure there (a full disk;
    here the state's temp file is a folder) is a warning, and the next run uses the release's copy."""
    data = tmp_path / "data"
    (data / "state" / "dedup-index.partial").mkdir(parents=True)
    got = _refresh(tmp_path, data, "--version", "2026.11")
    assert got.returncode == 0, got.stdout + got.stderr
    assert "release 2026.11 is complete, but its dedup index could not be saved as the local state" in got.stdout
    assert "releases/2026.11/meta/dedup-index.parquet" in got.stdout and "8 rows released" in got.stdout
    assert not (data / "state" / "dedup-index.parquet").exists()
    (data / "state" / "dedup-index.partial").rmdir()
    again = _refresh(tmp_path, data, "--version", "2026.12")
    assert "no new articles since release 2026.11" in _one_failure_line(again)
