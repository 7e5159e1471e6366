def release_rows(sample_records) -> list[dict]:
    """The sample's extracted records as release rows (copies, without the extractor-only field)."""
    rows = [dict(r) for r in sample_records[0]]
    for r in rows:
        r.pop("date_rejected", None)
    return rows
