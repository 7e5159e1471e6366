"""Stage 5, validate: Great Expectations suites as files, severities, the release gate and report."""

from aznews.validate.gate import (
    GateFailed,
    SuiteLoadError,
    ValidationOutcome,
    load_suite,
    validate_records,
)
from aznews.validate.profile import GateResult, delta_frame, profile_frame, run_gate

__all__ = [
    "GateFailed",
    "GateResult",
    "SuiteLoadError",
    "ValidationOutcome",
    "delta_frame",
    "load_suite",
    "profile_frame",
    "run_gate",
    "validate_records",
]
