"""The few names of Prefect and Great Expectations that aznews uses although they are not public,
each kept because no public one does the job (see the closing note of issue 33), with the
dependency ranges pinned in pyproject.toml. When an upgrade moves one, its test here fails and
says which, where aznews uses it, and what breaks; nothing degrades silently."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def _moved(what: str, where: str, breaks: str) -> str:
    return f"{what} moved or changed in this release of the dependency; {where} uses it: {breaks}"


def test_prefect_temporary_global_settings_context():
    from prefect import context

    assert callable(getattr(context, "_temporary_global_settings_context", None)), _moved(
        "prefect.context._temporary_global_settings_context",
        "flows/api.py (_for_every_thread)",
        "the process pool's log and event threads would start a temporary Prefect server each",
    )


def test_prefect_subprocess_server_registry():
    from prefect.server.api import server

    instances = getattr(server.SubprocessASGIServer, "_instances", None)
    assert isinstance(instances, dict), _moved(
        "prefect.server.api.server.SubprocessASGIServer._instances",
        "flows/api.py (share_api)",
        "a flow called from plain Python would not share its temporary API with its workers",
    )


def test_prefect_server_app_factory_serves_the_api():
    """flows/api.py starts uvicorn on Prefect's app factory (no `prefect server start`: it brings
    services and a UI build a run does not need)."""
    from prefect.server.api.server import create_app

    assert callable(create_app), _moved("prefect.server.api.server.create_app", "flows/api.py (_SERVE)", "no API")


@pytest.mark.parametrize("configured", [True, False])
def test_the_profile_reading_without_prefect_agrees_with_prefect(tmp_path, configured):
    """aznews.cli.common.prefect_configured reads profiles.toml itself (importing Prefect costs
    seconds on every command); it must agree with Prefect's own reading of the same file."""
    profiles = tmp_path / "profiles.toml"
    url = 'PREFECT_API_URL = "http://127.0.0.1:4200/api"\n' if configured else ""
    profiles.write_text(f'active = "ops"\n\n[profiles.ops]\n{url}PREFECT_LOGGING_LEVEL = "INFO"\n', encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(tmp_path), PREFECT_PROFILES_PATH=str(profiles))
    code = (
        "from aznews.cli.common import prefect_configured; from prefect.settings import get_current_settings;"
        "print(prefect_configured(), get_current_settings().api.url is not None)"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    ours, prefects = out.stdout.split()
    assert ours == prefects == str(configured), _moved(
        "Prefect's profiles.toml layout", "aznews/cli/common.py (prefect_configured)", "the orchestrator choice"
    )


def test_gx_validation_results_store_can_be_rewritten():
    """Stored results are HTML-escaped before Data Docs are built (aznews/validate/gate.py
    _escape_stored_results): the store must list, get and set them."""
    from aznews.validate.gate import great_expectations

    gx = great_expectations()
    context = gx.get_context(mode="ephemeral")
    store = context.validation_results_store
    for name in ("list_keys", "get", "set"):
        assert callable(getattr(store, name, None)), _moved(
            f"GX validation_results_store.{name}", "aznews/validate/gate.py", "crawled text unescaped in Data Docs"
        )


def test_the_pins_hold_the_versions_these_names_were_checked_on():
    import tomllib

    deps = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text())["project"]
    pins = {d.split(">")[0].split("<")[0].strip(): d for d in deps["dependencies"]}
    assert "<4" in pins["prefect"] and "<2" in pins["great-expectations"], pins
