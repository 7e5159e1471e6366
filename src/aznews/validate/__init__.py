"""Stage 5, validate: Great Expectations suites as files, severities, the release gate and report.

Names load on first use (PEP 562): importing ``aznews.validate.worker`` must not pull pandas in.
"""

from __future__ import annotations

import importlib
from typing import Any

REPORT_HTML = "report.html"
REPORT_MD = "report.md"
VALIDATION_JSON = "validation.json"  # every suite's results, written beside the report

_EXPORTS = {
    "GateFailed": "failed",
    "SuiteLoadError": "gate",
    "ValidationOutcome": "gate",
    "load_suite": "gate",
    "validate_records": "gate",
    "GateResult": "profile",
    "delta_table": "profile",
    "run_gate": "profile",
    "RowStore": "rows",
    "release_rows": "rows",
}
__all__ = sorted([*_EXPORTS, "REPORT_HTML", "REPORT_MD", "VALIDATION_JSON"])


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
