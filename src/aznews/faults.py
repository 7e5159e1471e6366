"""Fault injection for crash tests: with ``AZNEWS_FAULT=<name>`` set, the process SIGKILLs its
whole process group at the checkpoint of that name (the flow and every worker it started; no
cleanup, no atexit), exactly like an OOM kill of the container or a power cut."""

from __future__ import annotations

import os
import signal


def checkpoint(name: str) -> None:
    if os.environ.get("AZNEWS_FAULT") == name:
        os.killpg(os.getpgid(0), signal.SIGKILL)
