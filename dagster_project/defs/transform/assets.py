"""dbt models as assets: keys and groups by layer and method, raw sources
mapped onto the ingestion assets, dbt tests as asset checks."""


import json
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from dagster_project import settings
from dagster_project.defs.transform.cli_args import dbt_build_args
from dagster_project.defs.transform.deferred_tests import deferred_test_args
from dagster_project.defs.transform.partial_parse import (
    invocation_target,
    save_parse,
    start_from_saved_parse,
)
from dagster_project.defs.transform.project import klaster_dbt_project
from dagster_project.defs.transform.row_counts import with_row_counts
from dagster_project.partitions import dbt_year_env, yearly_partitions
from dagster_project.reports.check_descriptions import describe_dbt_test


class KlasterDbtTranslator(DagsterDbtTranslator):
    """``raw`` sources -> the ingestion assets ``["raw", table]``; models ->
    ``[layer, model]`` grouped as ``<layer>_<method folder>``."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])
        layer = dbt_resource_props["fqn"][1] if len(dbt_resource_props["fqn"]) > 2 else "models"
        return dg.AssetKey([layer, dbt_resource_props["name"]])

    def get_asset_check_spec(self, asset_spec, manifest, unique_id, project):
        """dbt tests as asset checks, each with a sentence an economist can read."""
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        if spec is None or spec.description:
            return spec
        # Rebuilt through the public constructor with every attribute carried over.
        return dg.AssetCheckSpec(
            spec.name,
            asset=spec.asset_key,
            description=describe_dbt_test(manifest, unique_id),
            additional_deps=spec.additional_deps,
            blocking=spec.blocking,
            metadata=spec.metadata,
            automation_condition=spec.automation_condition,
            partitions_def=spec.partitions_def,
        )

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        fqn = dbt_resource_props["fqn"]
        # fqn: [project, layer, (method folder,) model]
        return "_".join(fqn[1:-1]) if len(fqn) > 2 else "models"


TRANSLATOR = KlasterDbtTranslator()


@cache
def _manifest() -> dict[str, Any]:
    return json.loads(Path(klaster_dbt_project.manifest_path).read_text(encoding="utf-8"))


@contextmanager
def _environment(variables: Mapping[str, str]) -> Iterator[None]:
    """Set ``variables`` while this step starts its dbt subprocess, then restore
    them (steps run one after another in one process: the in-process executor)."""
    saved = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _dbt_build(
    context: dg.AssetExecutionContext,
    dbt: DbtCliResource,
    full_refresh: bool,
    environment: Mapping[str, str] | None = None,
):
    """``dbt build`` of this step, minus the tests a later step of the run owns;
    the tables' outputs carry their row counts."""
    args = dbt_build_args(full_refresh=full_refresh)
    args += deferred_test_args(context, _manifest(), TRANSLATOR)
    warehouse = settings.build_warehouse_path()
    target = invocation_target(context.op_def.name, context.run.run_id)
    start_from_saved_parse(target, warehouse)
    # The dbt process is started inside `cli()`, so it inherits the environment
    # set here; its events stream afterwards.
    with _environment(environment or {}):
        invocation = dbt.cli(args, context=context, target_path=target)
    try:
        yield from with_row_counts(invocation.stream(), _manifest(), warehouse)
    finally:
        # Also after a failed build: the parse itself is sound, and dbt checks it anyway.
        save_parse(target, warehouse)


class DbtBuildConfig(dg.Config):
    full_refresh: bool = False


# Facts with one row set per calendar year carry the dbt tag `yearly`; they
# alone are Dagster-partitioned by year and rebuilt only for the years a run
# covers. What is built on them is rebuilt whole in a third step: partitioning
# it too would save that dbt start-up but cost Dagster two events per asset and
# year of every run (planned, then materialised: 31 years x 30 models = 1,860
# events, each a SQLite commit in the run history), the larger of the two costs
# (bench/bench_refresh.py measures both; see the closing note of issue 16).
YEARLY_FACTS = "tag:yearly"
BUILT_ON_YEARLY_FACTS = "tag:yearly+"


@dbt_assets(
    manifest=klaster_dbt_project.manifest_path,
    project=klaster_dbt_project,
    exclude=BUILT_ON_YEARLY_FACTS,
    dagster_dbt_translator=TRANSLATOR,
)
def klaster_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, config: DbtBuildConfig):
    """Build every model not built on the yearly facts (those they are built
    from among them), and run their dbt tests."""
    yield from _dbt_build(context, dbt, config.full_refresh)


@dbt_assets(
    manifest=klaster_dbt_project.manifest_path,
    project=klaster_dbt_project,
    select=YEARLY_FACTS,
    name="klaster_yearly_dbt_models",
    partitions_def=yearly_partitions,
    # A backfill of many years is one dbt invocation over the year range.
    backfill_policy=dg.BackfillPolicy.single_run(),
    dagster_dbt_translator=TRANSLATOR,
)
def klaster_yearly_dbt_models(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, config: DbtBuildConfig
):
    """Build the yearly facts for the years of this run (one year, or a range)."""
    years = dbt_year_env(context.partition_time_window)
    context.log.info(f"building yearly facts for {' to '.join(years.values())}")
    yield from _dbt_build(context, dbt, config.full_refresh, years)


@dbt_assets(
    manifest=klaster_dbt_project.manifest_path,
    project=klaster_dbt_project,
    select=BUILT_ON_YEARLY_FACTS,
    exclude=YEARLY_FACTS,
    name="klaster_dbt_models_on_yearly_facts",
    dagster_dbt_translator=TRANSLATOR,
)
def klaster_dbt_models_on_yearly_facts(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, config: DbtBuildConfig
):
    """Rebuild whole what is derived from the yearly facts (clusters, drivers,
    regional multipliers), and run their dbt tests."""
    yield from _dbt_build(context, dbt, config.full_refresh)
