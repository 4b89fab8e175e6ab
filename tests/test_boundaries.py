"""geokz boundaries: every file verified, units keyed on КАТО, coverage of the
frame's units checked per year, and the pre-2018 South Kazakhstan rebuilt.
References are independent readings: geopandas on the shapefiles directly and
another equal-area projection for the areas."""

from __future__ import annotations

import dataclasses
import shutil

import duckdb
import geopandas as gpd
import pandas as pd
import pytest

from dagster_project import settings
from dagster_project.ingestion.boundaries import (
    check_coverage,
    read_boundaries,
    to_geodataframe,
    vintage_years,
    write_boundaries,
    year_span,
)
from dagster_project.ingestion.errors import RawFileError
from dagster_project.ingestion.frames import FrameCatalog
from dagster_project.ingestion.manifest import load_manifest
from dagster_project.reports.map_geometry import geometry_for_year

BOUNDARY_DIR = settings.RAW_DIR / "kazakhstan_boundaries"
KAZAKHSTAN_KM2 = 2_724_900  # official area of the republic


@pytest.fixture(scope="module")
def entries():
    return load_manifest(BOUNDARY_DIR)


@pytest.fixture(scope="module")
def loaded(entries):
    return read_boundaries(entries)


@pytest.fixture(scope="module")
def regions():
    return FrameCatalog.from_dataset_dirs([settings.RAW_DIR / "kazakhstan_frame"]).table("kz_frame_kato_regions")


def _years(entries) -> dict[int, list[int]]:
    return {int(e.extra["vintage"]): vintage_years(e) for e in entries}


def test_both_vintages_are_loaded_feature_by_feature(loaded) -> None:
    geometry = to_geodataframe(loaded)
    for vintage, units in ((2018, 17), (2024, 20)):
        shapes = gpd.read_file(BOUNDARY_DIR / f"geokz_{vintage}" / f"kaz_admbnda_adm1_{vintage}.shp")
        ours = geometry[geometry["vintage"] == vintage].reset_index(drop=True)
        assert len(ours) == len(shapes) == units
        assert list(ours["region_code"]) == [str(k) for k in shapes["KATO"]]
        assert list(ours["name_ru"]) == list(shapes["ADM1_RU"])
        for mine, theirs in zip(ours.geometry, shapes.geometry, strict=True):
            assert mine.equals_exact(theirs, tolerance=0)


def test_areas_agree_with_another_equal_area_projection_and_the_official_total(loaded) -> None:
    geometry = to_geodataframe(loaded)
    cylindrical_km2 = geometry.to_crs("EPSG:6933").area / 1e6  # world cylindrical equal-area
    assert ((geometry["area_km2"] - cylindrical_km2).abs() / cylindrical_km2).max() < 0.001
    for vintage in (2018, 2024):
        total = geometry.loc[geometry["vintage"] == vintage, "area_km2"].sum()
        assert abs(total / KAZAKHSTAN_KM2 - 1) < 0.005
    # the label point lies inside its unit
    labels = gpd.points_from_xy(geometry["label_lon"], geometry["label_lat"], crs="EPSG:4326")
    assert all(shape.buffer(0).contains(point) for shape, point in zip(geometry.geometry, labels, strict=True))


def test_every_unit_in_force_has_exactly_one_geometry_in_its_vintage(loaded, regions, entries) -> None:
    results = check_coverage(loaded, regions, _years(entries))
    assert [(r.vintage, r.year, r.expected_units) for r in results] == [
        (2018, 2018, 17), (2018, 2019, 17), (2018, 2020, 17), (2018, 2021, 17),
        (2024, 2022, 20), (2024, 2023, 20), (2024, 2024, 20)]
    assert all(r.passed for r in results)


def test_coverage_fails_for_a_missing_a_doubled_or_a_premature_unit(loaded, regions) -> None:
    without_ulytau = loaded[~((loaded["vintage"] == 2024) & (loaded["region_code"] == "620000000"))]
    (missing,) = check_coverage(without_ulytau, regions, {2024: [2024]})
    assert not missing.passed and missing.missing == ("620000000",)
    almaty_2018 = loaded[(loaded["vintage"] == 2018) & (loaded["region_code"] == "750000000")]
    doubled = pd.concat([loaded, almaty_2018])
    (twice,) = check_coverage(doubled, regions, {2018: [2019]})
    assert not twice.passed and twice.duplicated == ("750000000",)
    # the 2024 geometry cannot draw 2021: Abai, Zhetisu and Ulytau did not exist yet
    (early,) = check_coverage(loaded, regions, {2024: [2021]})
    assert early.extra == ("100000000", "330000000", "620000000")
    assert "not in force: 100000000, 330000000, 620000000" in early.description


def test_a_changed_companion_file_is_refused_by_name(entries, tmp_path) -> None:
    copy = tmp_path / "kazakhstan_boundaries"
    shutil.copytree(BOUNDARY_DIR, copy)
    dbf = copy / "geokz_2018" / "kaz_admbnda_adm1_2018.dbf"
    data = bytearray(dbf.read_bytes())
    data[-10] ^= 0x01
    dbf.write_bytes(bytes(data))
    entry = dataclasses.replace(entries[0], path=copy / entries[0].file)
    with pytest.raises(RawFileError, match=r"kaz_admbnda_adm1_2018\.dbf: sha256"):
        read_boundaries([entry])


def test_year_spans_of_the_manifest(entries) -> None:
    assert [year_span(e) for e in entries] == [(2018, 2021), (2022, None)]
    broken = dataclasses.replace(entries[0], extra={**entries[0].extra, "years": "from 2018"})
    with pytest.raises(RawFileError, match="years"):
        year_span(broken)


def test_pre_2018_south_kazakhstan_is_turkistan_and_shymkent_together(loaded) -> None:
    units = geometry_for_year(loaded, 2017).set_index("region_code")
    assert len(units) == 16
    assert "510000000" in units.index and not {"610000000", "790000000"} & set(units.index)
    in_2018 = loaded[loaded["vintage"] == 2018]
    parts = to_geodataframe(in_2018[in_2018["region_code"].isin(["610000000", "790000000"])])
    south = units.geometry["510000000"]
    # projected areas: the union neither loses nor double-counts territory
    area = gpd.GeoSeries([south], crs="EPSG:4326").to_crs("EPSG:6933").area.item()
    assert area == pytest.approx(parts.to_crs("EPSG:6933").area.sum(), rel=1e-3)


def test_the_raw_table_is_replaced_in_one_go(loaded, tmp_path) -> None:
    with duckdb.connect(str(tmp_path / "w.duckdb")) as connection:
        assert write_boundaries(connection, loaded) == 37
        assert write_boundaries(connection, loaded[loaded["vintage"] == 2024]) == 20
        assert connection.execute("select count(*), min(vintage) from raw.kz_boundaries").fetchone() == (20, 2024)


def test_the_asset_loads_both_vintages_and_records_coverage_per_year(entries, warehouse_env) -> None:
    import dagster as dg

    from dagster_project.defs.geography import build_boundaries_asset
    from dagster_project.resources import WarehouseResource

    result = dg.materialize([build_boundaries_asset(entries)], resources={"warehouse": WarehouseResource()})
    verdicts = {e.check_name: e.passed for e in result.get_asset_check_evaluations()}
    # valid as published; WKT rounded to 6 decimals had made seven 2024 rings degenerate
    assert verdicts == {"kato_coverage": True, "valid_geometry": True}
    build = warehouse_env.with_name(warehouse_env.name + ".build")
    with duckdb.connect(str(build), read_only=True) as connection:
        assert connection.execute("select vintage, count(*) from raw.kz_boundaries group by 1 order by 1"
                                  ).fetchall() == [(2018, 17), (2024, 20)]
        coverage = connection.execute(
            "select indicator, year, observed, passed from quality.check_results "
            "where table_id = 'kz_boundaries' and check_name = 'kato_coverage' order by year").fetchall()
    expected = [("geokz 2018", str(y), 17.0) for y in range(2018, 2022)]
    expected += [("geokz 2024", str(y), 20.0) for y in (2022, 2023, 2024)]
    assert [(i, y, o) for i, y, o, _ in coverage] == expected
    assert all(passed for *_, passed in coverage)


def test_the_authors_geojson_is_the_same_geometry_as_the_shapefile() -> None:
    for vintage in (2018, 2024):
        folder = BOUNDARY_DIR / f"geokz_{vintage}"
        shapes = gpd.read_file(folder / f"kaz_admbnda_adm1_{vintage}.shp").set_index("KATO")
        converted = gpd.read_file(folder / f"kaz_adm1_{vintage}.geojson").set_index("KATO")
        assert sorted(converted.index) == sorted(shapes.index)
        assert all(shapes.geometry[k].equals_exact(converted.geometry[k], tolerance=1e-9) for k in shapes.index)
