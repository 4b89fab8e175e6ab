"""Classifications and geography of Kazakhstan that are not BNS releases: the
full ОКЭД list (``raw.kz_oked_full``), the oblast boundaries of geokz
(``raw.kz_boundaries``), and the reference maps drawn from the boundaries.

The two loaders read files in their own formats (a JSON list, shapefiles), so
they have their own assets here rather than the generic CSV factory's. Each
verifies the sha256 of every file it reads, writes its raw table in one
transaction, and reports its structural checks as asset checks and rows of
``quality.check_results``; a failing check leaves the data as published.
"""

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg

from dagster_project import settings
from dagster_project.defs.ingestion.assets import provenance_metadata
from dagster_project.ingestion import boundaries as boundaries_loader
from dagster_project.ingestion import oked as oked_loader
from dagster_project.ingestion.errors import RawFileError
from dagster_project.ingestion.frames import FrameCatalog
from dagster_project.ingestion.manifest import ManifestEntry, load_all_manifests
from dagster_project.ingestion.raw_writer import replace_raw_table
from dagster_project.quality.results import replace_check_results
from dagster_project.resources import WarehouseResource

OKED_CHECKS = ("level_counts", "unique_codes", "parents_exist", "frame_agreement")
BOUNDARY_CHECKS = ("kato_coverage", "valid_geometry")
FRAME_REGIONS, FRAME_SECTIONS, FRAME_DIVISIONS = (
    "kz_frame_kato_regions", "kz_frame_oked_sections", "kz_frame_oked_divisions")
REGION_MAPS = dg.AssetKey(["reports", "region_maps"])


def _entries(loader: str) -> list[ManifestEntry]:
    return [e for e in load_all_manifests(settings.dataset_dirs()) if e.loader == loader]


def _check_row(table_id: str, name: str, description: str, passed: bool, observed: float | None,
               expected: float | None, severity: str, reason: str, indicator: str | None = None,
               year: int | None = None) -> dict:
    deviation = None if observed is None or expected is None else observed - expected
    return {"table_id": table_id, "indicator": indicator, "year": None if year is None else str(year),
            "check_name": name, "description": description, "observed": observed, "expected": expected,
            "deviation": deviation, "passed": passed, "severity": severity, "reason": reason,
            "checked_at": datetime.now(UTC).replace(tzinfo=None)}


def oked_check_rows(table_id: str, checks: list[oked_loader.OkedCheck]) -> list[dict]:
    """One row per check, and per level for the counts (indicator = the level)."""
    rows = []
    for check in checks:
        if check.name == "level_counts":
            for level in oked_loader.LEVELS:
                observed, expected = check.observed.get(level), check.expected.get(level)
                rows.append(_check_row(
                    table_id, check.name, check.description, observed == expected, float(observed),
                    None if expected is None else float(expected), "warn",
                    f"{observed} {level} records, the source states {expected}", indicator=level))
            continue
        rows.append(_check_row(table_id, check.name, check.description, check.passed,
                               float(sum(check.observed.values())), float(sum(check.expected.values())),
                               "warn", "; ".join(check.problems) or "holds"))
    return rows


def build_oked_asset(entry: ManifestEntry) -> dg.AssetsDefinition:
    key = dg.AssetKey(["raw", entry.raw_table])

    @dg.asset(
        key=key,
        group_name=f"raw_{entry.dataset}",
        description=f"{entry.description}: every record of data/raw/{entry.relative_path} as published, "
        "with its level, parent and position in the list.",
        deps=[dg.AssetKey(["raw", FRAME_SECTIONS]), dg.AssetKey(["raw", FRAME_DIVISIONS])],
        metadata=provenance_metadata(entry),
        kinds={"duckdb", "json"},
        check_specs=[dg.AssetCheckSpec(name, asset=key) for name in OKED_CHECKS],
    )
    def _oked(context: dg.AssetExecutionContext, warehouse: WarehouseResource
              ) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
        try:
            oked = oked_loader.read_oked(entry)
            catalog = FrameCatalog.from_dataset_dirs(settings.dataset_dirs())
            checks = oked_loader.check_oked(
                oked, entry, catalog.table(FRAME_SECTIONS), catalog.table(FRAME_DIVISIONS))
        except RawFileError as exc:
            raise dg.Failure(description=f"Refused ОКЭД file: {exc}") from exc
        for check in checks:
            for problem in check.problems:
                context.log.warning(f"{check.name}: {problem}")
        rows = oked_check_rows(entry.raw_table, checks)
        with warehouse.connect() as connection:
            loaded = replace_raw_table(connection, entry, oked)
            replace_check_results(connection, entry.raw_table, rows)
        yield dg.MaterializeResult(asset_key=key, metadata={
            "dagster/row_count": loaded, "sha256": entry.sha256,
            **{f"records_{level}": int((oked["level"] == level).sum()) for level in oked_loader.LEVELS}})
        for check in checks:
            yield dg.AssetCheckResult(
                asset_key=key, check_name=check.name, passed=check.passed,
                severity=dg.AssetCheckSeverity.WARN,
                description=check.description,
                metadata={"observed": dg.MetadataValue.json(check.observed),
                          "expected": dg.MetadataValue.json(check.expected),
                          "problems": dg.MetadataValue.md("\n".join(f"- {p}" for p in check.problems) or "none")})

    return _oked


def build_boundaries_asset(entries: list[ManifestEntry]) -> dg.AssetsDefinition:
    key = dg.AssetKey(["raw", boundaries_loader.RAW_TABLE])
    first = entries[0]

    @dg.asset(
        key=key,
        group_name=f"raw_{first.dataset}",
        description="Oblasts and cities of republican significance of Kazakhstan, geokz 1.0.2, vintages "
        f"{', '.join(str(e.extra['vintage']) for e in entries)}: КАТО code, kk/ru/en names, geometry "
        "(WKT, WGS 84), area and centroid, loaded from data/raw/" + first.dataset + "/.",
        deps=[dg.AssetKey(["raw", FRAME_REGIONS])],
        metadata={**provenance_metadata(first),
                  "files": dg.MetadataValue.json([e.relative_path for e in entries])},
        kinds={"duckdb", "geopandas"},
        check_specs=[dg.AssetCheckSpec(name, asset=key) for name in BOUNDARY_CHECKS],
    )
    def _boundaries(context: dg.AssetExecutionContext, warehouse: WarehouseResource
                    ) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
        try:
            loaded = boundaries_loader.read_boundaries(entries)
            regions = FrameCatalog.from_dataset_dirs(settings.dataset_dirs()).table(FRAME_REGIONS)
        except RawFileError as exc:
            raise dg.Failure(description=f"Refused boundary file: {exc}") from exc
        coverage = boundaries_loader.check_coverage(
            loaded, regions, {int(e.extra["vintage"]): boundaries_loader.vintage_years(e) for e in entries})
        geometry = boundaries_loader.to_geodataframe(loaded)
        invalid = geometry.loc[~geometry.is_valid, ["vintage", "region_code"]]
        invalid_units = [f"{v}:{c}" for v, c in invalid.itertuples(index=False)]
        rows = [_check_row(key.path[-1], "kato_coverage", "Every КАТО unit in force on 31 December of the year "
                           "has exactly one geometry in the vintage drawn for it.", c.passed, float(c.drawn_units),
                           float(c.expected_units), "error", c.description, indicator=f"geokz {c.vintage}",
                           year=c.year) for c in coverage]
        # Valid as published; the check guards the WKT round trip (rounded
        # coordinates can collapse rings) and next year's files.
        rows.append(_check_row(key.path[-1], "valid_geometry", "Geometries are valid (OGC simple features).",
                               not invalid_units, float(len(invalid_units)), 0.0, "warn",
                               ", ".join(invalid_units) or "holds"))
        with warehouse.connect() as connection:
            written = boundaries_loader.write_boundaries(connection, loaded)
            replace_check_results(connection, key.path[-1], rows)
        yield dg.MaterializeResult(asset_key=key, metadata={
            "dagster/row_count": written,
            **{f"units_{v}": int((loaded["vintage"] == v).sum()) for v in sorted(set(loaded["vintage"]))}})
        yield dg.AssetCheckResult(
            asset_key=key, check_name="kato_coverage", passed=all(c.passed for c in coverage),
            description="Every КАТО unit in force in a year the vintage draws has exactly one geometry.",
            metadata={"years": dg.MetadataValue.md("\n".join(f"- {c.description}" for c in coverage))})
        yield dg.AssetCheckResult(
            asset_key=key, check_name="valid_geometry", passed=not invalid_units,
            severity=dg.AssetCheckSeverity.WARN,
            metadata={"invalid (vintage:КАТО)": dg.MetadataValue.text(", ".join(invalid_units) or "none")})

    return _boundaries


class RegionMapsConfig(dg.Config):
    language: str = ""  # kk, ru or en; empty: the KLASTER_LANGUAGE setting, else en


@dg.asset(
    key=REGION_MAPS,
    deps=[dg.AssetKey(["marts", "dim_region_geometry"])],
    group_name="reports",
    kinds={"png", "html", "geojson"},
    description="Reference maps of the КАТО units (area in km², computed from the geometry) for both "
    "boundary vintages, as PNG and self-contained HTML, and the geometry as GeoJSON, written to "
    "<folder of the published warehouse>/maps/.",
)
def region_maps(context: dg.AssetExecutionContext, config: RegionMapsConfig,
                warehouse: WarehouseResource) -> dg.MaterializeResult:
    # Imported here: matplotlib and plotly are only needed when maps are drawn.
    from dagster_project.reports import maps
    from dagster_project.reports.language import report_language

    language = report_language(config.language or None)
    folder = Path(warehouse.published).parent / "maps"
    with warehouse.connect() as connection:
        written = maps.write_reference_maps(connection, folder, language)
    context.log.info(f"wrote {len(written)} files to {folder}")
    return dg.MaterializeResult(metadata={
        "folder": dg.MetadataValue.path(str(folder)),
        "files": dg.MetadataValue.json([p.name for p in written])})


_boundary_entries = _entries(boundaries_loader.LOADER)
defs = dg.Definitions(assets=[
    *(build_oked_asset(e) for e in _entries(oked_loader.LOADER)),
    *([build_boundaries_asset(_boundary_entries)] if _boundary_entries else []),
    region_maps,
])
