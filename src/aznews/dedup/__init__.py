"""Stage 4, dedup: one row per story, with the map of where else it ran, across every release."""

from aznews.dedup.decide import dedup_records, doc_of
from aznews.dedup.exact import cluster_columns, dedup_exact, merge_cluster, survivor_order
from aznews.dedup.near import NearDupConfig, signatures
from aznews.dedup.state import INDEX_NAME, DedupIndex, IndexMismatch, load_signatures, open_index, save_signatures

__all__ = [
    "INDEX_NAME",
    "DedupIndex",
    "IndexMismatch",
    "NearDupConfig",
    "cluster_columns",
    "dedup_exact",
    "dedup_records",
    "doc_of",
    "load_signatures",
    "merge_cluster",
    "open_index",
    "save_signatures",
    "signatures",
    "survivor_order",
]
