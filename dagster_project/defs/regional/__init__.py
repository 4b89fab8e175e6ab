"""Regional releases -> ``raw.regional_observations`` (canonical long layout)
and their quarantined cells -> ``quality.rejected_rows``.

One asset for every manifest entry with ``loader: regional_release``: the
observation key (economy, classification, year, region, industry, measure) is
checked across files, so the files are read together. The frame tables the
names are resolved against are read from their files (checksums verified) and
are declared as dependencies, so a changed frame re-runs this asset.
"""

import dagster as dg

from dagster_project import settings
from dagster_project.ingestion.errors import RawFileError
from dagster_project.ingestion.frames import FrameCatalog
from dagster_project.ingestion.regional_release.warehouse import read_releases, release_entries, write_releases
from dagster_project.resources import WarehouseResource

REGIONAL_OBSERVATIONS = dg.AssetKey(["raw", "regional_observations"])


def build_regional_observations_asset() -> dg.AssetsDefinition:
    entries = release_entries(settings.dataset_dirs())
    frame_tables = sorted(
        {
            str(e.extra[k])
            for e in entries
            for k in ("region_frame", "industry_frame", "total_labels")
            if e.extra.get(k)
        }
    )

    @dg.asset(
        key=REGIONAL_OBSERVATIONS,
        group_name="raw_regional",
        description="Regional statistics releases (regions × activities) resolved against the "
        "region and industry frames into one long table; unresolvable cells are quarantined "
        "in quality.rejected_rows with file, row, value and reason.",
        deps=[dg.AssetKey(["raw", t]) for t in frame_tables],
        kinds={"duckdb", "csv"},
        metadata={
            "files": dg.MetadataValue.json([f"data/raw/{e.relative_path}" for e in entries]),
            "economies": dg.MetadataValue.json(
                sorted({str(e.extra.get("economy_code")) for e in entries})
            ),
        },
    )
    def regional_observations(
        context: dg.AssetExecutionContext, warehouse: WarehouseResource
    ) -> dg.MaterializeResult:
        try:
            combined = read_releases(
                entries, FrameCatalog.from_dataset_dirs(settings.dataset_dirs())
            )
        except RawFileError as exc:
            raise dg.Failure(description=f"Refused regional release: {exc}") from exc
        for result in combined.results:
            context.log.info(f"{result.entry.relative_path}: {result.counts}")
        for reason in combined.rejected["reason"].head(5):
            context.log.warning(f"quarantined: {reason}")
        with warehouse.connect() as connection:
            counts = write_releases(connection, combined)
        return dg.MaterializeResult(
            metadata={
                "dagster/row_count": counts["observations"],
                "records_in": counts["records_in"],
                "quarantined": counts["quarantined"],
                "per_file": dg.MetadataValue.json(
                    {r.entry.relative_path: r.counts for r in combined.results}
                ),
            }
        )

    return regional_observations


defs = dg.Definitions(assets=[build_regional_observations_asset()])
