"""One writer per data dir: a second run refuses in one line naming the holder; the lock of a dead
run is taken over."""

from __future__ import annotations

import json
import os
import socket

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
