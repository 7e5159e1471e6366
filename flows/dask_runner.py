"""Prefect's Dask runner whose workers share the flow's Prefect API (flows/api.py: share_api)."""

from __future__ import annotations

from prefect_dask import DaskTaskRunner

from flows.api import share_api


class DaskRunner(DaskTaskRunner):
    def __enter__(self):
        share_api()
        return super().__enter__()
