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


def pytest_configure(config: pytest.Config) -> None:
    """One Prefect API server for the whole test run, started by the controlling process and
    inherited by every xdist worker through PREFECT_API_URL, as an operator's runs share theirs.
    Its database lives in a temporary PREFECT_HOME of its own; it runs no background services
    (nothing here waits for a scheduler: runs are triggered). A server start costs ~13 CPU-s, so
    one per worker (Prefect's test harness) cost a core-minute on a 2-core machine; the tests of
    the start-your-own path (tests/flows/test_api.py, the kill tests, serve without an API) clear
    PREFECT_API_URL and start theirs."""
    if hasattr(config, "workerinput"):  # an xdist worker: the controller's server is in its environment
        return
    import tempfile

    from flows.api import prefect_api

    home = tempfile.mkdtemp(prefix="aznews-test-prefect-")
    saved = {k: os.environ.pop(k, None) for k in ("PREFECT_API_URL", "PREFECT_HOME")}
    os.environ["PREFECT_HOME"] = home  # the server's database; read by the server process only
    api = prefect_api(timeout=300)
    try:
        api.__enter__()  # exports PREFECT_API_URL
    finally:
        if saved["PREFECT_HOME"] is None:
            os.environ.pop("PREFECT_HOME")
        else:
            os.environ["PREFECT_HOME"] = saved["PREFECT_HOME"]
    config.stash[_API] = (api, home)


# The longest modules (each ~1-3.5 min of real processes, measured with --durations) go first: with
# --dist loadfile a worker takes a whole module, so one of these taken last leaves the other
# workers idle while it runs (the suite's last 6% took 3.5 of its 8 minutes before).
LONGEST_FIRST = (
    "tests/flows/test_schedule.py", "tests/flows/test_crash.py", "tests/flows/test_kill.py",
    "tests/test_datadir.py", "tests/test_cli.py", "tests/flows/test_api.py", "tests/flows/test_review.py",
    "tests/flows/test_refresh.py", "tests/flows/test_scaleout.py", "tests/fetch/test_ccnews.py",
    "tests/flows/test_deployment.py", "tests/test_build.py", "tests/publish/test_hub.py",
)  # fmt: skip


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    rank = {path: i for i, path in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))  # stable: file order kept


def pytest_unconfigure(config: pytest.Config) -> None:
    if (got := config.stash.get(_API, None)) is not None:
        import shutil

        api, home = got
        api.__exit__(None, None, None)
        shutil.rmtree(home, ignore_errors=True)


_API = pytest.StashKey[tuple]()


@pytest.fixture(scope="session", autouse=True)
def prefect_harness():
    """The run's Prefect API (see ``pytest_configure``)."""
    assert os.environ.get("PREFECT_API_URL"), "the test run's Prefect API is not set"
    yield


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
