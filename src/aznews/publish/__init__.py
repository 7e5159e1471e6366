"""Stage 6, publish: versioned releases (Parquet per split, card, manifest), local or on the Hub."""

from aznews.publish.release import (
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
    write_release,
)

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
