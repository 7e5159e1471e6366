"""Release version names (YYYY.MM, YYYY.MM.N): light to import, so that the command line checks
``--version`` before it imports the release code (the validator process starts first; see cli)."""

from __future__ import annotations

import re

VERSION_RE = re.compile(r"^(\d{4})\.(0[1-9]|1[0-2])(?:\.(\d+))?$")


def validate_version(version: str) -> str:
    if not VERSION_RE.match(version):
        raise ValueError(f"version {version!r} is not YYYY.MM or YYYY.MM.N")
    return version


def version_key(version: str) -> tuple[int, int, int]:
    """Sortable form of a version: 2026.11 < 2026.11.1 < 2026.12."""
    m = VERSION_RE.match(version)
    if not m:
        raise ValueError(f"not a release version: {version!r}")
    return int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
