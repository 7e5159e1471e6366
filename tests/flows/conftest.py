"""Fixtures of the flow tests."""

from __future__ import annotations

import pytest

from tests.flows.runs import _refresh, _rows


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The release an uninterrupted run of the sample gives (what every rerun after a kill must give)."""
    cwd = tmp_path_factory.mktemp("clean")
    assert _refresh(cwd, "2026.11").returncode == 0
    return _rows(cwd / "data" / "releases" / "2026.11")
