"""The Dagster definitions load and hold what the project promises."""

from __future__ import annotations

import json

import dagster as dg

from dagster_project import settings
from dagster_project.definitions import defs
from dagster_project.defs.publish import PUBLISHED_WAREHOUSE
from dagster_project.defs.transform.cli_args import dbt_build_args
from dagster_project.ingestion.manifest import load_all_manifests


def _keys() -> set[dg.AssetKey]:
    return set(defs.resolve_asset_graph().get_all_asset_keys())


def test_definitions_load_and_validate() -> None:
    dg.Definitions.validate_loadable(defs)


def test_every_generic_manifest_entry_is_a_raw_asset() -> None:
    entries = [e for e in load_all_manifests(settings.dataset_dirs()) if e.loader == "generic"]
    assert entries, "no raw dataset manifests found"
    missing = [e.raw_table for e in entries if dg.AssetKey(["raw", e.raw_table]) not in _keys()]
    assert missing == []


def test_seed_marts_and_publish_step_are_assets() -> None:
    keys = _keys()
    assert dg.AssetKey(["marts", "fct_published_indicators"]) in keys
    assert dg.AssetKey(["quality", "check_results"]) in keys
    assert PUBLISHED_WAREHOUSE in keys


def test_publish_step_depends_on_every_other_executable_asset() -> None:
    graph = defs.resolve_asset_graph()
    upstream = set(graph.get(PUBLISHED_WAREHOUSE).parent_keys)
    executable = {k for k in graph.get_all_asset_keys() if graph.get(k).is_executable}
    assert executable - {PUBLISHED_WAREHOUSE} <= upstream


def test_validated_seed_tables_carry_asset_checks() -> None:
    graph = defs.resolve_asset_graph()
    checks = {(c.asset_key, c.name) for c in graph.asset_check_keys}
    s002 = dg.AssetKey(["raw", "seed_s002_t1"])
    for name in ("external_trade_identity", "index_matches_levels", "year_on_year_plausibility",
                 "schema_and_types"):
        assert (s002, name) in checks
    assert (dg.AssetKey(["raw", "seed_s001_t1"]), "factor_correlation") in checks


def test_refresh_job_exists() -> None:
    assert defs.resolve_job_def("refresh_warehouse") is not None


def test_dbt_build_args() -> None:
    assert dbt_build_args() == ["build"]
    assert dbt_build_args(full_refresh=True) == ["build", "--full-refresh"]
    args = dbt_build_args(dbt_vars={"flq_delta": 0.25, "lq_star_threshold": 2})
    assert args[:2] == ["build", "--vars"]
    assert json.loads(args[2]) == {"flq_delta": 0.25, "lq_star_threshold": 2}
