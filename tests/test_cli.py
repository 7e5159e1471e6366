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
    assert (tmp_path / "data" / "releases" / "2026.11" / "README.md").exists()
    again = _aznews(tmp_path, "refresh", "--version", "2026.11")
    assert again.returncode == 1 and "already exists" in again.stdout
    report = _aznews(tmp_path, "report")
    assert report.returncode == 0, report.stdout + report.stderr
    assert "Quality gate: **passed**" in report.stdout
    assert str(tmp_path / "data" / "reports" / "2026.11" / "report.html") in report.stdout
    missing = _aznews(tmp_path, "report", "--version", "2025.01")
    assert missing.returncode == 1 and "no report for 2025.01" in missing.stdout


def test_registry_command():
    result = CliRunner().invoke(app, ["registry"])
    assert result.exit_code == 0 and "16 publishers" in result.output
