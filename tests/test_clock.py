"""The clock is read in one place (aznews.clock), which AZNEWS_NOW sets; the calendar follows
Baku. Checked at the first and last minute of a month and of a year."""

import re
from pathlib import Path

import pytest

from aznews import clock
from aznews.publish import next_version
from flows.deployment import previous_month

ROOT = Path(__file__).resolve().parents[1]

# (Baku instant, the default version: the month just ended, whose news the monthly run adds,
# and that month's crawl window)
BOUNDARIES = [
    ("2026-11-30T23:59:00+04:00", "2026.10", ("2026-10-01", "2026-11-01")),
    ("2026-12-01T00:00:00+04:00", "2026.11", ("2026-11-01", "2026-12-01")),
    ("2026-12-31T23:59:00+04:00", "2026.11", ("2026-11-01", "2026-12-01")),
    ("2027-01-01T00:00:00+04:00", "2026.12", ("2026-12-01", "2027-01-01")),
]


@pytest.mark.parametrize(("instant", "version", "window"), BOUNDARIES)
def test_calendar_at_month_and_year_boundaries(monkeypatch, instant, version, window):
    monkeypatch.setenv(clock.ENV, instant)
    assert next_version([]) == version
    assert next_version([version]) == f"{version}.1"
    assert previous_month() == window


def test_frozen_clock_is_utc_and_rejects_nonsense(monkeypatch):
    monkeypatch.setenv(clock.ENV, "2027-01-01T00:00:00+04:00")
    assert clock.now().isoformat() == "2026-12-31T20:00:00+00:00"
    monkeypatch.setenv(clock.ENV, "2027-01-01T00:00:00")
    with pytest.raises(ValueError, match="zone offset"):
        clock.now()
    monkeypatch.setenv(clock.ENV, "tomorrow")
    with pytest.raises(ValueError, match="ISO timestamp"):
        clock.now()


def test_the_wall_clock_is_read_only_in_aznews_clock():
    reads = re.compile(r"datetime\.now\(|date\.today\(|utcnow\(|time\.time\(\)")
    offenders = [
        str(p.relative_to(ROOT))
        for folder in ("src", "flows")
        for p in (ROOT / folder).rglob("*.py")
        if reads.search(p.read_text(encoding="utf-8")) and p.name != "clock.py"
    ]
    assert offenders == []
