"""Find the processes a run started, from outside: each inherits a marker in its environment."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

MARKER = "AZNEWS_TEST_RUN"


def new_marker() -> dict[str, str]:
    return {MARKER: uuid.uuid4().hex}


def marked(env: dict[str, str]) -> list[tuple[int, str]]:
    """(pid, command line) of every live process whose environment carries ``env``'s marker."""
    needle = f"{MARKER}={env[MARKER]}".encode()
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            if needle not in (proc / "environ").read_bytes().split(b"\0"):
                continue
            state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
            cmd = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")[:200]
        except OSError:
            continue
        if state != "Z":  # a zombie has exited; only its parent's wait is missing
            found.append((int(proc.name), cmd))
    return found
