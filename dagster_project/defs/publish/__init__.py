"""The publish step: the last asset of a refresh (see ``dagster_project.publish``)."""


from collections.abc import Sequence

import dagster as dg

from dagster_project.publish import publish
from dagster_project.resources import WarehouseResource

PUBLISHED_WAREHOUSE = dg.AssetKey(["warehouse", "published_warehouse"])


def build_publish_asset(upstream: Sequence[dg.AssetKey]) -> dg.AssetsDefinition:
    """Depends on every other asset, so a failed load or a failed dbt test
    (which fails its step) leaves the published warehouse untouched."""

    @dg.asset(
        key=PUBLISHED_WAREHOUSE,
        deps=list(upstream),
        group_name="publish",
        kinds={"duckdb"},
        description="The warehouse analysts query: the validated build, copied over the "
        "published file atomically; earlier versions are kept for rollback.",
    )
    def published_warehouse(
        context: dg.AssetExecutionContext, warehouse: WarehouseResource
    ) -> dg.MaterializeResult:
        context.log.info(f"publishing: checkpoint {warehouse.build.name}, copy, rename over the "
                         f"published file")
        version = publish(warehouse.build, warehouse.published)
        context.log.info(f"published {warehouse.published} (version {version.name})")
        return dg.MaterializeResult(
            metadata={
                "path": dg.MetadataValue.path(str(warehouse.published)),
                "version": version.name,
                "size_bytes": warehouse.published.stat().st_size,
            }
        )

    return published_warehouse
