"""Kazakhstan's oblasts for GIS users: one layer per year of the employment
panel's latest year, the geometry of that year's vintage joined to the main
regional marts in wide form, written beside the Parquet export at every
publish as GeoJSON and GeoParquet.

One feature per unit (not one per mart row), so a GIS user gets a layer to
colour at once: the LQ of every ОКЭД section (``lq_A`` … ``lq_U``), the number
of starred clusters of Kazakhstan's own templates (the 2023 BNS tables' and
seed 003's) and the best-starred one, and the driver-industry candidates. Figures come from the marts unchanged.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import geopandas as gpd

from dagster_project.reports.map_geometry import boundaries_from_warehouse, geometry_for_year

LAYER_NAME = "kz_oblasts_{year}"

LATEST_YEAR_SQL = """
select max(year) from marts.fct_location_quotients
where economy_code = 'KZ' and measure = 'employment'
"""

LQ_SQL = """
select region_code, industry_code, lq
from marts.fct_location_quotients
where economy_code = 'KZ' and measure = 'employment' and year = ? and region_code <> 'TOTAL'
"""

CLUSTERS_SQL = """
select region_code,
       count(*) filter (where stars > 0) as starred_clusters,
       max(stars) as most_stars,
       arg_max(cluster_id, stars * 1e9 + cluster_lq) filter (where stars > 0) as best_starred_cluster
from marts.fct_regional_clusters
where economy_code = 'KZ' and template_economy_code = 'KZ' and year = ?
group by region_code
"""

DRIVERS_SQL = """
select region_code,
       string_agg(industry_code, ',' order by industry_code) filter (where is_driver_candidate)
           as driver_industries
from marts.fct_driver_industries
where economy_code = 'KZ' and unit_basis = 'region' and year = ?
group by region_code
"""


def oblast_layer(connection: duckdb.DuckDBPyConnection) -> tuple[int, gpd.GeoDataFrame]:
    """(year, one feature per unit of that year) from a refreshed warehouse."""
    (year,) = connection.execute(LATEST_YEAR_SQL).fetchone()
    if year is None:
        raise ValueError("no Kazakhstan employment LQ in marts.fct_location_quotients")
    year = int(year)
    lq = connection.execute(LQ_SQL, [year]).df()
    wide = lq.pivot(index="region_code", columns="industry_code", values="lq").add_prefix("lq_")
    clusters = connection.execute(CLUSTERS_SQL, [year]).df().set_index("region_code")
    drivers = connection.execute(DRIVERS_SQL, [year]).df().set_index("region_code")
    shapes = geometry_for_year(boundaries_from_warehouse(connection), year)
    attributes = wide.join(clusters, how="left").join(drivers, how="left").reset_index()
    layer = shapes.merge(attributes, on="region_code", how="left")
    layer.insert(1, "year", year)
    return year, gpd.GeoDataFrame(layer, geometry="geometry", crs=shapes.crs)


def export_oblast_layer(database: Path, folder: Path) -> list[Path]:
    """Write ``<folder>/kz_oblasts_<year>.geojson`` and ``.geo.parquet``."""
    with duckdb.connect(str(database), read_only=True) as connection:
        year, layer = oblast_layer(connection)
    folder.mkdir(parents=True, exist_ok=True)
    name = LAYER_NAME.format(year=year)
    geojson, geoparquet = folder / f"{name}.geojson", folder / f"{name}.geo.parquet"
    geojson.unlink(missing_ok=True)
    layer.to_file(geojson, driver="GeoJSON", engine="pyogrio")
    layer.to_parquet(geoparquet)
    return [geojson, geoparquet]


def has_oblast_marts(database: Path) -> bool:
    """The marts the layer joins exist (a warehouse without Kazakhstan's panel has none)."""
    with duckdb.connect(str(database), read_only=True) as connection:
        present = {
            f"{s}.{t}"
            for s, t in connection.execute(
                "select table_schema, table_name from information_schema.tables"
            ).fetchall()
        }
    needed = {"marts.fct_location_quotients", "marts.fct_regional_clusters",
              "marts.fct_driver_industries", "raw.kz_boundaries"}
    return needed <= present

