"""The oblast layer for GIS users: one feature per unit of the latest year,
each carrying its own figures from the marts."""

from __future__ import annotations

import duckdb
import geopandas as gpd
import pytest

from dagster_project.reports.geo_export import export_oblast_layer, oblast_layer


@pytest.fixture(scope="module")
def published(refreshed: dict):
    assert refreshed["result"].returncode == 0, refreshed["result"].stdout[-3000:]
    return refreshed["published"]


def test_every_unit_is_one_feature_with_its_own_lq(published) -> None:
    with duckdb.connect(str(published), read_only=True) as connection:
        year, layer = oblast_layer(connection)
        lq = connection.execute(
            "select region_code, industry_code, lq from marts.fct_location_quotients "
            "where economy_code = 'KZ' and measure = 'employment' and year = ? and region_code <> 'TOTAL'",
            [year],
        ).df()
    assert year >= 2022 and len(layer) == 20 and layer["region_code"].is_unique
    assert layer.geometry.notna().all() and layer.geometry.is_valid.all()
    expected = lq.set_index(["region_code", "industry_code"])["lq"]
    for row in layer.itertuples():
        assert getattr(row, "lq_B") == pytest.approx(expected[(row.region_code, "B")])


def test_the_publish_writes_the_layer_beside_the_parquet(published, tmp_path) -> None:
    parquet = published.parent / "parquet"
    written = sorted(parquet.glob("kz_oblasts_*.geojson"))
    assert written, "no oblast layer beside the Parquet export"
    layer = gpd.read_file(written[-1])
    assert len(layer) == 20 and "lq_C" in layer.columns
    again = export_oblast_layer(published, tmp_path)
    assert [p.name for p in again] == [written[-1].name, written[-1].name.replace(".geojson", ".geo.parquet")]
