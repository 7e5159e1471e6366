"""Settings, from environment variables (prefix ``AZNEWS_``) or a ``.env`` file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

BATCH_RECORDS = 500  # WARC response records per extract batch: ~5 s of work, ~60 MB of pages


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AZNEWS_", env_file=".env", extra="ignore")

    data_dir: Path = Field(Path("data"), description="Root of runtime output (raw, state, releases, reports).")
    registry: Path | None = Field(None, description="Publisher registry file; default: the bundled one.")
    # names the project and a contact URL; operators set their own (AZNEWS_USER_AGENT)
    user_agent: str = "aznews-crawler/0.1 (+https://github.com/aznews/aznews; open Azerbaijani news corpus)"
    takedown: Path | None = Field(None, description="Takedown list (YAML); default: <data_dir>/takedown.yaml.")
    min_delay: float = Field(1.0, description="Minimum seconds between two requests to one host (robots may ask more).")
    task_runner: Literal["thread", "process", "dask"] = Field(
        "process",
        description="Where the CPU-heavy tasks (extract, MinHash) run: a thread pool, a process pool, "
        "or Dask (the cluster at dask_address, else a local cluster of `workers` processes).",
    )
    orchestrator: Literal["auto", "local", "prefect"] = Field(
        "auto",
        description="How `aznews refresh`/`backfill` run the steps: `local` in this process (batches on a "
        "local pool, no Prefect server), `prefect` as a Prefect flow, `auto` (default) as a Prefect flow "
        "when a Prefect API is configured (PREFECT_API_URL or the active Prefect profile) or the runner is "
        "dask, else locally.",
    )
    workers: int = Field(0, ge=0, description="Pool size or local Dask workers; 0: one per CPU.")
    dask_address: str | None = Field(None, description="Scheduler of an existing Dask cluster, tcp://host:8786.")
    batch_records: int = Field(
        BATCH_RECORDS, ge=1, description="WARC records per extract batch (the unit of parallel work)."
    )
    data_docs: bool = Field(
        False,
        description="Also build GX Data Docs under reports/<version>/data_docs (1-2 s a run); the release "
        "report (report.html) shows every suite's results without them.",
    )
    cc_news_base: str = Field(
        "https://data.commoncrawl.org/",
        description="Where `backfill --cc-news` reads crawl-data/CC-NEWS/YYYY/MM/warc.paths.gz and the files it "
        "lists: Common Crawl's HTTP endpoint, a mirror, or a local directory.",
    )
    review_timeout_s: int = Field(
        7 * 86400,
        ge=1,
        description="With review on, how long a built release waits for a maintainer's decision before "
        "the run ends with nothing published.",
    )
    respect_robots: bool = Field(
        True,
        description="Apply robots.txt to WARC input: the robots.txt responses the input holds, else the "
        "crawler's cache; disallowed pages are dropped as robots_disallow. Turn off for inputs whose crawler "
        "already applied it.",
    )
    allow_private_networks: list[str] = Field(
        default_factory=list,
        description="CIDRs the crawler may reach although private/loopback (tests: 127.0.0.0/8).",
    )

    @property
    def worker_count(self) -> int:
        """``workers``, with 0 read as one per CPU."""
        return self.workers or os.cpu_count() or 1

    @property
    def raw_dir(self) -> Path:
        return self.data_dir / "raw"

    @property
    def state_dir(self) -> Path:
        return self.data_dir / "state"

    @property
    def releases_dir(self) -> Path:
        return self.data_dir / "releases"

    @property
    def reports_dir(self) -> Path:
        return self.data_dir / "reports"

    @property
    def takedown_file(self) -> Path:
        return self.takedown or self.data_dir / "takedown.yaml"

    @property
    def work_dir(self) -> Path:
        return self.data_dir / "work"
