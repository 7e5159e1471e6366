"""Stage 6, publish: versioned releases (Parquet per split, card, manifest), local or on the Hub."""

from aznews.publish.release import (
    EmptySplit,
    ReleaseExists,
    assign_split,
    next_version,
    validate_version,
    write_release,
)

__all__ = ["EmptySplit", "ReleaseExists", "assign_split", "next_version", "validate_version", "write_release"]
