"""Stage 6, publish: versioned releases (Parquet per split, card, manifest), local or on the Hub.
``catalogue``: the local releases and their manifests; ``writer``: writing one; ``hub``: publishing."""

from aznews.publish.catalogue import (
    EmptySplit,
    NothingToRelease,
    ReleaseExists,
    assign_split,
    manifest_path,
    newest_release,
    next_version,
    read_manifest,
    release_ids,
    unreleased_warcs,
    validate_version,
    verify_release,
)
from aznews.publish.writer import write_release

__all__ = [
    "EmptySplit",
    "NothingToRelease",
    "ReleaseExists",
    "assign_split",
    "manifest_path",
    "newest_release",
    "next_version",
    "read_manifest",
    "release_ids",
    "unreleased_warcs",
    "validate_version",
    "verify_release",
    "write_release",
]
