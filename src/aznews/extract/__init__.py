"""Stage 3, extract: raw pages to clean article records with honest metadata."""

from aznews.extract.batches import extract_pages
from aznews.extract.page import ExtractConfig, Extractor

__all__ = ["ExtractConfig", "Extractor", "extract_pages"]
