"""The CLI as README command 1 runs it: a real process, relative data dir, the bundled sample."""

from typer.testing import CliRunner

from aznews.cli import app
from tests.cli import run_aznews


def _aznews(cwd, *args):
    return run_aznews(cwd, *args, timeout=300)


def test_refresh_command_with_relative_data_dir(tmp_path):
    first = _aznews(tmp_path, "refresh", "--version", "2026.11")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "8 rows" in first.stdout and "load_dataset(" in first.stdout
    assert "not_az_edition" in first.stdout and "language" in first.stdout
    # off a terminal no table wraps: a drop's row holds its rule and its whole example URL
    assert any("not_az_edition" in line and "https://" in line and line.rstrip().endswith("│")
               for line in first.stdout.splitlines()), first.stdout  # fmt: skip
    assert (tmp_path / "data" / "releases" / "2026.11" / "README.md").exists()
    assert "extract: 15/15" in first.stdout  # progress as lines when not on a terminal
    assert "telemetry" not in first.stdout + first.stderr and " INFO " not in first.stdout + first.stderr
    again = _aznews(tmp_path, "refresh", "--version", "2026.11")
    assert again.returncode == 1 and "already exists" in again.stdout
    report = _aznews(tmp_path, "report")
    assert report.returncode == 0, report.stdout + report.stderr
    assert "Quality gate: **passed**" in report.stdout
    assert str(tmp_path / "data" / "reports" / "2026.11" / "report.html") in report.stdout
    missing = _aznews(tmp_path, "report", "--version", "2025.01")
    assert missing.returncode == 1 and "no report for 2025.01" in missing.stdout
    # a release the gate blocks still shows what was kept and dropped, and why it failed
    (tmp_path / "data" / "takedown.yaml").write_text("- url_pattern: 'apa\\.az|banker|oxu'\n  reason: by mistake\n")
    blocked = _aznews(tmp_path, "refresh", "--version", "2027.01")
    (tmp_path / "data" / "takedown.yaml").unlink()
    assert blocked.returncode == 1 and "refresh failed" in blocked.stdout and "row_ratio" in blocked.stdout
    assert "records per stage" in " ".join(blocked.stdout.split()) and "dropped, and why" in blocked.stdout
    assert "already_released" in blocked.stdout


def test_registry_command():
    result = CliRunner().invoke(app, ["registry"])
    assert result.exit_code == 0 and "16 publishers" in result.output


def test_registry_check_reports_what_each_outlet_yields(tmp_path):
    from aznews.paths import sample_warc

    result = CliRunner().invoke(app, ["registry", "check", str(sample_warc()), "--data-dir", str(tmp_path)],
                                env={"COLUMNS": "200"})  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "registry check: 15 pages" in result.output
    rows = {line.split()[1]: line for line in result.output.splitlines() if line.startswith("│")}
    assert "banker" in rows and "not_az_edition" in result.output
    assert "(none kept)" in rows["trend"]  # its one page is an empty script shell
    missing = CliRunner().invoke(app, ["registry", "check", str(tmp_path / "nothing.warc.gz")])
    assert missing.exit_code == 1 and "not found" in missing.output


def _one_line_failure(result, *needles: str) -> None:
    out = result.stdout + result.stderr
    assert result.returncode != 0, out
    notices = ("starting a temporary Prefect API",)  # said before the run begins, not part of the failure
    lines = [line for line in out.splitlines() if line.strip() and not line.startswith(notices)]
    assert "Traceback" not in out and len(lines) == 1, out  # one line, not typer's box
    for needle in needles:
        assert needle in out.replace("\n", " "), out


def test_bad_arguments_fail_before_any_flow_starts(tmp_path):
    """One line naming the cause; no Prefect API is started, nothing is written."""
    from aznews.paths import sample_warc

    (tmp_path / "empty.warc.gz").write_bytes(b"")
    (tmp_path / "notes.warc.gz").write_text("not a warc\n")
    (tmp_path / "nowarcs").mkdir()
    cases = [
        (["--version", "2026-13"], "'2026-13' is not YYYY.MM or YYYY.MM.N"),
        (["--warc", "missing.warc.gz"], "WARC input not found"),
        (["--warc", "empty.warc.gz"], "empty.warc.gz: empty file, not a WARC file"),
        (["--warc", "notes.warc.gz"], "notes.warc.gz: not a WARC file"),
        (["--warc", "nowarcs"], "nowarcs: no WARC files"),
        (["--runner", "threads"], "'threads' is not one of 'thread', 'process', 'dask'"),
        (["--warc", str(sample_warc()), str(sample_warc())], "give each WARC input its own --warc"),
        (["--no-such-option"], "No such option: --no-such-option"),
    ]
    for args, message in cases:
        _one_line_failure(run_aznews(tmp_path, "refresh", *args, timeout=120), message)
    assert not (tmp_path / "data").exists()


def test_rich_markup_in_messages_is_shown_as_written(tmp_path):
    (tmp_path / "reg.yaml").write_text(
        "- id: Bad-Id\n  name: X\n  domains: [x.az]\n  homepage: https://x.az/\n"
        "  editions: [{language: az, prefix: https://x.az/}]\n"
    )
    result = run_aznews(tmp_path, "registry", "--registry", "reg.yaml", timeout=120)
    _one_line_failure(result, "^[a-z0-9_]{2,32}$")


def test_prefect_api_wait_is_bounded_and_named(tmp_path):
    dead = run_aznews(tmp_path, "refresh", env={"PREFECT_API_URL": "http://127.0.0.1:9/api",
                      "AZNEWS_PREFECT_STARTUP_TIMEOUT": "2"}, timeout=120)  # fmt: skip
    _one_line_failure(dead, "the Prefect API at http://127.0.0.1:9/api did not answer within 2 s")
    slow = run_aznews(tmp_path, "refresh", env={"AZNEWS_PREFECT_STARTUP_TIMEOUT": "0.5", "PREFECT_API_URL": "",
                      "AZNEWS_ORCHESTRATOR": "prefect"}, timeout=120)  # fmt: skip
    _one_line_failure(slow, "the temporary Prefect API did not answer within 0.5 s", "AZNEWS_PREFECT_STARTUP_TIMEOUT")


def test_data_dir_is_the_only_root_even_for_the_robots_cache(tmp_path):
    """`refresh --data-dir X` reads the crawler's robots.txt cache from X/state, never from a
    ./data beside the working directory, and writes nothing there."""
    import os

    from aznews.fetch.state import CrawlState
    from aznews.paths import sample_warc

    def cache(root, robots: str) -> None:
        (root / "state").mkdir(parents=True)
        state = CrawlState(root / "state" / "crawl.sqlite")
        state.robots_put("apa.az", 200, robots)
        state.close()

    cache(tmp_path / "data", "User-agent: *\nAllow: /\n")  # the ./data an operator left beside
    cache(tmp_path / "x", "User-agent: *\nDisallow: /cemiyyet/\n")
    before = sorted(str(p) for p in (tmp_path / "data").rglob("*"))
    got = run_aznews(tmp_path, "refresh", "--version", "2026.11", "--data-dir", "x", "--warc", str(sample_warc()),
                     env={"PREFECT_API_URL": ""}, timeout=300)  # fmt: skip
    assert got.returncode == 0, got.stdout + got.stderr
    assert "robots_disallow" in got.stdout and "https://apa.az/cemiyyet/901234" in got.stdout, got.stdout
    assert sorted(str(p) for p in (tmp_path / "data").rglob("*")) == before
    assert (tmp_path / "x" / "releases" / "2026.11").is_dir() and os.listdir(tmp_path / "x" / "state")
