"""Row-level tolerances, defined once: the extract stage repairs or drops a row that breaks one
(with a rule in the drop ledger), and the suites in ``expectations/`` check the release against
the same values (filled in as ``$PARAMETER``s), so one bad page can never block a release and a
critical expectation only fails when the stage that enforces it is broken.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

# A page's own time may run ahead of our fetch clock (a server with a skewed clock, a time zone
# printed wrong). Within this much it is kept; further ahead the date is dropped (the row stays).
MAX_FUTURE_SKEW = timedelta(hours=6)
MIN_TEXT_CHARS = 40
MAX_TEXT_CHARS = 200_000
# Two or more U+FFFD in a row: bytes that did not decode; the text is damaged, not the language.
REPLACEMENT_RUN = "\ufffd{2,}"
_REPLACEMENT_RUN = re.compile(REPLACEMENT_RUN)


def text_defect(text: str) -> tuple[str, str] | None:
    """(rule, detail) when ``text`` breaks a row-level tolerance, else None."""
    if len(text) < MIN_TEXT_CHARS:
        return "too_short", f"{len(text)} characters < {MIN_TEXT_CHARS}"
    if len(text) > MAX_TEXT_CHARS:
        return "too_long", f"{len(text)} characters > {MAX_TEXT_CHARS}"
    if m := _REPLACEMENT_RUN.search(text):
        return "encoding_damage", f"{text.count(chr(0xFFFD))} replacement characters, first at {m.start()}"
    return None


def suite_parameters() -> dict[str, Any]:
    """The tolerances as the suites' ``$PARAMETER`` values."""
    return {
        "min_text_chars": MIN_TEXT_CHARS,
        "max_text_chars": MAX_TEXT_CHARS,
        "replacement_run": REPLACEMENT_RUN,
        "max_future_skew_s": MAX_FUTURE_SKEW.total_seconds(),
    }
