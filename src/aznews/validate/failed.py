"""The gate's refusal, importable without what validation imports (GX, pandas)."""

from __future__ import annotations

from typing import Any


class GateFailed(RuntimeError):
    """Critical expectations failed: the release must not be published."""

    def __init__(self, outcome: Any, summary: dict[str, Any] | None = None):
        """``outcome``: a ValidationOutcome or a GateResult (anything with failure_message()), or
        the failure message itself; ``summary``: the run's stage counts and drops up to the gate
        (what the CLI shows beside the failure)."""
        self.outcome, self.summary = outcome, summary
        super().__init__(outcome if isinstance(outcome, str) else outcome.failure_message())

    def __reduce__(self) -> tuple[Any, ...]:  # crosses process boundaries as its message (and summary)
        return (GateFailed, (str(self), self.summary))
