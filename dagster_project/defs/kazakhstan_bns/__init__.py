"""Kazakhstan's official releases (BNS) -> ``raw.<raw_table>``, one asset per
manifest entry with ``loader: bns_workbook``, read in its published layout.

Each asset verifies the file (checksum, format from the bytes), reads every
cell in its layout (figures kept, labels ignored with a reason, what cannot be
used quarantined), writes facts, quarantine and cell accounting in one
transaction, and validates the release with the checks its definitions imply:
Great Expectations verdicts as asset checks and rows of
``quality.check_results``. A figure that fails a check is kept as published.
"""


from collections.abc import Iterator

import dagster as dg

from dagster_project.defs.ingestion.assets import provenance_metadata
from dagster_project.ingestion.bns.layouts import (
    FRAME_TABLES,
    ReaderContext,
    layout_module,
    read_release,
    release_entries,
)
from dagster_project.ingestion.bns.writer import write_result
from dagster_project.ingestion.errors import RawFileError
from dagster_project.ingestion.manifest import ManifestEntry
from dagster_project.quality.release_checks import ReleaseSuite
from dagster_project.quality.results import replace_check_results
from dagster_project.resources import WarehouseResource


def release_suite(entry: ManifestEntry) -> ReleaseSuite:
    module = layout_module(entry)
    return ReleaseSuite(tuple(module.KEY_COLUMNS), tuple(module.CHECKS))


def build_release_asset(entry: ManifestEntry) -> dg.AssetsDefinition:
    key = dg.AssetKey(["raw", entry.raw_table])
    suite = release_suite(entry)

    @dg.asset(
        key=key,
        group_name="raw_kazakhstan_bns",
        description=f"{entry.description} (BNS), read as published in layout "
        f"{entry.extra.get('layout')} from data/raw/{entry.relative_path}; every non-blank cell "
        "is loaded, ignored with a reason or quarantined in quality.rejected_rows.",
        deps=[dg.AssetKey(["raw", t]) for t in FRAME_TABLES],
        metadata=provenance_metadata(entry),
        kinds={"duckdb", "excel"},
        check_specs=suite.check_specs(key),
    )
    def _release(
        context: dg.AssetExecutionContext, warehouse: WarehouseResource
    ) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
        try:
            result = read_release(entry, ReaderContext.from_settings())
        except RawFileError as exc:
            raise dg.Failure(description=f"Refused BNS release: {exc}") from exc
        counts = result.counts
        context.log.info(f"{entry.relative_path}: {counts}")
        for note in result.notes:
            context.log.info(note)
        for reason in result.rejected["reason"].head(5):
            context.log.warning(f"quarantined: {reason}")
        outcome = suite.validate(result.facts, entry)
        with warehouse.connect() as connection:
            rows = write_result(connection, result)
            replace_check_results(connection, outcome.table_id, outcome.rows)
        yield dg.MaterializeResult(
            asset_key=key,
            metadata={
                "dagster/row_count": rows,
                **{k: v for k, v in counts.items() if k != "facts"},
                "accounting": dg.MetadataValue.md(
                    result.accounting.drop(columns=["release_id", "source_file"]).to_markdown(index=False)
                ),
            },
        )
        yield from outcome.asset_check_results(key)

    return _release


defs = dg.Definitions(assets=[build_release_asset(e) for e in release_entries()])
