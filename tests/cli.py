"""Run the ``aznews`` command line as a real process, the way users run it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_aznews(
    cwd: Path | None, *args: str, env: dict[str, str] | None = None, timeout: int = 600
) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "aznews.cli", *args], cwd=cwd, env=full_env, capture_output=True, text=True,
        timeout=timeout,
    )  # fmt: skip
