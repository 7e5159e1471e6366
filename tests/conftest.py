"""Shared fixtures. Nothing here reaches the network; servers bind 127.0.0.1 only."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DIR = ROOT / "data" / "samples"
SHARED_REAL = ROOT.parent / "shared" / "data" / "real"

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("TQDM_DISABLE", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/extract/golden/*.json")


@pytest.fixture(scope="session", autouse=True)
def _isolated_hf_cache(tmp_path_factory: pytest.TempPathFactory):
    """`datasets` caches builds by path: give the session its own cache."""
    os.environ["HF_DATASETS_CACHE"] = str(tmp_path_factory.mktemp("hf-datasets-cache"))
    yield


@pytest.fixture(scope="session")
def sample_warc() -> Path:
    return SAMPLE_DIR / "aznews-sample.warc.gz"


@pytest.fixture(scope="session")
def sample_manifest() -> list[dict]:
    return json.loads((SAMPLE_DIR / "MANIFEST.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session", autouse=True)
def prefect_harness():
    """One Prefect API for the whole session (Prefect's test harness: a real server on a temporary
    database), exported as PREFECT_API_URL so every `aznews` process a test starts uses it, as an
    operator's runs use theirs; a run that starts its own API costs ~11 s, so only the tests of
    that path (tests/flows/test_api.py, the kill tests) clear PREFECT_API_URL."""
    from prefect.settings import get_current_settings
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        previous = os.environ.get("PREFECT_API_URL")
        os.environ["PREFECT_API_URL"] = str(get_current_settings().api.url)
        try:
            yield
        finally:
            if previous is None:
                os.environ.pop("PREFECT_API_URL", None)
            else:
                os.environ["PREFECT_API_URL"] = previous


@pytest.fixture(scope="session")
def registry():
    from aznews.sources import load_registry

    return load_registry()


@pytest.fixture(scope="session")
def sample_records(sample_warc):
    """Every sample page through the extractor: (records, drops)."""
    from aznews.extract import extract_pages
    from aznews.fetch import iter_pages
    from aznews.ledger import Drop

    out = list(extract_pages(iter_pages(sample_warc)))
    return [r for r in out if not isinstance(r, Drop)], [r for r in out if isinstance(r, Drop)]
