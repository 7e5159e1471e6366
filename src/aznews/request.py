"""One release request: what to build, written once. The CLI makes one, ``pipeline.build_release``
takes one, and the Prefect flow's parameters (its UI form, a deployment's parameters, ``--param``)
are this model's fields (``ReleaseRequest.signature``), validated by it.

A field's type says what the UI and ``prefect deployment run --param`` may send: a version typed
as a bare number, a list as one comma-separated string, a day as YYYY-MM-DD.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field


def _version_text(value: Any) -> Any:
    """A version as the UI or ``prefect deployment run --param`` sends it. A JSON number is read as
    YYYY.MM with two decimals (``version=2026.10`` arrives as 2026.1: October, since a month has two
    digits); anything else must be a version string."""
    from aznews.versions import validate_version

    if isinstance(value, float):
        value = f"{value:.2f}"
    elif isinstance(value, int) and not isinstance(value, bool):
        raise ValueError(f"version {value} has no month: give YYYY.MM, e.g. 2026.10")
    return validate_version(value) if isinstance(value, str) else value


def _names(value: Any) -> Any:
    """A list parameter given as one string (``--param publishers=oxu,apa``): split at commas."""
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()] or None
    return value


def _day(value: Any) -> Any:
    """A crawl window bound: YYYY-MM-DD (or a full ISO timestamp), refused here with the form."""
    from aznews.fetch import utc_day

    if isinstance(value, str):
        utc_day(value)  # ValueError: '2026-13-01' is not a date (YYYY-MM-DD)
    return value


Version = Annotated[str | float | None, BeforeValidator(_version_text)]
Names = Annotated[list[str] | str | None, BeforeValidator(_names)]
Day = Annotated[str | None, BeforeValidator(_day)]


class ReleaseRequest(BaseModel):
    """A release to build: crawl (``crawl``: the publishers' articles between ``since`` and
    ``until``, YYYY-MM-DD; default the previous Baku month), a month of CC-NEWS (``cc_news``) or
    WARC input (``warc``; the bundled sample by default); then extract, dedup, validate and
    publish locally, and to the Hub when ``repo_id`` is given (the token comes from HF_TOKEN or
    the login, never from a parameter)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: Version = Field(None, description="YYYY.MM[.N]; default: the month of news it adds")
    warc: Names = Field(None, description="WARC files or folders to read instead of crawling")
    data_dir: str = Field("data", description="The data directory: the only root of every path a run uses")
    registry: str | None = Field(None, description="A publisher registry file; default: the bundled one")
    force: bool = Field(False, description="Replace the local copy of this version")
    batch_records: int | None = Field(None, description="WARC records per extract batch (AZNEWS_BATCH_RECORDS)")
    crawl: bool = Field(False, description="Crawl the publishers first")
    publishers: Names = Field(None, description="Registry ids to crawl; default: all")
    since: Day = Field(None, description="Crawl window start, YYYY-MM-DD; default: the previous Baku month")
    until: Day = Field(None, description="Crawl window end (exclusive), YYYY-MM-DD")
    max_pages: int = Field(1000, description="Page cap per publisher")
    repo_id: str | None = Field(None, description="Also publish to this Hub dataset repository")
    review: bool = Field(False, description="Wait for a maintainer's approval before publishing")
    cc_news: bool = Field(False, description="The window's month of CC-NEWS instead of a crawl")
    cc_news_base: str | None = Field(None, description="CC-NEWS base URL or folder (AZNEWS_CC_NEWS_BASE)")
    backfill: Names = Field(None, description="[first day, end day] of the backfill this month is one of")

    def resolved(self) -> ReleaseRequest:
        """This request with its paths absolute (from the working directory it is made in), as
        every step then takes them."""
        return self.model_copy(
            update={
                "data_dir": str(Path(self.data_dir).resolve()),
                "registry": str(Path(self.registry).resolve()) if self.registry else None,
            }
        )

    @classmethod
    def signature(cls) -> inspect.Signature:
        """The fields as keyword parameters, with their validating types: a function given this
        signature (the Prefect flow) has exactly these parameters."""
        return inspect.Signature(
            [
                inspect.Parameter(
                    name, inspect.Parameter.KEYWORD_ONLY, default=f.default, annotation=f.rebuild_annotation()
                )
                for name, f in cls.model_fields.items()
            ]
        )
