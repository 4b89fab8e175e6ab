"""``raw.seed_labels``: the kk/ru/en labels of the seed tables, from the manifest."""


import dagster as dg

from dagster_project.ingestion.labels import labels_frame
from dagster_project.ingestion.manifest import ManifestEntry
from dagster_project.ingestion.warehouse_writes import Replacement, quote_identifier, replace_in_transaction
from dagster_project.resources import WarehouseResource


def build_labels_asset(dataset: str, entries: list[ManifestEntry]) -> dg.AssetsDefinition:
    table = f"{dataset.rstrip('s')}_labels"

    @dg.asset(
        key=["raw", table],
        group_name=f"raw_{dataset}",
        description=f"kk/ru/en labels of every code in the {dataset} tables, from "
        f"data/raw/{dataset}/manifest.yml (codes are the keys, labels are data).",
        kinds={"duckdb", "yaml"},
    )
    def _labels(warehouse: WarehouseResource) -> dg.MaterializeResult:
        frame = labels_frame(entries)
        with warehouse.connect() as connection:
            replace_in_transaction(connection, [Replacement(f"raw.{quote_identifier(table)}", frame)])
        return dg.MaterializeResult(metadata={"dagster/row_count": len(frame)})

    return _labels
