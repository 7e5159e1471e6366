"""Stage 5, validate: Great Expectations suites as files, severities, and the release gate."""

from aznews.validate.gate import (
    GateFailed,
    SuiteLoadError,
    ValidationOutcome,
    load_suite,
    validate_records,
)

__all__ = ["GateFailed", "SuiteLoadError", "ValidationOutcome", "load_suite", "validate_records"]
