"""Review before publish: `aznews refresh --review` builds and validates, then its Prefect flow run
waits for `aznews review V`; approval ships with the decision in the changelog, a rejection or no
decision in time ships nothing and says why. Real processes on the session's Prefect API."""

from __future__ import annotations

import json
import subprocess
import sys
import time

from tests.cli import run_aznews

# Runs are found by their version's tag, so this module's tests run in turn: one module, one xdist
# worker (--dist loadfile in pyproject.toml).


def _start_refresh(data, version, **env):
    import os

    cmd = [sys.executable, "-m", "aznews.cli", "refresh", "--review", "--version", version, "--data-dir", str(data)]
    return subprocess.Popen(cmd, env={**os.environ, "COLUMNS": "200", **env}, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)  # fmt: skip


def _wait_for_review(proc, timeout=300) -> str:
    """stderr up to the line that says the release awaits review."""
    seen, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line and proc.poll() is not None:
            break
        seen.append(line)
        if "awaits review" in line:
            return "".join(seen)
    proc.kill()
    raise AssertionError("the run never waited for review:\n" + "".join(seen) + proc.stdout.read())


def test_an_approved_release_ships_with_the_decision_in_its_changelog(tmp_path):
    data = tmp_path / "data"
    proc = _start_refresh(data, "2026.11")
    _wait_for_review(proc)
    assert not (data / "releases" / "2026.11").exists()  # nothing published while it waits
    assert (data / "reports" / "2026.11" / "report.html").exists()  # the report to review is there
    decided = run_aznews(tmp_path, "review", "2026.11", "--approve", "-m", "numbers look right", "--reviewer", "lm",
                         timeout=120)  # fmt: skip
    assert decided.returncode == 0, decided.stdout + decided.stderr
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, out + err
    manifest = json.loads((data / "releases" / "2026.11" / "meta" / "release.json").read_text())
    assert manifest["changelog"][-1]["review"] | {"at": None} == {
        "decision": "approve", "comment": "numbers look right", "reviewer": "lm", "at": None,
    }  # fmt: skip
    card = (data / "releases" / "2026.11" / "README.md").read_text()
    assert "review: approve (numbers look right)" in card
    again = run_aznews(tmp_path, "review", "2026.11", "--approve", timeout=120)
    assert again.returncode == 1 and "no refresh run of 2026.11 waits for review" in again.stdout


def test_a_rejected_or_unreviewed_release_publishes_nothing_and_says_why(tmp_path):
    rejected = _start_refresh(tmp_path / "a", "2026.11")
    _wait_for_review(rejected)
    run_aznews(tmp_path, "review", "2026.11", "--reject", "-m", "wrong month", timeout=120)
    out = rejected.communicate(timeout=300)[0]
    assert rejected.returncode == 1 and "rejected by its reviewer: wrong month" in " ".join(out.split())
    assert not (tmp_path / "a" / "releases").exists()
    record = json.loads((tmp_path / "a" / "reports" / "2026.11" / "review.json").read_text())
    assert record["decision"] == "reject" and record["comment"] == "wrong month"

    late = _start_refresh(tmp_path / "b", "2026.11", AZNEWS_REVIEW_TIMEOUT_S="3")
    _wait_for_review(late)
    out = late.communicate(timeout=300)[0]
    assert late.returncode == 1 and "not reviewed in time" in " ".join(out.split())
    assert not (tmp_path / "b" / "releases").exists()


def test_review_needs_exactly_one_decision(tmp_path):
    both = run_aznews(tmp_path, "review", "2026.11", "--approve", "--reject", timeout=60)
    assert both.returncode == 2 and "exactly one of --approve or --reject" in both.stdout
