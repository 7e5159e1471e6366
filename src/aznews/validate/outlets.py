"""Per-outlet health of a run: for each outlet, the pages seen, the articles kept and the pages
dropped per rule, beside what the outlet added to the previous release; and one warning per outlet
that broke. No set of fixtures covers the live web: a changed template, a wrong registry entry or a
page shape the classifier has never seen shows up here as one rule taking most of an outlet's
pages, or as an outlet that falls silent. The warnings never block a release (the other outlets
ship); they reach the CLI, the flow run, the report's verdict and the card's limitations."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from aznews.sources.registry import Registry
from aznews.validate.since import FALL_MIN_ROWS, FALL_SHARE  # the report's 'falling' outlets, the same bound

# Rules about what a page is or where it lives: one of them taking most of an outlet's pages means
# the outlet (or its registry entry) changed, not that its articles were poor.
PAGE_RULES = frozenset({
    "not_article", "listing_page", "other_page", "home_page", "not_az_edition", "empty", "http_status",
    "not_html", "robots_disallow", "parse_error", "language",
})  # fmt: skip
MOST = 0.5  # a rule that drops more than this share of an outlet's pages ...
MIN_PAGES = 10  # ... of at least this many pages (fewer are noise) names the outlet
_HINTS = {
    "listing_page": "the page classifier read its articles as listings: a page shape it has not seen?",
    "other_page": "no date or article metadata found on its pages: a changed template?",
    "not_az_edition": "the registry's az edition prefix may be wrong",
    "http_status": "the site answered with errors",
    "empty": "no article text found: a changed template?",
    "language": "its pages were not identified as Azerbaijani",
}


@dataclass
class OutletHealth:
    publisher: str
    seen: int = 0
    kept: int = 0  # new rows it adds to this release
    dropped: dict[str, int] = field(default_factory=dict)  # rule -> pages
    last_added: int | None = None  # rows it added to the previous release (None: no previous release)
    warning: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def counts_from_ledger(ledger: dict[str, Any]) -> dict[str, Counter]:
    """Per outlet: ``seen`` (pages read), ``article`` (rows kept to the end) and each drop rule,
    from a run's ledger (``Ledger.to_dict``); the same shape ``stages.survey_outlets`` gives."""
    out: dict[str, Counter] = {}
    kept = [(r["stage"], r["publisher"], r["kept"]) for r in ledger.get("kept", [])]
    last = "dedup" if any(stage == "dedup" for stage, _, _ in kept) else "extract"
    for stage, pub, n in kept:
        if stage == "extract":
            out.setdefault(pub, Counter())["seen"] += n
        if stage == last:
            out.setdefault(pub, Counter())["article"] += n
    for r in ledger.get("by_rule", []):
        counts = out.setdefault(r["publisher"], Counter())
        if r["stage"] in ("read", "extract"):
            counts["seen"] += r["dropped"]
        counts[r["rule"]] += r["dropped"]
    out.pop("-", None)  # pages of no registry outlet
    return out


def outlet_health(
    counts: dict[str, Counter], registry: Registry | None = None, last_added: Counter | None = None,
    previous: str | None = None,
) -> list[OutletHealth]:  # fmt: skip
    """One row per outlet seen (or that added rows last release), a warning where it broke."""
    rows = []
    for pub in sorted(set(counts) | set(last_added or ())):
        c = counts.get(pub, Counter())
        row = OutletHealth(pub, seen=c["seen"], kept=c["article"],
                           dropped={r: n for r, n in sorted(c.items()) if r not in ("seen", "article") and n},
                           last_added=None if last_added is None else last_added[pub])  # fmt: skip
        row.warning = _warning(row, registry, previous)
        rows.append(row)
    return rows


def _warning(row: OutletHealth, registry: Registry | None, previous: str | None) -> str | None:
    history = f"{previous} added {row.last_added}" if previous and row.last_added else ""
    if row.seen >= MIN_PAGES:
        rule, n = max(((r, n) for r, n in row.dropped.items() if r in PAGE_RULES), key=lambda x: x[1], default=("", 0))
        if n > MOST * row.seen:
            hint = _hint(rule, row, registry)
            why = "; ".join(x for x in (hint, history) if x)
            return f"{row.publisher}: {n} of {row.seen} pages dropped as {rule}" + (f" ({why})" if why else "")
    last = row.last_added or 0
    # fell silent (none after some), or fell as the report's since-last section flags it
    if last and (row.kept == 0 or (last >= FALL_MIN_ROWS and row.kept < FALL_SHARE * last)):
        seen = f"{row.seen} page(s) seen" if row.seen else "no page of it in this run's input"
        return (
            f"{row.publisher}: {row.kept} new rows, down from {last} in {previous} "
            f"({seen}: has its site or feed changed?)"
        )
    return None


def _hint(rule: str, row: OutletHealth, registry: Registry | None) -> str:
    if rule == "not_article":
        pub = registry.by_id.get(row.publisher) if registry is not None else None
        if pub is not None and pub.article_url:
            return "its registry article_url never matches" if row.kept == 0 else "its registry article_url matches few"
        return "URLs not in its article shape"
    return _HINTS.get(rule, "")
