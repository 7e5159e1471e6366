"""Run a GX suite from ``expectations/`` on a release's rows and decide if it may ship."""

from __future__ import annotations

import html
import importlib.util
import json
import logging
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from aznews.limits import suite_parameters
from aznews.paths import expectations_dir
from aznews.validate.rows import RowStore, Table, as_table


class SuiteLoadError(ValueError):
    """A suite file did not load exactly as written (GX drops invalid expectations silently)."""


@dataclass
class ExpectationResult:
    type: str
    kwargs: dict[str, Any]
    severity: str
    success: bool
    observed: Any = None
    unexpected_count: int | None = None
    sample: list[Any] = field(default_factory=list)

    def describe(self) -> str:
        column = self.kwargs.get("column") or self.kwargs.get("column_A") or ""
        tail = f" unexpected={self.unexpected_count}" if self.unexpected_count else ""
        obs = f" observed={self.observed!r}" if self.observed is not None else ""
        return f"[{self.severity}] {self.type}({column}){obs}{tail}"


@dataclass
class ValidationOutcome:
    suite: str
    row_count: int
    results: list[ExpectationResult]
    gx_result: Any = None

    @property
    def critical_failures(self) -> list[ExpectationResult]:
        return [r for r in self.results if not r.success and r.severity == "critical"]

    @property
    def warnings(self) -> list[ExpectationResult]:
        return [r for r in self.results if not r.success and r.severity != "critical"]

    @property
    def passed(self) -> bool:
        return not self.critical_failures

    def failure_message(self) -> str:
        lines = [
            f"suite {self.suite!r}: {len(self.critical_failures)} critical expectation(s) "
            f"failed on {self.row_count} rows"
        ]
        for r in self.critical_failures:
            lines.append("  - " + r.describe())
            if r.sample:
                lines.append(f"      sample: {json.dumps(r.sample[:5], ensure_ascii=False, default=str)[:400]}")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "suite": self.suite,
            "rows": self.row_count,
            "passed": self.passed,
            "results": [
                {
                    "type": r.type,
                    "kwargs": r.kwargs,
                    "severity": r.severity,
                    "success": r.success,
                    "observed": r.observed,
                    "unexpected_count": r.unexpected_count,
                    "sample": r.sample[:5],
                }
                for r in self.results
            ],
        }


def _fill(value: Any, parameters: dict[str, Any], where: str) -> Any:
    if isinstance(value, dict) and set(value) == {"$PARAMETER"}:
        name = value["$PARAMETER"]
        if name not in parameters:
            raise SuiteLoadError(f"{where}: parameter {name!r} was not supplied")
        return parameters[name]
    return value


def load_suite(name_or_path: str | Path, parameters: dict[str, Any] | None = None):
    """Build a GX ``ExpectationSuite`` from a file; raises unless every expectation loaded.

    ``{"$PARAMETER": name}`` values are filled from ``parameters`` here, so the suite that runs
    (and the Data Docs that describe it) carry the actual values.
    """
    great_expectations()
    from great_expectations.core import ExpectationSuite

    path = Path(name_or_path)
    if not path.suffix:
        path = expectations_dir() / f"{name_or_path}.json"
    try:
        spec = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise SuiteLoadError(f"cannot read suite {path}: {exc}") from exc
    declared = spec.get("expectations", [])
    parameters = {**suite_parameters(), **(parameters or {})}  # the row tolerances, as extraction has them
    for i, exp in enumerate(declared):
        if exp.get("severity") not in ("critical", "warning", "info"):
            raise SuiteLoadError(f"{path}: expectation #{i + 1} ({exp.get('type')}) has no valid severity")
    declared = [
        {
            **exp,
            "kwargs": {k: _fill(v, parameters, f"{path}: {exp.get('type')}") for k, v in exp.get("kwargs", {}).items()},
        }
        for exp in declared
    ]
    gx_logger = logging.getLogger("great_expectations.core.expectation_suite")
    previous = gx_logger.level
    gx_logger.setLevel(logging.CRITICAL)  # we report the drop ourselves, with the file's name
    try:
        suite = ExpectationSuite(name=spec["name"], expectations=declared, meta=spec.get("meta"))
    finally:
        gx_logger.setLevel(previous)
    if len(suite.expectations) != len(declared):
        loaded = {
            (e.expectation_type, json.dumps(e.configuration.kwargs, sort_keys=True, default=str))
            for e in suite.expectations
        }
        missing = [
            e.get("type")
            for e in declared
            if (e.get("type"), json.dumps(e.get("kwargs", {}), sort_keys=True, default=str)) not in loaded
        ]
        raise SuiteLoadError(
            f"{path}: {len(declared) - len(suite.expectations)} of {len(declared)} expectations did not "
            f"load (unknown type or bad arguments): {missing}"
        )
    return suite


def _escaped(value: Any) -> Any:
    if isinstance(value, str):
        return html.escape(value)
    if isinstance(value, dict):
        return {k: _escaped(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_escaped(v) for v in value]
    return value


def _escape_stored_results(context: Any) -> None:
    """GX Data Docs put the sample values of failing rows into the page as HTML. Those values are
    crawled text (hostile input), so every stored result is HTML-escaped before the docs are built:
    a maintainer sees ``<img ...>`` as text; nothing in it runs."""
    store = context.validation_results_store
    for key in store.list_keys():
        stored = store.get(key)
        for r in stored.results:
            r.result = _escaped(r.result or {})
        spec = stored.meta.get("batch_spec")
        if isinstance(spec, dict) and not spec.get("data_asset_name"):  # GX 1.x leaves it unset: "None"
            spec["data_asset_name"] = f"{getattr(stored, 'suite_name', '')} rows"
        store.set(key, stored)


class _LazyImports:
    """A meta-path finder that gives the named top-level packages (and their submodules) a lazy
    loader (``importlib.util.LazyLoader``): imported now, executed on first attribute access."""

    def __init__(self, packages: set[str]) -> None:
        self.packages = packages

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name.partition(".")[0] not in self.packages:
            return None
        sys.meta_path.remove(self)  # find the real spec without coming back here
        try:
            spec = importlib.util.find_spec(name)
        finally:
            sys.meta_path.insert(0, self)
        if spec is not None and spec.loader is not None:
            spec.loader = importlib.util.LazyLoader(spec.loader)
        return spec


def great_expectations() -> Any:
    """``import great_expectations``, with scipy and altair loaded lazily. GX imports them at
    import time for expectations these suites never run (KS tests, KL-divergence charts); that is
    1.8 s of GX's 5 s import here, paid by every run. They load in full on first use."""
    if (gx := sys.modules.get("great_expectations")) is not None:
        return gx
    lazy = _LazyImports({"scipy", "altair"})
    sys.meta_path.insert(0, lazy)
    try:
        import great_expectations as gx
    finally:
        sys.meta_path.remove(lazy)
    if not os.environ.get("AZNEWS_VERBOSE"):  # its INFO lines ("ephemeral docs site") are not ours
        for name in ["great_expectations", *logging.root.manager.loggerDict]:
            if name.startswith("great_expectations"):  # some of its modules set INFO on their own logger
                logging.getLogger(name).setLevel(logging.ERROR)
    return gx


def _column_refs(exp: dict) -> list[str]:
    kw = exp.get("kwargs", {})
    return [kw[k] for k in ("column", "column_A", "column_B") if isinstance(kw.get(k), str)]


def gx_context(docs_dir: Path | None = None) -> Any:
    """One ephemeral GX context for a release's suites with, given ``docs_dir``, one Data Docs
    site there (every suite's validation on one index)."""
    gx = great_expectations()
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)  # tqdm on stderr ignores TQDM_DISABLE
    if docs_dir is not None:
        docs_dir = docs_dir.resolve()  # GX refuses a relative base_directory
        docs_dir.mkdir(parents=True, exist_ok=True)
        context.add_data_docs_site(
            site_name="aznews",
            site_config={
                "class_name": "SiteBuilder",
                "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir)},
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            },
        )
    return context


def build_data_docs(context: Any, docs_dir: Path) -> Path:
    """Build the context's Data Docs site (stored results HTML-escaped first), made to work offline:
    the CDN assets GX links are served from the site's own copies. Returns its index page."""
    from aznews.validate.datadocs import make_offline

    _escape_stored_results(context)
    context.build_data_docs(site_names=["aznews"])
    make_offline(docs_dir.resolve())
    return docs_dir.resolve() / "index.html"


def _source(context: Any, store: RowStore) -> Any:
    """The context's SQL data source for ``store``: "aznews" (the name Data Docs show), one per
    store file."""
    sources = context.data_sources.all()
    for source in sources.values():
        if str(getattr(source, "connection_string", "")) == store.url:
            return source
    name = "aznews" + (f" {len(sources) + 1}" if "aznews" in sources else "")
    return context.data_sources.add_sqlite(name, connection_string=store.url)


def validate_records(
    rows: Table | pd.DataFrame,
    suite_name: str = "articles",
    parameters: dict[str, Any] | None = None,
    *,
    context: Any = None,
    run_name: str = "aznews",
) -> ValidationOutcome:
    """Validate ``rows`` (a table of a RowStore; a frame is written to a temporary one) with the
    named suite, for real: GX's SQL engine over the store, in ``context`` (shared by a release's
    suites with its Data Docs site) or an ephemeral one of its own."""
    gx = great_expectations()

    suite = load_suite(suite_name, parameters)
    table = as_table(rows, suite.name)
    missing_cols = sorted(
        {c for e in suite.expectations for c in _column_refs(e.configuration.to_json_dict())} - set(table.columns)
    )
    if missing_cols:
        raise SuiteLoadError(f"suite {suite.name!r} refers to columns the data lacks: {missing_cols}")
    if context is None:
        context = gx_context()
    asset = _source(context, table.store).add_table_asset(name=f"{suite.name} rows", table_name=table.name)
    batch_def = asset.add_batch_definition_whole_table("all")
    suite = context.suites.add(suite)
    vdef = context.validation_definitions.add(
        gx.ValidationDefinition(name=f"{suite.name} validation", data=batch_def, suite=suite)
    )
    from great_expectations.core.run_identifier import RunIdentifier

    result = vdef.run(
        result_format={"result_format": "SUMMARY", "partial_unexpected_count": 5},
        run_id=RunIdentifier(run_name=run_name),
    )
    results = []
    for r in result.results:
        cfg = r.expectation_config
        res = r.result or {}
        results.append(
            ExpectationResult(
                type=cfg.type,
                kwargs={k: v for k, v in cfg.kwargs.items() if k != "batch_id"},
                severity=str(getattr(cfg, "severity", "critical")).split(".")[-1].lower(),
                success=bool(r.success),
                observed=res.get("observed_value"),
                unexpected_count=res.get("unexpected_count"),
                sample=list(res.get("partial_unexpected_list") or []),
            )
        )
    return ValidationOutcome(suite.name, len(table), results, result)
