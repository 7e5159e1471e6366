"""Stage 3, extract: raw pages to clean article records with honest metadata."""

from aznews.extract.pipeline import ExtractConfig, Extractor, extract_pages

__all__ = ["ExtractConfig", "Extractor", "extract_pages"]
