"""Stage 4, dedup: one row per story, with the map of where else it ran."""

from aznews.dedup.exact import dedup_exact, survivor_order

__all__ = ["dedup_exact", "survivor_order"]
