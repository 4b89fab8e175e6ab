"""Which boundaries a map of year Y draws, and the oblast geometry joined to a
mart table for GIS users (GeoJSON and GeoParquet beside the Parquet export).

Vintages (the frame's convention: a unit is drawn for year Y when it exists on
31 December of Y):
  * Y >= 2022: geokz 2024, 20 units (Abai, Zhetisu, Ulytau exist);
  * 2018 <= Y <= 2021: geokz 2018, 17 units;
  * Y < 2018: geokz 2018 with Turkistan Region (61) and Shymkent (79) merged
    back into South Kazakhstan Region (51). That is exact at oblast level: the
    2018 reform only split Shymkent off and renamed the rest, so their union is
    the former oblast. What the 2018 geometry cannot show is older boundary
    adjustments between existing units (districts transferred to Almaty and
    Astana cities in 2014 and 2017 ...); the frame does not record them either,
    so a pre-2018 map draws the cities in their 2018 extent (``PRE_2018_NOTE``).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import geopandas as gpd
import pandas as pd
import shapely

from dagster_project import settings
from dagster_project.ingestion.boundaries import LOADER, read_boundaries, to_geodataframe
from dagster_project.ingestion.frames import FrameCatalog
from dagster_project.ingestion.manifest import load_manifest

GEOMETRY_TABLE = "marts.dim_region_geometry"
BOUNDARIES_DATASET, FRAME_DATASET = "kazakhstan_boundaries", "kazakhstan_frame"
SOUTH_KAZAKHSTAN, TURKISTAN, SHYMKENT = "510000000", "610000000", "790000000"
PRE_2018_NOTE = {
    "en": "Before 2018: South Kazakhstan Region drawn as the union of the 2018 Turkistan Region and Shymkent; "
          "city boundaries as in 2018.",
    "ru": "До 2018 года: Южно-Казахстанская область показана как объединение Туркестанской области и "
          "г. Шымкент в границах 2018 года; границы городов на 2018 год.",
    "kk": "2018 жылға дейін: Оңтүстік Қазақстан облысы 2018 жылғы Түркістан облысы мен Шымкент қаласының "
          "бірігуі ретінде көрсетілген; қалалардың шекаралары 2018 жылғы.",
}


def vintage_for_year(year: int) -> int:
    """The geokz vintage a map of ``year`` draws (see the module docstring)."""
    return 2024 if year >= 2022 else 2018


def boundaries_from_files() -> pd.DataFrame:
    """Both vintages read (and checksum-verified) from data/raw, no warehouse needed."""
    entries = [e for e in load_manifest(settings.RAW_DIR / BOUNDARIES_DATASET) if e.loader == LOADER]
    return read_boundaries(entries)


def boundaries_from_warehouse(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return connection.execute(
        f"select vintage, region_code, geometry_wkt from {GEOMETRY_TABLE} order by vintage, region_code"
    ).df()


def geometry_for_year(boundaries: pd.DataFrame, year: int) -> gpd.GeoDataFrame:
    """``region_code`` + geometry (WGS 84) of the units in force in ``year``.

    ``boundaries``: rows with vintage, region_code, geometry_wkt (raw.kz_boundaries,
    marts.dim_region_geometry or :func:`boundaries_from_files`)."""
    chosen = boundaries[boundaries["vintage"].astype(int) == vintage_for_year(year)]
    if chosen.empty:
        raise ValueError(f"no boundaries of vintage {vintage_for_year(year)} for {year}")
    units = to_geodataframe(chosen[["region_code", "geometry_wkt"]].reset_index(drop=True))
    if year >= 2018:
        return units
    merged = units["region_code"].isin([TURKISTAN, SHYMKENT])
    if merged.sum() != 2:
        raise ValueError("the 2018 vintage lacks Turkistan Region or Shymkent: cannot draw South Kazakhstan")
    # The two 1:1 million outlines share a border but are not noded alike:
    # make_valid first so the union is one clean polygon, not slivers.
    union = shapely.union_all(shapely.make_valid(units.geometry[merged].to_numpy()))
    south = gpd.GeoDataFrame({"region_code": [SOUTH_KAZAKHSTAN]}, geometry=[union], crs=units.crs)
    return pd.concat([units[~merged], south], ignore_index=True).sort_values("region_code", ignore_index=True)


def region_names(language: str, catalog: FrameCatalog | None = None) -> dict[str, str]:
    """КАТО code -> official name in ``language`` (kk, ru, en) from the frame."""
    # Only the frame's own manifest is read, so a map does not depend on every dataset.
    catalog = catalog or FrameCatalog.from_dataset_dirs([settings.RAW_DIR / FRAME_DATASET])
    regions = catalog.table("kz_frame_kato_regions")
    return dict(zip(regions["region_code"].astype(str), regions[f"name_{language}"], strict=True))


def _text_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Lists (varchar[] columns such as involved_cells) as '|'-joined text: GeoJSON
    properties and the GeoJSON driver take scalars only."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object and out[column].map(lambda v: isinstance(v, (list, tuple))).any():
            out[column] = out[column].map(lambda v: "|".join(map(str, v)) if isinstance(v, (list, tuple)) else v)
    return out


def geometry_joined(
    connection: duckdb.DuckDBPyConnection, table: str, *, region_column: str = "region_code",
    year_column: str | None = "year",
) -> gpd.GeoDataFrame:
    """Every row of ``table`` (schema-qualified) with the geometry of its region in
    the vintage of its year (a table without ``year_column``: the newest vintage).
    Rows whose region has no geometry (TOTAL, another economy) keep a NULL geometry."""
    schema, name = table.split(".", 1)
    rows = connection.table(f'"{schema}"."{name}"').df()
    if region_column not in rows.columns:
        raise ValueError(f"{table} has no column {region_column!r}")
    boundaries = boundaries_from_warehouse(connection)
    has_year = year_column is not None and year_column in rows.columns
    years = sorted({int(y) for y in rows[year_column].dropna()}) if has_year else []
    pieces = []
    for year in years or [max(boundaries["vintage"].astype(int))]:
        shapes = geometry_for_year(boundaries, year).rename(columns={"region_code": "_geometry_region"})
        part = rows[rows[year_column].astype("Int64") == year] if years else rows
        pieces.append(part.assign(_geometry_region=part[region_column].astype(str))
                      .merge(shapes, how="left", on="_geometry_region").drop(columns="_geometry_region"))
    if has_year and rows[year_column].isna().any():
        pieces.append(rows[rows[year_column].isna()].assign(geometry=None))
    joined = pd.concat(pieces, ignore_index=True)
    return gpd.GeoDataFrame(_text_safe(joined), geometry="geometry", crs="EPSG:4326")


def export_geometry_joined(
    database: Path, table: str, folder: Path, *, region_column: str = "region_code",
    year_column: str | None = "year",
) -> list[Path]:
    """Write ``<folder>/<table>.geojson`` and ``<folder>/<table>.geo.parquet``
    (GeoParquet) of :func:`geometry_joined`, reading ``database`` read-only.

    Call it beside the Parquet export of a published version, e.g. in
    ``publish.publish`` after ``export_parquet(version, parquet)``::

        export_geometry_joined(version, "marts.fct_regional_clusters", parquet)
    """
    folder.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(database), read_only=True) as connection:
        joined = geometry_joined(connection, table, region_column=region_column, year_column=year_column)
    geojson = folder / f"{table}.geojson"
    geoparquet = folder / f"{table}.geo.parquet"
    geojson.unlink(missing_ok=True)
    joined.to_file(geojson, driver="GeoJSON", engine="pyogrio")
    joined.to_parquet(geoparquet)
    return [geojson, geoparquet]
