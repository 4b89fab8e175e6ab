"""The Dagster definitions load and hold what the project promises."""

from __future__ import annotations

import importlib
import json
import pkgutil

import dagster as dg
from dagster_dbt import DbtCliResource
from dagster_dbt.compat import DBT_PYTHON_VERSION

import dagster_project.defs as defs_package
from dagster_project import settings
from dagster_project.definitions import defs
from dagster_project.defs.publish import PUBLISHED_WAREHOUSE
from dagster_project.defs.transform.assets import klaster_dbt_models_on_yearly_facts, klaster_yearly_dbt_models
from dagster_project.defs.transform.cli_args import dbt_build_args
from dagster_project.defs.transform.dbt_resource import (
    REPLACED_MEMBERS,
    KlasterDbtCliResource,
    dbt_resource,
)
from dagster_project.defs.transform.deferred_tests import dbt_tests_waiting_for_later_steps
from dagster_project.ingestion.manifest import load_all_manifests
from dagster_project.partitions import PARTITION_END_ENV_VAR, PARTITION_START_ENV_VAR, dbt_year_env, yearly_partitions


def _keys() -> set[dg.AssetKey]:
    return set(defs().resolve_asset_graph().get_all_asset_keys())


def test_definitions_load_and_validate() -> None:
    dg.Definitions.validate_loadable(defs())


def test_the_definitions_are_loaded_once() -> None:
    """The CLI, the tests and the Dagster tools share one load (it reads the dbt
    manifest and every dataset manifest)."""
    assert defs() is defs()


def _own_asset_keys(definitions: dg.Definitions) -> set[dg.AssetKey]:
    keys: set[dg.AssetKey] = set()
    for asset in definitions.assets or []:
        keys |= set(asset.keys) if isinstance(asset, dg.AssetsDefinition) else {asset.key}
    return keys


def test_dagsters_loader_finds_every_concern_package() -> None:
    """Each defs/<concern>/ package that declares its own ``defs`` reaches the
    merged Definitions whole: assets, jobs, schedules and sensors."""
    merged = defs()
    keys = _keys()
    concerns = [importlib.import_module(f"{defs_package.__name__}.{info.name}")
                for info in pkgutil.iter_modules(defs_package.__path__) if info.ispkg]
    declared = [m.defs for m in concerns if isinstance(getattr(m, "defs", None), dg.Definitions)]
    assert len(declared) >= 7, [m.__name__ for m in concerns]
    for own in declared:
        assert _own_asset_keys(own) <= keys
        for kind in ("jobs", "schedules", "sensors"):
            names = {d.name for d in getattr(merged, kind) or []}
            assert {d.name for d in getattr(own, kind) or []} <= names, kind


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
    graph = defs().resolve_asset_graph()
    upstream = set(graph.get(PUBLISHED_WAREHOUSE).parent_keys)
    executable = {k for k in graph.get_all_asset_keys() if graph.get(k).is_executable}
    assert executable - {PUBLISHED_WAREHOUSE} <= upstream


def test_validated_seed_tables_carry_asset_checks() -> None:
    graph = defs().resolve_asset_graph()
    checks = {(c.asset_key, c.name) for c in graph.asset_check_keys}
    s002 = dg.AssetKey(["raw", "seed_s002_t1"])
    for name in ("external_trade_identity", "index_matches_levels", "year_on_year_plausibility",
                 "schema_and_types"):
        assert (s002, name) in checks
    assert (dg.AssetKey(["raw", "seed_s001_t1"]), "factor_correlation") in checks


def test_refresh_job_exists() -> None:
    assert defs().resolve_job_def("refresh_warehouse") is not None


def test_dbt_build_args() -> None:
    assert dbt_build_args() == ["build", "--no-write-json"]
    assert dbt_build_args(full_refresh=True) == ["build", "--no-write-json", "--full-refresh"]
    args = dbt_build_args(dbt_vars={"flq_delta": 0.25, "lq_star_threshold": 2})
    assert args[:3] == ["build", "--no-write-json", "--vars"]
    assert json.loads(args[3]) == {"flq_delta": 0.25, "lq_star_threshold": 2}


def test_the_dbt_resource_replaces_members_dagster_dbt_still_has() -> None:
    """The refresh's dbt resource skips `dbt --version` and the in-process
    adapter by replacing two private members of DbtCliResource; if dagster-dbt
    renamed them, the replacements would silently save nothing."""
    for member in REPLACED_MEMBERS:
        assert member in vars(DbtCliResource), f"DbtCliResource has no {member} any more"
        assert member in vars(KlasterDbtCliResource)
    assert dbt_resource._cli_version == DBT_PYTHON_VERSION
    assert dbt_resource._initialize_dbt_core_adapter(["build"]) is None


def test_a_dbt_test_runs_in_the_step_that_builds_the_last_of_its_models() -> None:
    """Upstream models -> yearly LQ fact -> cluster marts: a test reading the
    LQ fact and a dimension waits for the LQ step; the LQ step defers a
    relationships test to the cluster step; the last step defers nothing."""
    def test(name: str, *parents: str) -> dict:
        return {"resource_type": "test", "name": name, "depends_on": {"nodes": list(parents)}}

    manifest = {"nodes": {
        "model.k.dim_region": {"resource_type": "model", "depends_on": {"nodes": []}},
        "test.k.unique_dim_region": test("unique_dim_region", "model.k.dim_region"),
        "test.k.codes_in_dims": test("codes_in_dims", "model.k.dim_region", "model.k.fct_lq"),
        "test.k.lq_vs_clusters": test("lq_vs_clusters", "model.k.fct_lq", "model.k.fct_clusters"),
        "test.k.from_source": test("from_source", "source.k.raw.cells", "model.k.dim_region"),
    }}
    upstream, yearly, downstream = ["model.k.dim_region"], ["model.k.fct_lq"], ["model.k.fct_clusters"]
    assert dbt_tests_waiting_for_later_steps(manifest, upstream, yearly + downstream) == ["codes_in_dims"]
    assert dbt_tests_waiting_for_later_steps(manifest, yearly, downstream) == ["lq_vs_clusters"]
    assert dbt_tests_waiting_for_later_steps(manifest, downstream, []) == []
    # A step run on its own (nothing else in the run) keeps all its tests.
    assert dbt_tests_waiting_for_later_steps(manifest, upstream, []) == []


def test_refresh_job_runs_dbt_in_three_steps_and_partitions_only_the_yearly_facts() -> None:
    """Only the yearly facts are partitioned (a partitioned asset costs Dagster
    two events per year of a run); what is built on them is rebuilt whole in a
    third dbt step, after them."""
    job = defs().resolve_job_def("refresh_warehouse")
    dbt_steps = sorted(node.name for node in job.graph.nodes if "dbt_models" in node.name)
    assert dbt_steps == ["klaster_dbt_models", "klaster_dbt_models_on_yearly_facts", "klaster_yearly_dbt_models"]
    yearly = {k.to_user_string() for k in klaster_yearly_dbt_models.keys}
    # the yearly LQ computed once (intermediate) and published (mart), and the indicator values
    assert yearly == {"intermediate/int_location_quotients_computed", "marts/fct_location_quotients",
                      "marts/fct_indicator_values"}
    derived = {k.to_user_string() for k in klaster_dbt_models_on_yearly_facts.keys}
    # derived from the yearly LQ fact, hence in the step after it, unpartitioned
    assert {"marts/fct_cross_industry_location_quotients", "marts/fct_regional_clusters"} <= derived
    assert klaster_dbt_models_on_yearly_facts.partitions_def is None
    assert "marts/dim_region" not in yearly | derived


def test_partition_years_reach_dbt_as_environment_variables() -> None:
    """Not as --vars, which would make dbt re-parse the whole project."""
    first = yearly_partitions.time_window_for_partition_key("2008")
    last = yearly_partitions.time_window_for_partition_key("2014")
    window = dg.TimeWindow(first.start, last.end)
    assert dbt_year_env(window) == {PARTITION_START_ENV_VAR: "2008", PARTITION_END_ENV_VAR: "2014"}
