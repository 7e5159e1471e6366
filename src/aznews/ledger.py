"""Drop-with-reason bookkeeping: every record that leaves the pipeline says where and why."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class Drop:
    """One record removed from the pipeline, with the rule that removed it."""

    stage: str
    rule: str
    url: str
    publisher: str | None = None
    detail: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Ledger:
    """Counts of kept and dropped records per stage, rule and publisher."""

    kept: Counter = field(default_factory=Counter)  # (stage, publisher) -> n
    dropped: Counter = field(default_factory=Counter)  # (stage, rule, publisher) -> n
    drops: list[Drop] = field(default_factory=list)

    def keep(self, stage: str, publisher: str | None, n: int = 1) -> None:
        self.kept[(stage, publisher or "-")] += n

    def drop(self, drop: Drop) -> None:
        self.dropped[(drop.stage, drop.rule, drop.publisher or "-")] += 1
        self.drops.append(drop)

    def merge(self, other: Ledger) -> Ledger:
        self.kept.update(other.kept)
        self.dropped.update(other.dropped)
        self.drops.extend(other.drops)
        return self

    def stage_counts(self) -> dict[str, dict[str, int]]:
        """{stage: {"kept": n, "dropped": n}} in pipeline order of first appearance."""
        out: dict[str, dict[str, int]] = {}
        for (stage, _), n in self.kept.items():
            out.setdefault(stage, {"kept": 0, "dropped": 0})["kept"] += n
        for (stage, _, _), n in self.dropped.items():
            out.setdefault(stage, {"kept": 0, "dropped": 0})["dropped"] += n
        return out

    def by_rule(self) -> list[dict[str, Any]]:
        rows = [{"stage": s, "rule": r, "publisher": p, "dropped": n} for (s, r, p), n in sorted(self.dropped.items())]
        return rows

    def to_dict(self) -> dict[str, Any]:
        return {
            "stages": self.stage_counts(),
            "by_rule": self.by_rule(),
            "kept": [{"stage": s, "publisher": p, "kept": n} for (s, p), n in sorted(self.kept.items())],
            "drops": [d.as_dict() for d in self.drops],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Ledger:
        led = cls()
        for row in data.get("kept", []):
            led.kept[(row["stage"], row["publisher"])] += row["kept"]
        for row in data.get("drops", []):
            led.drop(Drop(**row))
        return led


@dataclass
class StageResult:
    """A stage's output file with what it kept, dropped and noted (what a stage task returns)."""

    path: Path
    ledger: Ledger
    notes: Counter = field(default_factory=Counter)
    index_source: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain data (a task result that crosses process and machine boundaries)."""
        return {"path": str(self.path), "ledger": self.ledger.to_dict(), "notes": dict(self.notes)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StageResult:
        return cls(Path(data["path"]), Ledger.from_dict(data["ledger"]), Counter(data["notes"]))

    def save_ledger(self, path: Path) -> None:
        data = {"ledger": self.ledger.to_dict(), "notes": dict(self.notes)}
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str), encoding="utf-8")


# Run notes: counts a run reports beside its drops, each said as a sentence to the operator.
NO_DEADLINE = "pages_without_deadline"
LIBRARY_WARNINGS = "library_warnings"
INDEX_ROWS = "dedup_index_rows"
IN_FLOW_PROCESS = "extract_in_flow_process"
OTHER_MONTH = "left_to_other_month"
RUN_WARNINGS = (NO_DEADLINE, IN_FLOW_PROCESS)  # notes that are also warnings of the run


def describe_note(key: str, n: int) -> str:
    """One sentence for a run note (unknown keys are shown as they are)."""
    if key == INDEX_ROWS:
        return f"the dedup index now knows {n} released article(s)"
    if key == LIBRARY_WARNINGS:
        return f"{n} warning(s) from the page-reading libraries (trafilatura, htmldate), shown with --verbose"
    if key == NO_DEADLINE:
        return (
            f"{n} page(s) were extracted without the per-page deadline: a daemonic Dask worker cannot start "
            "the helper process that keeps it; run workers with DASK_DISTRIBUTED__WORKER__DAEMON=False"
        )
    if key == IN_FLOW_PROCESS:
        return (
            "the input made one extract batch, which ran in the flow's process, not on the Dask cluster; "
            "lower AZNEWS_BATCH_RECORDS (or the batch_records parameter) to spread a small input"
        )
    if key == OTHER_MONTH:
        return f"{n} article(s) of the input are dated in another month and go to that month's release (or its drops)"
    if key.startswith("date_rejected_"):
        why = {"future": "after the time it was fetched", "too_old": "before 1990"}.get(key[14:], key[14:])
        return f"{n} page(s) printed a date {why}; it was not used as the publication date"
    return f"{key}: {n}"
