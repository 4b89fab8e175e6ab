"""Maps checked as a reader would check them: every unit is drawn and filled
with the colour of its own value. The values are MADE UP for the test (one
distinct number or star count per unit); they are not statistics.

Pixel positions come from an independent reading of the shapefiles (geopandas
directly, not the project's loader): each unit's representative point,
projected like the map and placed through the axes transform; the cities are
sampled in their inset."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import geopandas as gpd
import matplotlib
import numpy as np
import pandas as pd
import pytest
import shapely.geometry
from matplotlib.colors import Normalize, to_rgba
from matplotlib.image import imread

from dagster_project import settings
from dagster_project.ingestion.boundaries import EQUAL_AREA_CRS
from dagster_project.reports import map_geometry, maps

DPI = 100
SHAPES = settings.RAW_DIR / "kazakhstan_boundaries"


@pytest.fixture(scope="module")
def boundaries() -> pd.DataFrame:
    return map_geometry.boundaries_from_files()


def _points(vintage: int) -> dict[str, tuple[float, float]]:
    """КАТО -> representative point in the map projection, read independently."""
    frame = gpd.read_file(SHAPES / f"geokz_{vintage}" / f"kaz_admbnda_adm1_{vintage}.shp")
    points = frame.geometry.representative_point().to_crs(EQUAL_AREA_CRS)
    return {str(code): (p.x, p.y) for code, p in zip(frame["KATO"], points, strict=True)}


def _sample(rendered: maps.RenderedMap, image: np.ndarray, code: str, point: tuple[float, float]) -> np.ndarray:
    axes = rendered.inset_axes.get(code, rendered.main_axes)
    x, y = axes.transData.transform(point) * DPI / rendered.figure.dpi
    return image[image.shape[0] - int(round(y)), int(round(x)), :3]


def _assert_each_unit_has_its_colour(rendered, path: Path, points, expected: dict[str, tuple]) -> None:
    image = imread(path)
    assert image.shape[:2] == (round(7.6 * DPI), 11 * DPI)
    for code, point in points.items():
        pixel = _sample(rendered, image, code, point)
        distances = {other: np.abs(pixel - np.array(colour[:3])).max() for other, colour in expected.items()}
        assert distances[code] < 0.02, f"{code}: pixel {pixel} is not its colour {expected[code][:3]}"
        # and it is not merely close: no other unit's colour is nearer
        assert min(distances, key=distances.get) == code


def test_numeric_map_draws_every_unit_in_the_colour_of_its_value(boundaries, tmp_path) -> None:
    points = _points(2024)
    made_up = {code: float(i + 1) for i, code in enumerate(sorted(points))}  # made-up values
    rendered = maps.render_choropleth(made_up, boundaries, year=2023, language="en",
                                      title="Made-up values", cmap="viridis", vmin=0, vmax=21)
    assert set(rendered.inset_axes) == set(maps.CITIES)
    assert sorted(rendered.units["region_code"]) == sorted(points)
    path = maps.save_png(rendered, tmp_path / "made_up.png", dpi=DPI)
    viridis, norm = matplotlib.colormaps["viridis"], Normalize(0, 21)
    _assert_each_unit_has_its_colour(rendered, path, points,
                                     {code: viridis(norm(value)) for code, value in made_up.items()})


def test_a_unit_without_a_value_is_grey_and_the_legend_says_no_data(boundaries, tmp_path) -> None:
    points = _points(2024)
    made_up = {code: float(i) for i, code in enumerate(sorted(points)) if code != "620000000"}
    rendered = maps.render_choropleth(made_up, boundaries, year=2024, language="ru", title={"ru": "Вымышленные"},
                                      vmin=0, vmax=19)
    assert rendered.legend_labels == ["нет данных"]
    path = maps.save_png(rendered, tmp_path / "gap.png", dpi=DPI)
    pixel = _sample(rendered, imread(path), "620000000", points["620000000"])
    assert np.abs(pixel - np.array(to_rgba(maps.NO_DATA_COLOUR)[:3])).max() < 0.02


def test_star_map_colours_each_unit_by_its_stars(boundaries, tmp_path) -> None:
    points = _points(2024)
    stars = {code: i % 4 for i, code in enumerate(sorted(points))}  # made-up star counts
    rendered = maps.render_categorical(stars, boundaries, year=2022, language="kk", title="Жұлдыздар",
                                       categories=maps.star_categories("kk"))
    assert rendered.legend_labels == ["0 жұлдыз", "1 жұлдыз", "2 жұлдыз", "3 жұлдыз"]
    path = maps.save_png(rendered, tmp_path / "stars.png", dpi=DPI)
    image = imread(path)
    for code, point in points.items():
        expected = np.array(to_rgba(maps.STAR_COLOURS[stars[code]])[:3])
        assert np.abs(_sample(rendered, image, code, point) - expected).max() < 0.02, code


def test_categories_the_caller_did_not_name_are_refused(boundaries) -> None:
    with pytest.raises(ValueError, match="not among the categories"):
        maps.render_categorical({"710000000": "Mining"}, boundaries, year=2023, language="en", title="Drivers",
                                categories=["Manufacturing"])


def test_pre_2018_map_draws_south_kazakhstan_where_turkistan_and_shymkent_are(boundaries, tmp_path) -> None:
    points = _points(2018)
    made_up = {code: float(i + 1) for i, code in enumerate(sorted(points)) if code not in ("610000000", "790000000")}
    made_up["510000000"] = 20.0
    rendered = maps.render_choropleth(made_up, boundaries, year=2015, language="en", title="Made-up, 2015",
                                      vmin=0, vmax=20)
    assert sorted(rendered.units["region_code"]) == sorted(made_up)
    assert set(rendered.inset_axes) == {"710000000", "750000000"}  # Shymkent is part of the oblast
    path = maps.save_png(rendered, tmp_path / "pre_2018.png", dpi=DPI)
    viridis, norm = matplotlib.colormaps["viridis"], Normalize(0, 20)
    expected = {code: viridis(norm(value)) for code, value in made_up.items()}
    points["510000000"] = points.pop("610000000")  # Turkistan's interior lies in the former oblast
    del points["790000000"]
    _assert_each_unit_has_its_colour(rendered, path, points, expected)


def test_html_has_one_feature_per_unit_and_opens_without_network(boundaries, tmp_path) -> None:
    codes = sorted(_points(2024))
    made_up = {code: i * 1.5 for i, code in enumerate(codes) if code != "100000000"}
    path = tmp_path / "made_up.html"
    figure = maps.choropleth_html(made_up, boundaries, year=2023, language="en", title="Made-up", path=path)
    html = path.read_text(encoding="utf-8")
    features = re.findall(r'"type":\s*"Feature",\s*"id":\s*"(\d{9})"', html)
    assert sorted(features) == codes
    assert "Rodionov, A. (2024). geokz 1.0.2, CC BY 4.0" in html
    assert not re.search(r'<script[^>]+src="http', html)  # plotly.js is inlined
    by_trace = {trace.name: list(trace.locations) for trace in figure.data if trace.type == "choropleth"}
    assert by_trace["no data"] == ["100000000"]
    # plotly's d3-geo fills the outside of a counter-clockwise exterior ring: all must be clockwise
    for trace in figure.data:
        for feature in (trace.geojson or {}).get("features", []):
            shape = shapely.geometry.shape(feature["geometry"])
            assert not any(p.exterior.is_ccw for p in getattr(shape, "geoms", [shape])), feature["id"]


def test_categorical_html_puts_each_unit_in_its_category(boundaries, tmp_path) -> None:
    codes = sorted(_points(2024))
    drivers = {code: ("Mining" if i % 2 else "Manufacturing") for i, code in enumerate(codes)}  # made up
    figure = maps.choropleth_html(drivers, boundaries, year=2023, language="en", title="Drivers",
                                  categories=["Manufacturing", "Mining"], path=tmp_path / "drivers.html")
    traces = {t.name: set(t.locations) for t in figure.data if t.type == "choropleth"}
    assert traces == {label: {c for c, v in drivers.items() if v == label} for label in ("Manufacturing", "Mining")}


def test_vintage_follows_the_year() -> None:
    assert [map_geometry.vintage_for_year(y) for y in (2010, 2017, 2018, 2021, 2022, 2024)] == [
        2018, 2018, 2018, 2018, 2024, 2024]


def test_export_joins_each_row_to_the_geometry_of_its_year(boundaries, tmp_path) -> None:
    database = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(database)) as connection:
        connection.execute("create schema marts")
        connection.register("b", boundaries[["vintage", "region_code", "geometry_wkt"]])
        connection.execute("create table marts.dim_region_geometry as select * from b")
        connection.execute("""create table marts.fct_made_up as select * from (values
            (2015, '510000000', 1.0), (2021, '790000000', 2.0), (2023, '620000000', 3.0),
            (2023, 'TOTAL', 4.0)) t(year, region_code, value)""")
    written = map_geometry.export_geometry_joined(database, "marts.fct_made_up", tmp_path / "out")
    assert [p.name for p in written] == ["marts.fct_made_up.geojson", "marts.fct_made_up.geo.parquet"]
    for frame in (gpd.read_file(written[0]), gpd.read_parquet(written[1])):
        frame = frame.sort_values("value").reset_index(drop=True)
        assert list(frame["region_code"]) == ["510000000", "790000000", "620000000", "TOTAL"]
        assert list(frame.geometry.isna()) == [False, False, False, True]
        turkistan_2018 = gpd.read_file(SHAPES / "geokz_2018" / "kaz_admbnda_adm1_2018.shp").set_index("KATO")
        # the pre-2018 oblast contains the 2018 Turkistan Region's interior
        assert frame.geometry[0].contains(turkistan_2018.geometry["610000000"].representative_point())
        assert frame.geometry[0].area > turkistan_2018.geometry["610000000"].area


def test_colour_bar_numbers_follow_the_language() -> None:
    assert maps.tick_label(2.5, "ru") == "2,5"
    assert maps.tick_label(2.5, "en") == "2.5"
    assert maps.tick_label(300_000, "kk") == "300\u202f000"
    assert maps.star_categories("en")[1] == "1 star"
