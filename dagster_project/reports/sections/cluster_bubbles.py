"""The classic cluster bubble chart, per region of every regional panel:
employment growth across, location quotient up, bubble area = employment.

Reference lines: LQ = 1 (the economy's average), the specialisation threshold
(dbt var ``lq_specialised_threshold``) and the economy's own employment growth,
so the quadrants read as in the cluster-mapping literature (top right: a
specialisation that is growing)."""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display: PNGs are written during a refresh
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import plotly.colors
import plotly.graph_objects as go
from matplotlib.axes import Axes
from matplotlib.ticker import NullLocator

from dagster_project.reports.captions import Captions
from dagster_project.reports.dbt_vars import dbt_var
from dagster_project.reports.sections.base import (
    Section,
    draw_ticks,
    esc,
    figure_html,
    fixed,
    no_rows,
    slug,
    write_png,
)
from dagster_project.reports.warehouse_tables import WarehouseTables, pick_label

GROWTH = "marts.fct_regional_growth"
LOCATION_QUOTIENTS = "marts.fct_location_quotients"
REGIONS = "marts.dim_region"
INDUSTRIES = "marts.dim_industry"

# Only industries of the partition (an "of which" line such as manufacturing
# inside B-E would be counted twice), with a defined LQ and growth.
POINTS_SQL = """
select g.economy_code, g.classification, g.region_code, g.industry_code, g.unit,
       g.base_year, g.end_year, g.value_end as employment, g.cagr, g.economy_cagr, q.lq
from marts.fct_regional_growth as g
join marts.fct_location_quotients as q
    on q.economy_code = g.economy_code
    and q.classification = g.classification
    and q.measure = g.measure
    and q.region_code = g.region_code
    and q.industry_code = g.industry_code
    and q.year = g.end_year
where g.measure = 'employment' and g.in_partition
    and g.cagr is not null and q.lq is not null and g.value_end > 0
order by g.economy_code, g.classification, g.region_code, g.industry_code
"""

REGION_NAMES_SQL = """
select distinct economy_code, region_code, name_kk, name_ru, name_en from marts.dim_region
"""

INDUSTRY_LABELS_SQL = """
select economy_code, classification, industry_code, label_kk, label_ru, label_en
from marts.dim_industry
"""

PALETTE = plotly.colors.qualitative.Dark24
MAX_BUBBLE_PX = 46  # diameter of the panel's largest employment


def _points(tables: WarehouseTables, language: str) -> tuple[pd.DataFrame, int]:
    points = tables.frame(POINTS_SQL, [GROWTH, LOCATION_QUOTIENTS])
    fallbacks = 0
    names = tables.frame(REGION_NAMES_SQL, [REGIONS])
    names["region_name"], names["region_fallback"] = pick_label(
        names, "name", language, fallback="region_code")
    points = points.merge(names[["economy_code", "region_code", "region_name", "region_fallback"]],
                          on=["economy_code", "region_code"], how="left")
    points["region_name"] = points["region_name"].fillna(points["region_code"])
    labels = tables.frame(INDUSTRY_LABELS_SQL, [INDUSTRIES])
    labels["industry_name"], labels["industry_fallback"] = pick_label(
        labels, "label", language, fallback="industry_code")
    points = points.merge(labels[["economy_code", "classification", "industry_code",
                                  "industry_name", "industry_fallback"]],
                          on=["economy_code", "classification", "industry_code"], how="left")
    points["industry_name"] = points["industry_name"].fillna(points["industry_code"])
    points["region_fallback"] = points["region_fallback"].fillna(False).astype(bool)
    points["industry_fallback"] = points["industry_fallback"].fillna(False).astype(bool)
    fallbacks += int(points.drop_duplicates(["economy_code", "region_code"])["region_fallback"].sum())
    fallbacks += int(points.drop_duplicates(["economy_code", "classification", "industry_code"])
                     ["industry_fallback"].sum())
    points["growth_pct"] = points["cagr"] * 100.0
    points["economy_growth_pct"] = points["economy_cagr"] * 100.0
    return points, fallbacks


def _panel_ranges(panel: pd.DataFrame, threshold: float) -> tuple[list[float], list[float]]:
    x = pd.concat([panel["growth_pct"], panel["economy_growth_pct"]])
    pad = max((x.max() - x.min()) * 0.08, 0.5)
    y_top = max(panel["lq"].max(), threshold) * 1.1
    return [x.min() - pad, x.max() + pad], [0.0, y_top]


def _by_region(panel: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The panel's rows of each region, in the panel's order (one grouping, not
    a filter of the whole panel per region)."""
    return {code: rows for code, rows in panel.groupby("region_code", sort=False)}


def _panel_figure(panel: pd.DataFrame, captions: Captions, threshold: float, titles: dict,
                  colours: dict) -> go.Figure:
    regions = panel.drop_duplicates("region_code").sort_values("region_name")
    x_range, y_range = _panel_ranges(panel, threshold)
    size_ref = 2.0 * panel["employment"].max() / MAX_BUBBLE_PX**2
    # Traces as plain dicts, validated once when the figure is made (a
    # go.Scatter per point, then add_trace, validated and copied each twice).
    traces = []
    owners = []
    by_region = _by_region(panel)
    for i, region in enumerate(regions.itertuples()):
        rows = by_region[region.region_code]
        for code, name, growth, lq, employment, unit in zip(
                rows["industry_code"], rows["industry_name"], rows["growth_pct"], rows["lq"],
                rows["employment"], rows["unit"]):
            owners.append(region.region_code)
            traces.append(dict(
                type="scatter", x=[growth], y=[lq], mode="markers+text",
                text=[code], textposition="middle center",
                textfont={"size": 9},
                name=f"{code} — {name}",
                legendgroup=code,
                marker={"size": [employment], "sizemode": "area", "sizeref": size_ref,
                        "sizemin": 4, "color": colours[code], "opacity": 0.7,
                        "line": {"width": 1, "color": "#333"}},
                hovertemplate=(
                    f"<b>{esc(name)}</b><br>{esc(region.region_name)}<br>"
                    f"LQ = %{{y:.2f}}<br>{esc(captions('bubbles_x'))}: %{{x:.2f}}<br>"
                    f"{employment:,.1f} {esc(unit)}<extra></extra>"
                ),
                visible=i == 0,
            ))
    buttons = []
    for region in regions.itertuples():
        buttons.append({
            "label": region.region_name,
            "method": "update",
            "args": [{"visible": [owner == region.region_code for owner in owners]},
                     {"title.text": titles["panel"](region.region_name)}],
        })
    national = float(panel["economy_growth_pct"].iloc[0])
    first = regions.iloc[0]
    figure = go.Figure(data=traces)
    # Layout set after the template (go.Figure adds it first), so the figure's
    # JSON keeps the order it always had.
    figure.update_layout(
        title={"text": titles["panel"](first.region_name), "font": {"size": 14}, "y": 0.985,
               "yanchor": "top"},
        xaxis={"title": captions("bubbles_x"), "range": x_range, "zeroline": False},
        yaxis={"title": captions("bubbles_y", end=titles["end"]), "range": y_range},
        height=760, margin={"t": 120, "b": 40},
        legend={"title": {"text": captions("industry")}, "font": {"size": 10},
                "orientation": "h", "yanchor": "top", "y": -0.14, "x": 0},
        updatemenus=[{"buttons": buttons, "direction": "down", "x": 0.0, "xanchor": "left",
                      "y": 1.2, "yanchor": "top", "showactive": True}],
        shapes=[
            {"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": 1, "y1": 1,
             "line": {"color": "#777", "width": 1}},
            {"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": threshold, "y1": threshold,
             "line": {"color": "#b22", "width": 1, "dash": "dash"}},
            {"type": "line", "yref": "paper", "y0": 0, "y1": 1, "x0": national, "x1": national,
             "line": {"color": "#225", "width": 1, "dash": "dot"}},
        ],
        annotations=[
            {"x": 1, "y": 1, "xref": "paper", "yref": "paper", "xanchor": "right",
             "yanchor": "top", "text": captions("quadrant_star"), "showarrow": False,
             "font": {"color": "#555"}},
            {"x": 0, "y": 1, "xref": "paper", "yref": "paper", "xanchor": "left",
             "yanchor": "top", "text": captions("quadrant_mature"), "showarrow": False,
             "font": {"color": "#555"}},
            {"x": 1, "y": 0, "xref": "paper", "yref": "paper", "xanchor": "right",
             "yanchor": "bottom", "text": captions("quadrant_emerging"), "showarrow": False,
             "font": {"color": "#555"}},
            {"x": 0, "y": 0, "xref": "paper", "yref": "paper", "xanchor": "left",
             "yanchor": "bottom", "text": captions("quadrant_transforming"), "showarrow": False,
             "font": {"color": "#555"}},
            {"x": national, "y": 1, "yref": "paper", "yanchor": "bottom",
             "text": f"{captions('bubbles_national_growth')} {fixed(national, captions.language, 2)} %",
             "showarrow": False,
             "font": {"size": 10, "color": "#225"}},
            {"x": 1, "xref": "paper", "xanchor": "right", "y": threshold, "yanchor": "bottom",
             "text": captions("bubbles_threshold", threshold=fixed(threshold, captions.language, 2)),
             "showarrow": False,
             "font": {"size": 10, "color": "#b22"}},
            {"x": 1.0, "y": 1.2, "xref": "paper", "yref": "paper", "xanchor": "right",
             "yanchor": "top", "showarrow": False, "font": {"size": 11},
             "text": captions("bubbles_size", end=titles["end"], unit=panel["unit"].iloc[0])},
        ],
    )
    return figure

# Per axis: where its tick labels sit, as ``tick_params`` and rcParams name it.
_LABEL_SIDE = {"x": "labelbottom", "y": "labelleft"}


def _draw_ticks_once(grid: np.ndarray, panels: list[Axes]) -> None:
    """The ticks of a grid of panels sharing both axes, drawn as matplotlib draws
    them (same marks, labels, places and pixels), from one computation: the tick
    values and labels are the grid's own (its locator and formatter, once the
    layout is final), then every panel gets them through ``draw_ticks``, with the
    labels its place in the grid shows (``label_outer``), instead of a Tick object
    per tick and panel (a third of the chart's time). Call it last, before
    saving. Does nothing where the formatter needs an offset text."""
    first = grid.flat[0]
    rc = matplotlib.rcParams
    drawn = {}
    for name in _LABEL_SIDE:
        axis = first.xaxis if name == "x" else first.yaxis
        locs = axis.get_majorticklocs()
        labels = axis.get_major_formatter().format_ticks(locs)
        if axis.get_major_formatter().get_offset():
            return
        # Only the ticks within the view, with matplotlib's tolerance.
        low, high = sorted(axis.get_view_interval())
        tolerance = (high - low) * 1e-10
        drawn[name] = [(loc, label) for loc, label in zip(locs, labels)
                       if low - tolerance <= loc <= high + tolerance]
    for name, side in _LABEL_SIDE.items():
        for panel in panels:
            axis = panel.xaxis if name == "x" else panel.yaxis
            shown = axis.get_tick_params().get(side, rc[f"{name}tick.{side}"])
            draw_ticks(panel, name, drawn[name], rc[f"{name}tick.labelsize"], labels=shown)
    # The locators are shared by the grid: no panel makes Tick objects now.
    first.xaxis.set_major_locator(NullLocator())
    first.yaxis.set_major_locator(NullLocator())


def _panel_png(panel: pd.DataFrame, captions: Captions, threshold: float, titles: dict,
               colours: dict, path: Path) -> Path:
    # Tick labels sized once for every panel (their ticks are made at draw time).
    with plt.rc_context({"xtick.labelsize": 7, "ytick.labelsize": 7}):
        return _draw_panel_png(panel, captions, threshold, titles, colours, path)


def _draw_panel_png(panel: pd.DataFrame, captions: Captions, threshold: float, titles: dict,
                    colours: dict, path: Path) -> Path:
    regions = panel.drop_duplicates("region_code").sort_values("region_name")
    columns = 4
    rows = math.ceil(len(regions) / columns)
    figure, axes = plt.subplots(rows, columns, figsize=(16, 3.3 * rows + 1.6), sharex=True,
                                sharey=True, squeeze=False)
    x_range, y_range = _panel_ranges(panel, threshold)
    largest = panel["employment"].max()
    national = float(panel["economy_growth_pct"].iloc[0])
    # Shared axes: the limits are set once for every panel, and before any line
    # is drawn (else each reference line re-runs autoscaling over every panel).
    axes[0, 0].set_xlim(x_range)
    axes[0, 0].set_ylim(y_range)
    by_region = _by_region(panel)
    for axis, region in zip(axes.flat, regions.itertuples()):
        rows_ = by_region[region.region_code]
        axis.scatter(rows_["growth_pct"], rows_["lq"], s=rows_["employment"] / largest * 900 + 6,
                     c=[colours[c] for c in rows_["industry_code"]], alpha=0.7,
                     edgecolors="#333", linewidths=0.5)
        for growth, lq, code in zip(rows_["growth_pct"], rows_["lq"], rows_["industry_code"]):
            axis.text(growth, lq, code, fontsize=6, ha="center", va="center")
        axis.axhline(1.0, color="#777", linewidth=0.7)
        axis.axhline(threshold, color="#b22", linewidth=0.7, linestyle="--")
        axis.axvline(national, color="#225", linewidth=0.7, linestyle=":")
        # y given: no top ticks or labels to clear, so matplotlib's automatic
        # placement (which measures every tick label of the panel) would find 1.0.
        axis.set_title(region.region_name, fontsize=9, y=1.0,
                       fontstyle="italic" if region.region_fallback else "normal")
    for axis in list(axes.flat)[len(regions):]:
        axis.set_visible(False)
    industries = panel.drop_duplicates("industry_code").sort_values("industry_code")
    handles = [plt.Line2D([], [], marker="o", linestyle="", color=colours[r.industry_code],
                          label=f"{r.industry_code} — {r.industry_name}"[:70])
               for r in industries.itertuples()]
    figure.legend(handles=handles, loc="lower center", ncol=3, fontsize=7, frameon=False)
    figure.suptitle(titles["png"], fontsize=12)
    figure.supxlabel(captions("bubbles_x"), fontsize=9, y=1.15 / figure.get_figheight())
    figure.supylabel(captions("bubbles_y", end=titles["end"]), fontsize=9)
    # Fixed margins: tight_layout over dozens of panels costs seconds per chart.
    figure.subplots_adjust(left=0.06, right=0.99, top=1 - 0.9 / figure.get_figheight(),
                           bottom=1.5 / figure.get_figheight(), hspace=0.35, wspace=0.08)
    _draw_ticks_once(axes, list(axes.flat)[:len(regions)])
    write_png(figure, path)
    plt.close(figure)
    return path


def build(tables: WarehouseTables, captions: Captions, png_dir: Path) -> Section:
    section = Section("cluster_bubbles", captions("bubbles_title"), captions("bubbles_intro"))
    points, section.fallback_labels = _points(tables, captions.language)
    if points.empty:
        return no_rows(section, captions, [GROWTH, LOCATION_QUOTIENTS])
    threshold = dbt_var("lq_specialised_threshold")
    panels = points.groupby(["economy_code", "classification", "base_year", "end_year"],
                            sort=True)
    for (economy, classification, base, end), panel in panels:
        industries = sorted(panel["industry_code"].unique())
        colours = {code: PALETTE[i % len(PALETTE)] for i, code in enumerate(industries)}
        values = {"economy": captions.economy(economy), "classification": classification,
                  "base": int(base), "end": int(end)}
        titles = {
            "panel": lambda region, v=values: captions("bubbles_panel_title", region=region, **v),
            "png": captions("bubbles_png_title", **values),
            "end": int(end),
        }
        name = slug(f"bubbles_{economy}_{classification}_{base}_{end}")
        section.parts.append(f"<h3>{esc(titles['png'])}</h3>")
        section.parts.append(figure_html(
            _panel_figure(panel, captions, threshold, titles, colours), name, captions.language))
        section.pngs.append(_panel_png(panel, captions, threshold, titles, colours,
                                       png_dir / f"{name}.png"))
    return section
