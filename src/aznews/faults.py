"""Fault injection for crash tests: with ``AZNEWS_FAULT=<name>`` set, the process SIGKILLs itself
at the checkpoint of that name (no cleanup, no atexit), exactly like an OOM kill or a power cut."""

from __future__ import annotations

import os
import signal


def checkpoint(name: str) -> None:
    if os.environ.get("AZNEWS_FAULT") == name:
        os.kill(os.getpid(), signal.SIGKILL)
