"""Oblast boundaries (geokz 1.0.2, two vintages) -> ``raw.kz_boundaries``.

Each manifest entry with ``loader: boundaries`` is one vintage: a shapefile and
its companions (.shx, .dbf, .prj, .cpg, and the author's GeoJSON of the same
geometry), every one verified against its sha256 before the shapefile is
opened, because the attributes live in the .dbf and the shape index in the
.shx. Units are keyed on the 9-digit КАТО code (field ``KATO``); the file's
``ISO_3166_2`` letter codes are outdated and kept only as published.

Geometry is stored as WKT text in WGS 84 (lossless enough for 1:1 million and
readable by DuckDB's spatial extension and by shapely); area and centroid are
computed in an equal-area projection centred on Kazakhstan, so they are not
distorted by the degrees of longitude shrinking northwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import duckdb
import geopandas as gpd
import pandas as pd

from dagster_project.ingestion.errors import RawFileError
from dagster_project.ingestion.manifest import ManifestEntry
from dagster_project.ingestion.raw_files import read_verified
from dagster_project.ingestion.text_table import SOURCE_ROW
from dagster_project.ingestion.warehouse_writes import Replacement, quote_identifier, replace_in_transaction

LOADER = "boundaries"
RAW_TABLE = "kz_boundaries"
SOURCE_CRS = "EPSG:4326"
# Albers equal-area conic with standard parallels framing Kazakhstan (40.5-55.5 N).
EQUAL_AREA_CRS = "+proj=aea +lat_0=48 +lon_0=68 +lat_1=43 +lat_2=53 +datum=WGS84 +units=m +no_defs"
_ATTRIBUTES = {"KATO": "region_code", "ADM1_EN": "name_en", "ADM1_KK": "name_kk", "ADM1_RU": "name_ru",
               "ADM1_PCODE": "adm1_pcode", "ISO_3166_2": "iso_3166_2_as_published", "Year": "year_as_published"}
COLUMNS = ("vintage", "first_year", "last_year", *_ATTRIBUTES.values(), "geometry_wkt", "area_km2",
           "centroid_lon", "centroid_lat", "label_lon", "label_lat", "_source_file", "_source_sha256", SOURCE_ROW)


def _verify(entry: ManifestEntry, relative: str, expected: str) -> None:
    # Companions are named relative to the dataset folder, like the entry's file.
    dataset_dir = entry.path.parents[len(entry.file.split("/")) - 1]
    path = dataset_dir / relative
    read_verified(path, f"{entry.dataset}/{relative}", expected)


def verify_files(entry: ManifestEntry) -> list[str]:
    """Check the shapefile and every companion; return the files verified."""
    files = [(entry.file, entry.sha256)]
    files += [(str(c["file"]), str(c["sha256"])) for c in entry.extra.get("companions") or []]
    for relative, sha256 in files:
        _verify(entry, relative, sha256)
    return [relative for relative, _ in files]


def year_span(entry: ManifestEntry) -> tuple[int, int | None]:
    """The statistical years the vintage draws, from ``years: "2018-2021"`` or
    ``"2022-"`` (open: still drawn for new years)."""
    first, _, last = str(entry.extra["years"]).partition("-")
    try:
        return int(first), int(last) if last.strip() else None
    except ValueError as exc:
        raise RawFileError(entry.relative_path, "manifest 'years' is not 'YYYY-YYYY' or 'YYYY-'",
                           value=str(entry.extra["years"])) from exc


def vintage_years(entry: ManifestEntry) -> list[int]:
    """The years the coverage check tests: the span, an open one up to the vintage year."""
    first, last = year_span(entry)
    return list(range(first, (last or int(entry.extra["vintage"])) + 1))


def read_vintage(entry: ManifestEntry) -> pd.DataFrame:
    """One vintage as rows of ``COLUMNS`` (``_source_row`` = feature number, 1-based)."""
    name = entry.relative_path
    verify_files(entry)
    try:
        frame = gpd.read_file(entry.path, engine="pyogrio", encoding=entry.encoding)
    except Exception as exc:  # pyogrio raises its own DataSourceError family
        raise RawFileError(name, f"cannot read the shapefile: {exc}") from exc
    missing = [a for a in _ATTRIBUTES if a not in frame.columns]
    if missing:
        raise RawFileError(name, f"lacks the fields {missing}; it has {list(frame.columns)}")
    if frame.crs is None or frame.crs.to_epsg() != 4326:
        raise RawFileError(name, f"coordinates are not WGS 84 (EPSG:4326): {frame.crs}")
    codes = frame["KATO"].astype(str).str.strip()
    for position, code in enumerate(codes, start=1):
        if not (len(code) == 9 and code.isdigit()):
            raise RawFileError(name, "KATO is not a 9-digit code", row=position, column="KATO", value=code)
    empty = [i + 1 for i, geometry in enumerate(frame.geometry) if geometry is None or geometry.is_empty]
    if empty:
        raise RawFileError(name, f"features {empty} have no geometry")
    projected = frame.geometry.to_crs(EQUAL_AREA_CRS)
    centroids = gpd.GeoSeries(projected.centroid, crs=EQUAL_AREA_CRS).to_crs(SOURCE_CRS)
    labels = frame.geometry.representative_point()
    rows = pd.DataFrame({column: frame[attribute].astype(str).str.strip()
                         for attribute, column in _ATTRIBUTES.items()})
    first_year, last_year = year_span(entry)
    return rows.assign(
        vintage=int(entry.extra["vintage"]),
        first_year=first_year,
        last_year=pd.array([last_year] * len(rows), dtype="Int64"),
        # Full precision (shapely rounds WKT to 6 decimals by default): the raw table is lossless.
        geometry_wkt=frame.geometry.to_wkt(rounding_precision=-1).to_numpy(),
        area_km2=(projected.area / 1e6).to_numpy(),
        centroid_lon=centroids.x.to_numpy(),
        centroid_lat=centroids.y.to_numpy(),
        label_lon=labels.x.to_numpy(),
        label_lat=labels.y.to_numpy(),
        _source_file=name,
        _source_sha256=entry.sha256,
        **{SOURCE_ROW: range(1, len(frame) + 1)},
    )[list(COLUMNS)]


def read_boundaries(entries: list[ManifestEntry]) -> pd.DataFrame:
    """Every vintage, one table; two entries of the same vintage are refused."""
    vintages = [int(e.extra["vintage"]) for e in entries]
    if len(set(vintages)) != len(vintages):
        raise RawFileError(entries[0].dataset, f"a vintage is declared twice: {sorted(vintages)}")
    return pd.concat([read_vintage(e) for e in entries], ignore_index=True)


def to_geodataframe(boundaries: pd.DataFrame) -> gpd.GeoDataFrame:
    """The loaded rows (raw table or dim_region_geometry) with shapely geometry."""
    geometry = gpd.GeoSeries.from_wkt(boundaries["geometry_wkt"], crs=SOURCE_CRS)
    return gpd.GeoDataFrame(boundaries.drop(columns=["geometry_wkt"]), geometry=geometry, crs=SOURCE_CRS)


@dataclass(frozen=True)
class CoverageCheck:
    """Whether one vintage draws exactly the КАТО units in force in one year."""

    vintage: int
    year: int
    passed: bool
    expected_units: int
    drawn_units: int
    missing: tuple[str, ...] = ()
    extra: tuple[str, ...] = ()
    duplicated: tuple[str, ...] = field(default_factory=tuple)

    @property
    def description(self) -> str:
        problems = [f"{label}: {', '.join(codes)}" for label, codes in
                    (("no geometry", self.missing), ("not in force", self.extra),
                     ("more than one geometry", self.duplicated)) if codes]
        verdict = "; ".join(problems) or "every unit in force has exactly one geometry"
        return (f"geokz {self.vintage} for {self.year}: {self.drawn_units} geometries for "
                f"{self.expected_units} КАТО units in force on 31 December ({verdict})")


def _in_force(regions: pd.DataFrame, year: int) -> set[str]:
    """КАТО units in force on 31 December of ``year`` (the frame's convention)."""
    year_end = date(year, 12, 31)
    chosen = set()
    for row in regions.to_dict("records"):
        valid_from = str(row.get("valid_from") or "").strip()
        valid_to = str(row.get("valid_to") or "").strip()
        if valid_from and date.fromisoformat(valid_from) > year_end:
            continue
        if valid_to and date.fromisoformat(valid_to) < year_end:
            continue
        chosen.add(str(row["region_code"]))
    return chosen


def check_coverage(
    boundaries: pd.DataFrame, regions: pd.DataFrame, years_by_vintage: dict[int, list[int]]
) -> list[CoverageCheck]:
    """For each vintage and each year it draws: every КАТО unit of the frame
    (``regions``: kz_frame_kato_regions as text) in force that year has exactly
    one geometry, and no geometry is of a unit not in force."""
    results = []
    for vintage, years in sorted(years_by_vintage.items()):
        codes = boundaries.loc[boundaries["vintage"] == vintage, "region_code"].astype(str)
        counts = codes.value_counts()
        for year in years:
            expected = _in_force(regions, year)
            missing = tuple(sorted(expected - set(codes)))
            extra = tuple(sorted(set(codes) - expected))
            duplicated = tuple(sorted(counts[counts > 1].index))
            results.append(CoverageCheck(
                vintage, year, not (missing or extra or duplicated), len(expected), len(codes),
                missing, extra, duplicated,
            ))
    return results


def write_boundaries(connection: duckdb.DuckDBPyConnection, boundaries: pd.DataFrame) -> int:
    """Replace ``raw.kz_boundaries`` in one transaction; return its rows."""
    loaded = boundaries.assign(_loaded_at=datetime.now(UTC).replace(tzinfo=None))
    replace_in_transaction(connection, [Replacement(f"raw.{quote_identifier(RAW_TABLE)}", loaded)])
    return len(loaded)
