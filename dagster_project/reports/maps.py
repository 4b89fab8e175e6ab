"""Choropleth maps of Kazakhstan's oblasts: a static PNG (matplotlib) and an
interactive HTML (plotly, GeoJSON and plotly.js inlined so it opens from disk).

The three cities of republican significance (Astana, Almaty, Shymkent) cover
less than 0.1 % of the country, a few pixels at national scale, so each is also
drawn enlarged in its own inset panel. Boundaries follow the year
(:func:`map_geometry.geometry_for_year`); names come from the frame in the
chosen language. Pure functions: values and boundaries in, figures out.

Example (a numeric map, then the stars of one cluster)::

    from dagster_project.reports import maps, map_geometry
    boundaries = map_geometry.boundaries_from_files()      # or boundaries_from_warehouse(con)
    values = lq.set_index("region_code")["location_quotient"]  # КАТО code -> value
    rendered = maps.render_choropleth(values, boundaries, year=2023, language="ru",
                                      title={"en": "LQ, manufacturing", "ru": "LQ, обработка", "kk": "..."})
    maps.save_png(rendered, "lq.png")
    maps.choropleth_html(values, boundaries, year=2023, language="ru", title=..., path="lq.html")
    stars = maps.render_categorical(cluster.set_index("region_code")["stars"], boundaries, year=2023,
                                    language="en", title="Stars", categories=maps.star_categories("en"))
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import matplotlib

matplotlib.use("Agg")  # files only, never a window (Dagster workers, tests)

import matplotlib.colors as mcolors  # noqa: E402
import matplotlib.patheffects as patheffects  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import plotly.graph_objects as go  # noqa: E402
import shapely  # noqa: E402
import shapely.geometry  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from dagster_project.ingestion.boundaries import EQUAL_AREA_CRS  # noqa: E402
from dagster_project.reports.map_geometry import (  # noqa: E402
    PRE_2018_NOTE,
    geometry_for_year,
    region_names,
    vintage_for_year,
)
from dagster_project.reports.sections.base import decimal_comma, write_png  # noqa: E402

CITIES = ("710000000", "750000000", "790000000")  # Astana, Almaty, Shymkent
ATTRIBUTION = (
    "Boundaries: Rodionov, A. (2024). geokz 1.0.2, CC BY 4.0. Data: © Bureau of National Statistics of the "
    "Agency for Strategic Planning and Reforms of the Republic of Kazakhstan"
)
NO_DATA_COLOUR = "#d9d9d9"
# Grey, not white, borders: the palest class (0 stars) must still show its outline.
EDGE_COLOUR = "#707070"
# The inset shows the city and its surroundings; neighbours are drawn grey so
# the city's own colour is the one thing the eye reads there.
CONTEXT_COLOUR = "#f0f0f0"
CAPTIONS = {
    "no_data": {"en": "no data", "ru": "нет данных", "kk": "деректер жоқ"},
    "boundaries": {"en": "boundaries of {vintage}", "ru": "границы {vintage} г.", "kk": "{vintage} ж. шекаралары"},
    "insets": {"en": "Cities of republican significance, enlarged", "ru": "Города республиканского значения, "
               "в увеличенном масштабе", "kk": "Республикалық маңызы бар қалалар, үлкейтілген"},
    "stars": {"en": "{n} stars", "ru": "звёзд: {n}", "kk": "{n} жұлдыз"},
}
STAR_COLOURS = ("#f2f0f7", "#cbc9e2", "#9e9ac8", "#54278f")


def _caption(key: str, language: str, **values) -> str:
    return CAPTIONS[key][language].format(**values)


def star_categories(language: str) -> dict[int, str]:
    """Cluster stars 0-3 and their legend labels, for :func:`render_categorical`."""
    labels = {n: _caption("stars", language, n=n) for n in range(4)}
    if language == "en":
        labels[1] = "1 star"
    return labels


def tick_label(value: float, language: str) -> str:
    """Colour-bar numbers as the report writes them: thousands apart (400 000),
    decimal comma in kk and ru."""
    text = f"{value:,.0f}".replace(",", "\u202f") if abs(value) >= 10_000 else f"{value:.6g}"
    return text.replace(".", ",") if decimal_comma(language) else text


def _title(title: str | Mapping[str, str], language: str) -> str:
    return title if isinstance(title, str) else title.get(language) or title["en"]


def _as_series(values: pd.Series | Mapping | pd.DataFrame, value_column: str | None = None) -> pd.Series:
    if isinstance(values, pd.DataFrame):
        column = value_column or next(c for c in values.columns if c != "region_code")
        values = values.set_index("region_code")[column]
    series = pd.Series(values)
    series.index = series.index.astype(str)
    if series.index.duplicated().any():
        raise ValueError(f"regions given twice: {sorted(set(series.index[series.index.duplicated()]))}")
    return series


@dataclass
class RenderedMap:
    """The figure and what a caller (or a test) needs to read it back."""

    figure: plt.Figure
    main_axes: plt.Axes
    inset_axes: dict[str, plt.Axes]
    units: gpd.GeoDataFrame  # region_code, geometry in the map's projection, colour (RGBA)
    legend_labels: list[str] = field(default_factory=list)


class _CanvasDrawnWhenSaved(FigureCanvasAgg):
    """An Agg canvas that renders when the figure is saved, not on ``draw_idle``.
    geopandas asks for a redraw after every layer it plots, and Agg, having no
    event loop to merge those requests, rendered the whole figure for each: eight
    renders thrown away per map (two layers on the map, two in each of the three
    insets) before the one saved, about 40 % of a map's time."""

    def draw_idle(self, *args, **kwargs) -> None:
        pass


def _layout(units: gpd.GeoDataFrame, cities: list[str]) -> tuple[plt.Figure, plt.Axes, dict[str, plt.Axes]]:
    figure = Figure(figsize=(11, 7.6))  # not pyplot's: nothing shows it, save_png writes it
    _CanvasDrawnWhenSaved(figure)
    main = figure.add_axes((0.01, 0.25, 0.76, 0.64))
    insets = {}
    for i, code in enumerate(cities):
        insets[code] = figure.add_axes((0.03 + i * 0.16, 0.045, 0.14, 0.17))
    for axes in (main, *insets.values()):
        axes.set_axis_off()
    return figure, main, insets


def short_name(name: str) -> str:
    """The name without the generic word (область, облысы, Region, город, қаласы,
    city), which every unit of the map shares; the legend says what they are."""
    for generic in (" облысы", " қаласы", " область", "область ", "город ", " Region", " city"):
        name = name.replace(generic, "")
    return name.strip()


def _draw(units: gpd.GeoDataFrame, main: plt.Axes, insets: dict[str, plt.Axes], names: dict[str, str],
          language: str) -> None:
    oblasts = units[~units["region_code"].isin(CITIES)]
    cities = units[units["region_code"].isin(CITIES)]
    for frame, axes in ((oblasts, main), (cities, main)):
        frame.plot(ax=axes, color=list(frame["colour"]), edgecolor=EDGE_COLOUR, linewidth=0.4)
    for row in oblasts.itertuples():
        # Names sit just below the unit's representative point so the point
        # itself shows the fill colour (that is where a reader's eye lands).
        main.annotate(short_name(names.get(row.region_code, row.region_code)), (row.label_x, row.label_y),
                      xytext=(0, -5), textcoords="offset points", ha="center", va="top", fontsize=7,
                      color="#222222", path_effects=[patheffects.withStroke(linewidth=2.2, foreground="white")])
    for row in cities.itertuples():
        if row.region_code not in insets:
            continue
        centre = row.geometry.centroid
        # A black ring inside a white one reads on dark and pale fills alike.
        for colour, width in (("white", 2.4), ("#222222", 0.9)):
            main.plot(centre.x, centre.y, marker="o", markersize=9, markerfacecolor="none",
                      markeredgecolor=colour, markeredgewidth=width)
        axes = insets[row.region_code]
        minx, miny, maxx, maxy = row.geometry.bounds
        # A square window around the city, so the three panels are the same size.
        half = 0.65 * max(maxx - minx, maxy - miny)
        middle_x, middle_y = (minx + maxx) / 2, (miny + maxy) / 2
        units.plot(ax=axes, color=CONTEXT_COLOUR, edgecolor="#bdbdbd", linewidth=0.4)
        gpd.GeoSeries([row.geometry], crs=units.crs).plot(ax=axes, color=[row.colour], edgecolor="#222222",
                                                          linewidth=0.6)
        axes.set_xlim(middle_x - half, middle_x + half)
        axes.set_ylim(middle_y - half, middle_y + half)
        axes.set_aspect("equal")
        axes.set_axis_on()
        axes.set_xticks([])
        axes.set_yticks([])
        axes.set_xlabel("")
        axes.set_ylabel("")
        for spine in axes.spines.values():
            spine.set_edgecolor("#888888")
        # y given: no ticks, so matplotlib's automatic placement would find 1.0.
        axes.set_title(short_name(names.get(row.region_code, row.region_code)), fontsize=8, pad=3, y=1.0)
    if insets:
        first = min(axes.get_position().x0 for axes in insets.values())
        top = max(axes.get_position().y1 for axes in insets.values())
        main.figure.text(first, top + 0.03, _caption("insets", language), fontsize=8, color="#444444")


def _prepare(boundaries: pd.DataFrame, year: int) -> gpd.GeoDataFrame:
    """The units of ``year`` in the map projection, with the point their name
    hangs from: the representative point of the WGS 84 outline (the label point
    of raw.kz_boundaries), projected."""
    units = geometry_for_year(boundaries, year)
    label_points = units.geometry.representative_point().to_crs(EQUAL_AREA_CRS)
    units = units.to_crs(EQUAL_AREA_CRS).assign(label_x=label_points.x, label_y=label_points.y)
    return units.reset_index(drop=True)


def _finish(rendered: RenderedMap, title: str, year: int, vintage_note: str, language: str,
            attribution: str) -> RenderedMap:
    figure = rendered.figure
    figure.suptitle(title, x=0.02, y=0.975, ha="left", fontsize=14, fontweight="bold")
    figure.text(0.02, 0.915, vintage_note, ha="left", fontsize=9, color="#444444")
    lines = [attribution] + ([PRE_2018_NOTE[language]] if year < 2018 else [])
    figure.text(0.02, 0.008, "\n".join(lines), ha="left", va="bottom", fontsize=6.5, color="#555555", wrap=True)
    rendered.main_axes.set_aspect("equal")
    return rendered


def _vintage_note(year: int, units: gpd.GeoDataFrame, language: str) -> str:
    return f"{year} · {_caption('boundaries', language, vintage=vintage_for_year(year))} ({len(units)})"


def render_choropleth(
    values: pd.Series | Mapping | pd.DataFrame, boundaries: pd.DataFrame, *, year: int, language: str,
    title: str | Mapping[str, str], legend_title: str = "", cmap: str = "viridis",
    vmin: float | None = None, vmax: float | None = None, names: Mapping[str, str] | None = None,
    attribution: str = ATTRIBUTION,
) -> RenderedMap:
    """A numeric choropleth: each unit filled with ``cmap`` at its value,
    normalised linearly between ``vmin`` and ``vmax`` (default: the data's range);
    units without a value are grey and listed as "no data" in the legend."""
    series = pd.to_numeric(_as_series(values), errors="raise")
    units = _prepare(boundaries, year)
    unit_values = units["region_code"].map(series)
    norm = mcolors.Normalize(vmin=series.min() if vmin is None else vmin, vmax=series.max() if vmax is None else vmax)
    colormap = matplotlib.colormaps[cmap]
    units["colour"] = [colormap(norm(v)) if pd.notna(v) else mcolors.to_rgba(NO_DATA_COLOUR) for v in unit_values]
    names = dict(names or region_names(language))
    cities = [c for c in CITIES if c in set(units["region_code"])]
    figure, main, insets = _layout(units, cities)
    _draw(units, main, insets, names, language)
    colourbar_axes = figure.add_axes((0.80, 0.34, 0.022, 0.46))
    colourbar = figure.colorbar(plt.cm.ScalarMappable(norm=norm, cmap=colormap), cax=colourbar_axes,
                                label=legend_title)
    colourbar.ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: tick_label(value, language)))
    labels = []
    if unit_values.isna().any():
        labels = [_caption("no_data", language)]
        figure.legend(handles=[Patch(facecolor=NO_DATA_COLOUR, label=labels[0])], loc="lower left",
                      bbox_to_anchor=(0.79, 0.24), frameon=False, fontsize=8)
    rendered = RenderedMap(figure, main, insets, units, labels)
    return _finish(rendered, _title(title, language), year, _vintage_note(year, units, language), language,
                   attribution)


def render_categorical(
    values: pd.Series | Mapping | pd.DataFrame, boundaries: pd.DataFrame, *, year: int, language: str,
    title: str | Mapping[str, str], categories: Mapping | Sequence | None = None, colours: Sequence | None = None,
    legend_title: str = "", names: Mapping[str, str] | None = None, attribution: str = ATTRIBUTION,
) -> RenderedMap:
    """A categorical map (cluster stars 0-3, driver-industry labels): one colour
    per category in ``categories`` order (a mapping gives each category its
    legend label, e.g. :func:`star_categories`). A value outside the categories
    is refused rather than silently drawn as "no data"."""
    series = _as_series(values)
    present = series.dropna()
    if categories is None:
        categories = sorted(present.unique(), key=str)
    labels = dict(categories) if isinstance(categories, Mapping) else {c: str(c) for c in categories}
    unknown = sorted({str(v) for v in present if v not in labels})
    if unknown:
        raise ValueError(f"values {unknown} are not among the categories {list(labels)}")
    if colours is None:
        stars = set(labels) <= set(range(4)) and len(labels) == 4
        colours = STAR_COLOURS if stars else [plt.cm.tab20(i % 20) for i in range(len(labels))]
    if len(colours) < len(labels):
        raise ValueError(f"{len(labels)} categories but {len(colours)} colours")
    colour_of = {c: mcolors.to_rgba(colours[i]) for i, c in enumerate(labels)}
    units = _prepare(boundaries, year)
    unit_values = units["region_code"].map(series)
    units["colour"] = [colour_of[v] if pd.notna(v) else mcolors.to_rgba(NO_DATA_COLOUR) for v in unit_values]
    names = dict(names or region_names(language))
    cities = [c for c in CITIES if c in set(units["region_code"])]
    figure, main, insets = _layout(units, cities)
    _draw(units, main, insets, names, language)
    handles = [Patch(facecolor=colour_of[c], edgecolor="#888888", label=labels[c]) for c in labels]
    if unit_values.isna().any():
        handles.append(Patch(facecolor=NO_DATA_COLOUR, label=_caption("no_data", language)))
    figure.legend(handles=handles, title=legend_title or None, loc="upper left", bbox_to_anchor=(0.78, 0.85),
                  frameon=False, fontsize=8)
    rendered = RenderedMap(figure, main, insets, units, [h.get_label() for h in handles])
    return _finish(rendered, _title(title, language), year, _vintage_note(year, units, language), language,
                   attribution)


def save_png(rendered: RenderedMap, path: str | Path, dpi: int = 150) -> Path:
    """Write the PNG at a fixed size (no tight bounding box, so the axes keep
    the positions :class:`RenderedMap` reports) and close the figure."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_png(rendered.figure, path, dpi=dpi, facecolor="white")
    plt.close(rendered.figure)
    return path


def _feature_collection(units: gpd.GeoDataFrame, names: Mapping[str, str]) -> dict:
    """WGS 84 features with ``id`` = КАТО code; exterior rings clockwise, as
    plotly's d3-geo wants them (the other winding fills the rest of the globe)."""
    features = []
    for row in units.to_crs("EPSG:4326").itertuples():
        geometry = shapely.transform(shapely.geometry.polygon.orient(row.geometry, -1.0)
                                     if row.geometry.geom_type == "Polygon"
                                     else shapely.MultiPolygon([shapely.geometry.polygon.orient(p, -1.0)
                                                                for p in row.geometry.geoms]),
                                     lambda xy: xy.round(4))
        features.append({"type": "Feature", "id": row.region_code,
                         "properties": {"name": names.get(row.region_code, row.region_code)},
                         "geometry": _geometry_mapping(geometry)})
    return {"type": "FeatureCollection", "features": features}


def _geometry_mapping(geometry: shapely.Polygon | shapely.MultiPolygon) -> dict:
    """GeoJSON of a (multi)polygon as ``shapely.geometry.mapping`` writes it, each
    ring an (n, 2) array instead of n coordinate tuples: the same JSON, but plotly
    copies the trace twice (when it is added and when the figure is written) and
    a copy of an array is one step where a copy of 150 000 tuples was as many."""
    def rings(polygon: shapely.Polygon) -> list[np.ndarray]:
        return [np.asarray(polygon.exterior.coords), *(np.asarray(ring.coords) for ring in polygon.interiors)]
    if geometry.geom_type == "Polygon":
        return {"type": "Polygon", "coordinates": rings(geometry)}
    return {"type": "MultiPolygon", "coordinates": [rings(polygon) for polygon in geometry.geoms]}


def choropleth_html(
    values: pd.Series | Mapping | pd.DataFrame, boundaries: pd.DataFrame, *, year: int, language: str,
    title: str | Mapping[str, str], path: str | Path | None = None, categories: Mapping | Sequence | None = None,
    legend_title: str = "", colorscale: str = "Viridis", names: Mapping[str, str] | None = None,
    attribution: str = ATTRIBUTION,
) -> go.Figure:
    """The interactive map: numeric (a colour scale) or, with ``categories``,
    one legend entry per category. Every unit is one GeoJSON feature in exactly
    one trace (units without a value in a grey "no data" trace); the cities are
    also marked with a point, since at national zoom their polygons are specks.
    With ``path`` the HTML is written self-contained (plotly.js inlined)."""
    series = _as_series(values)
    names = dict(names or region_names(language))
    units = _prepare(boundaries, year)
    collection = _feature_collection(units, names)
    by_code = {f["id"]: f for f in collection["features"]}
    has_value = [code for code in by_code if code in series.index and pd.notna(series[code])]
    missing = [code for code in by_code if code not in has_value]

    def trace(codes, **kwargs):
        subset = {"type": "FeatureCollection", "features": [by_code[c] for c in codes]}
        return go.Choropleth(geojson=subset, locations=codes, featureidkey="id", text=[names.get(c, c) for c in codes],
                             marker_line_color="white", marker_line_width=0.5, **kwargs)

    figure = go.Figure()
    if categories is None:
        numbers = pd.to_numeric(series[has_value], errors="raise")
        figure.add_trace(trace(has_value, z=numbers.to_list(), colorscale=colorscale,
                               colorbar_title=legend_title, hovertemplate="%{text}: %{z}<extra></extra>"))
    else:
        labels = dict(categories) if isinstance(categories, Mapping) else {c: str(c) for c in categories}
        palette = STAR_COLOURS if set(labels) <= set(range(4)) and len(labels) == 4 else [
            mcolors.to_hex(plt.cm.tab20(i % 20)) for i in range(len(labels))]
        for i, (category, label) in enumerate(labels.items()):
            codes = [c for c in has_value if series[c] == category]
            if codes:
                figure.add_trace(trace(codes, z=[i] * len(codes), colorscale=[[0, palette[i]], [1, palette[i]]],
                                       showscale=False, showlegend=True, name=str(label),
                                       hovertemplate=f"%{{text}}: {label}<extra></extra>"))
    if missing:
        no_data = _caption("no_data", language)
        figure.add_trace(trace(missing, z=[0] * len(missing), colorscale=[[0, NO_DATA_COLOUR], [1, NO_DATA_COLOUR]],
                               showscale=False, showlegend=True, name=no_data,
                               hovertemplate=f"%{{text}}: {no_data}<extra></extra>"))
    cities = units[units["region_code"].isin(CITIES)].to_crs("EPSG:4326")
    centres = cities.geometry.representative_point()
    figure.add_trace(go.Scattergeo(lon=centres.x, lat=centres.y, mode="markers", showlegend=False,
                                   text=[names.get(c, c) for c in cities["region_code"]], hoverinfo="text",
                                   marker={"size": 8, "color": "rgba(0,0,0,0)", "line": {"color": "#222", "width": 1}}))
    figure.update_geos(fitbounds="locations", visible=False, projection_type="conic equal area",
                       projection_parallels=[43, 53], projection_rotation_lon=68)
    note = _vintage_note(year, units, language)
    lines = [attribution] + ([PRE_2018_NOTE[language]] if year < 2018 else [])
    figure.update_layout(
        title={"text": f"{_title(title, language)}<br><sup>{note}</sup>", "x": 0.01},
        margin={"l": 10, "r": 10, "t": 70, "b": 60}, legend={"title": legend_title or None},
        annotations=[{"text": "<br>".join(lines), "showarrow": False, "xref": "paper", "yref": "paper",
                      "x": 0, "y": -0.08, "xanchor": "left", "font": {"size": 9, "color": "#555"}}],
    )
    if path is not None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        figure.write_html(str(path), include_plotlyjs=True, full_html=True)
    return figure


REFERENCE_TITLE = {"en": "Area of the КАТО units, km²", "ru": "Площадь единиц КАТО, км²",
                   "kk": "ҚАТО бірліктерінің аумағы, км²"}
REFERENCE_ATTRIBUTION = ("Boundaries: Rodionov, A. (2024). geokz 1.0.2, CC BY 4.0. Areas computed from the "
                         "boundaries (Albers equal-area projection).")


def write_reference_maps(connection, folder: Path, language: str) -> list[Path]:
    """Area maps of both vintages (PNG + HTML) from ``marts.dim_region_geometry``:
    a check by eye that every unit is drawn, and a template for the report's maps.
    The values are our computation from the boundaries, so BNS is not credited."""
    boundaries = connection.execute(
        "select vintage, region_code, geometry_wkt, area_km2 from marts.dim_region_geometry").df()
    names = {code: name for code, name in connection.execute(
        f"select distinct region_code, name_{language} from marts.dim_region_geometry").fetchall()}
    written = []
    for vintage, year in ((2018, 2021), (2024, 2024)):
        areas = boundaries[boundaries["vintage"] == vintage].set_index("region_code")["area_km2"]
        common = {"year": year, "language": language, "title": REFERENCE_TITLE, "names": names,
                  "legend_title": "km²", "attribution": REFERENCE_ATTRIBUTION}
        png = folder / f"kato_units_area_{vintage}_{language}.png"
        written.append(save_png(render_choropleth(areas, boundaries, cmap="YlGnBu", **common), png))
        html = folder / f"kato_units_area_{vintage}_{language}.html"
        choropleth_html(areas, boundaries, path=html, colorscale="YlGnBu", **common)
        written.append(html)
    return written
