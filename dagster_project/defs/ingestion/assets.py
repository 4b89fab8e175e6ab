"""The asset factory for manifest entries. A refused file fails its asset with
the loader's message (file, row, column, value) and the warehouse keeps the
previous table: nothing is written before the whole file has been verified."""


from collections.abc import Iterator

import dagster as dg

from dagster_project.ingestion.errors import RawFileError
from dagster_project.ingestion.manifest import ManifestEntry
from dagster_project.ingestion.raw_writer import replace_raw_table
from dagster_project.ingestion.text_table import read_text_table
from dagster_project.quality.results import replace_check_results
from dagster_project.quality.seed_table_suites import suite_for
from dagster_project.resources import WarehouseResource


def provenance_metadata(entry: ManifestEntry) -> dict[str, dg.MetadataValue]:
    metadata: dict[str, dg.MetadataValue] = {
        "file": dg.MetadataValue.path(f"data/raw/{entry.relative_path}"),
        "sha256": dg.MetadataValue.text(entry.sha256),
        "encoding": dg.MetadataValue.text(entry.encoding),
    }
    for key in ("source", "origin", "publisher", "attribution", "licence", "economy_code", "years",
                "period", "units", "territorial_basis", "layout", "notes", "generated"):
        if key in entry.extra:
            value = entry.extra[key]
            metadata[key] = (
                dg.MetadataValue.json(value)
                if isinstance(value, (dict, list))
                else dg.MetadataValue.text(str(value))
            )
    return metadata


def build_raw_table_asset(entry: ManifestEntry) -> dg.AssetsDefinition:
    key = dg.AssetKey(["raw", entry.raw_table])
    suite = suite_for(entry.raw_table)

    @dg.asset(
        key=key,
        group_name=f"raw_{entry.dataset}",
        description=f"{entry.description} — loaded as published from data/raw/{entry.relative_path}.",
        metadata=provenance_metadata(entry),
        kinds={"duckdb", "csv"},
        check_specs=suite.check_specs(key) if suite else None,
    )
    def _raw_table(
        context: dg.AssetExecutionContext, warehouse: WarehouseResource
    ) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
        try:
            frame = read_text_table(entry)
        except RawFileError as exc:
            raise dg.Failure(description=f"Refused raw file: {exc}") from exc
        context.log.info(f"{entry.relative_path}: {len(frame)} rows verified, loading")
        outcomes = suite.validate(frame, entry) if suite else None
        with warehouse.connect() as connection:
            rows = replace_raw_table(connection, entry, frame)
            if outcomes is not None:
                replace_check_results(connection, outcomes.table_id, outcomes.rows)
        yield dg.MaterializeResult(
            asset_key=key,
            metadata={"dagster/row_count": rows, "sha256": entry.sha256},
        )
        if outcomes is not None:
            yield from outcomes.asset_check_results(key)

    return _raw_table


def build_raw_table_assets(entries: list[ManifestEntry]) -> list[dg.AssetsDefinition]:
    return [build_raw_table_asset(e) for e in entries]
