"""dbt models as assets: keys and groups by layer and method, raw sources
mapped onto the ingestion assets, dbt tests as asset checks."""


import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from dagster_project.defs.transform.cli_args import dbt_build_args
from dagster_project.defs.transform.project import klaster_dbt_project


class KlasterDbtTranslator(DagsterDbtTranslator):
    """``raw`` sources -> the ingestion assets ``["raw", table]``; models ->
    ``[layer, model]`` grouped as ``<layer>_<method folder>``."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])
        layer = dbt_resource_props["fqn"][1] if len(dbt_resource_props["fqn"]) > 2 else "models"
        return dg.AssetKey([layer, dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        fqn = dbt_resource_props["fqn"]
        # fqn: [project, layer, (method folder,) model]
        return "_".join(fqn[1:-1]) if len(fqn) > 2 else "models"


class DbtBuildConfig(dg.Config):
    full_refresh: bool = False


@dbt_assets(
    manifest=klaster_dbt_project.manifest_path,
    project=klaster_dbt_project,
    dagster_dbt_translator=KlasterDbtTranslator(),
)
def klaster_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, config: DbtBuildConfig):
    """Build the selected models and run their dbt tests."""
    yield from dbt.cli(dbt_build_args(full_refresh=config.full_refresh), context=context).stream()


# The dbt of this interpreter's environment, so no activated venv or PATH is needed.
dbt_resource = DbtCliResource(
    project_dir=klaster_dbt_project, dbt_executable=str(Path(sys.executable).parent / "dbt")
)
