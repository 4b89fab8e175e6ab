"""Cluster templates as heatmaps of their component loadings: Kazakhstan's as
seed 003 Table 2 publishes them (20 industries x 7 components), then the
templates computed here from other economies' input-output tables. Members
(|loading| >= dbt var ``template_loading_cutoff``) are printed in bold."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display: PNGs are written during a refresh
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dagster_project.reports.captions import Captions
from dagster_project.reports.dbt_vars import dbt_var
from dagster_project.reports.sections.base import (
    NO_ROWS,
    Section,
    draw_row_labels,
    esc,
    figure_html,
    fixed,
    wrap_text,
    write_png,
)
from dagster_project.reports.warehouse_tables import WarehouseTables, pick_label

PUBLISHED = "marts.fct_published_indicators"
TEMPLATES = "marts.fct_cluster_templates"
CLUSTERS = "marts.dim_cluster"

KZ_SQL = """
select entity_code, value_column, published_value, label_kk, label_ru, label_en, _source_row
from marts.fct_published_indicators
where table_id = 's003_t2'
order by _source_row, value_column
"""

NAMES_SQL = """
select table_id, template_number, name_kk, name_ru, name_en
from marts.dim_cluster
"""

COMPUTED_SQL = """
select economy_code, table_id, year, template_number, industry_code, industry_label, loading,
       abs_loading, role
from marts.fct_cluster_templates
where template_source = 'computed'
"""


def _template_names(tables: WarehouseTables, captions: Captions) -> dict[tuple[str, int], str]:
    names = tables.frame(NAMES_SQL, [CLUSTERS])
    names["name"], _ = pick_label(names, "name", captions.language)
    return {(t, int(n)): name for t, n, name in zip(names["table_id"], names["template_number"],
                                                     names["name"])}


def _column_label(captions: Captions, names: dict, table_id: str, number: int) -> str:
    component = captions("component", n=number)
    name = names.get((table_id, number))
    return f"{component}: {name}" if name else component


def _heatmap(matrix: pd.DataFrame, row_labels: list[str], column_labels: list[str],
             cutoff: float, captions: Captions) -> go.Figure:
    """The heading above the chart carries its title (economy and source)."""
    values = matrix.to_numpy(dtype=float)
    text = [[("" if np.isnan(v) else (f"<b>{fixed(v, captions.language, 2)}</b>"
                                      if abs(v) >= cutoff else fixed(v, captions.language, 2)))
             for v in row] for row in values]
    figure = go.Figure(go.Heatmap(
        z=values, x=column_labels, y=row_labels, zmin=-1, zmax=1, zmid=0, colorscale="RdBu_r",
        text=text, texttemplate="%{text}", textfont={"size": 9},
        colorbar={"title": {"text": captions("loading")}},
        hovertemplate="%{y}<br>%{x}<br>%{z:.3f}<extra></extra>",
    ))
    figure.update_layout(
        height=max(420, 24 * len(row_labels) + 220), margin={"t": 30},
        yaxis={"autorange": "reversed", "automargin": True, "tickfont": {"size": 10}},
        xaxis={"side": "top", "tickangle": -30, "automargin": True, "tickfont": {"size": 10}},
    )
    return figure


def _heatmap_png(matrix: pd.DataFrame, row_labels: list[str], column_labels: list[str],
                 cutoff: float, title: str, captions: Captions, path: Path) -> Path:
    values = matrix.to_numpy(dtype=float)
    width = max(9.0, 0.55 * len(column_labels) + 6.5)
    height = 0.26 * len(row_labels) + 2.8
    plot, axis = plt.subplots(figsize=(width, height))
    # Fixed margins (inches) instead of tight_layout: measuring thousands of
    # texts costs seconds per chart and the labels are cut to a known length.
    plot.subplots_adjust(left=3.9 / width, right=1 - 1.3 / width, top=1 - 1.9 / height,
                         bottom=0.3 / height)
    image = axis.imshow(values, cmap="RdBu_r", vmin=-1, vmax=1, aspect="auto")
    # Small matrices print every loading; large ones only the members, which
    # are what a reader looks for and keep the chart legible.
    every_cell = values.size <= 300
    for (i, j), v in np.ndenumerate(values):
        if not np.isnan(v) and (every_cell or abs(v) >= cutoff):
            axis.text(j, i, fixed(v, captions.language, 2), ha="center", va="center", fontsize=6,
                      fontweight="bold" if abs(v) >= cutoff else "normal")
    draw_row_labels(axis, [label[:55] for label in row_labels], fontsize=7)
    axis.set_xticks(range(len(column_labels)), [label[:38] for label in column_labels],
                    fontsize=7, rotation=35, ha="left")
    axis.xaxis.tick_top()
    plot.colorbar(image, ax=axis, label=captions("loading"), shrink=0.6, pad=0.02)
    plot.suptitle(wrap_text(title, int(width * 12)), fontsize=9)
    write_png(plot, path)
    plt.close(plot)
    return path


def _kazakhstan(tables: WarehouseTables, captions: Captions, section: Section, cutoff: float,
                names: dict, png_dir: Path) -> None:
    rows = tables.frame(KZ_SQL, [PUBLISHED])
    if rows.empty:
        section.parts.append(f"<p class=\"unavailable\">{esc(captions('no_rows', tables=PUBLISHED))}</p>")
        return
    rows["label"], rows["fell_back"] = pick_label(rows, "label", captions.language,
                                                  fallback="entity_code")
    industries = rows.drop_duplicates("entity_code")  # printed order (by source row)
    section.fallback_labels += int(industries["fell_back"].sum())
    matrix = rows.pivot(index="entity_code", columns="value_column", values="published_value")
    matrix = matrix.loc[industries["entity_code"], sorted(matrix.columns, key=lambda c: int(c[2:]))]
    columns = [_column_label(captions, names, "s003_t2", int(c[2:])) for c in matrix.columns]
    title = captions("loadings_kz_title")
    section.parts.append(f"<h3>{esc(title)}</h3>")
    section.parts.append(figure_html(
        _heatmap(matrix, list(industries["label"]), columns, cutoff, captions),
        "loadings_kz_s003_t2", captions.language))
    section.pngs.append(_heatmap_png(matrix, list(industries["label"]), columns, cutoff, title,
                                     captions, png_dir / "loadings_kz_s003_t2_published.png"))


def _computed(tables: WarehouseTables, captions: Captions, section: Section, cutoff: float,
              names: dict, png_dir: Path) -> None:
    loadings = tables.frame(COMPUTED_SQL, [TEMPLATES])
    if loadings.empty:
        section.parts.append(f"<p class=\"unavailable\">{esc(captions('no_rows', tables=TEMPLATES))}</p>")
        return
    if captions.language != "en":
        # The input-output tables label their industries in the publisher's English only.
        section.fallback_labels += loadings.drop_duplicates(["table_id", "industry_code"]).shape[0]
    section.parts.append(f"<h3>{esc(captions('loadings_computed_heading'))}</h3>")
    for (economy, table_id, year), rows in loadings.groupby(["economy_code", "table_id", "year"],
                                                            sort=True):
        # Industries grouped by their primary template, strongest member first.
        primary = rows[rows["role"] == "primary"][["industry_code", "template_number",
                                                   "abs_loading"]]
        order = primary.sort_values(["template_number", "abs_loading"],
                                    ascending=[True, False])["industry_code"].tolist()
        order += sorted(set(rows["industry_code"]) - set(order))
        matrix = rows.pivot(index="industry_code", columns="template_number", values="loading")
        matrix = matrix.loc[order, sorted(matrix.columns)]
        labels_by_code = rows.drop_duplicates("industry_code").set_index("industry_code")[
            "industry_label"].fillna("")
        row_labels = [f"{labels_by_code.get(code) or code} ({code})" for code in order]
        columns = [_column_label(captions, names, table_id, int(n)) for n in matrix.columns]
        title = captions("loadings_table_title", economy=captions.economy(economy),
                         year=int(year), n=len(order))
        figure = _heatmap(matrix, row_labels, columns, cutoff, captions)
        section.parts.append(
            f"<details class=\"computed-templates\"><summary>{esc(title)}</summary>"
            + figure_html(figure, f"loadings_{table_id}", captions.language) + "</details>"
        )
        section.pngs.append(_heatmap_png(matrix, row_labels, columns, cutoff, title, captions,
                                         png_dir / f"loadings_{table_id}.png"))


def build(tables: WarehouseTables, captions: Captions, png_dir: Path) -> Section:
    cutoff = dbt_var("template_loading_cutoff")
    section = Section("template_loadings", captions("loadings_title"),
                      captions("loadings_intro", cutoff=fixed(cutoff, captions.language, 2)))
    names = _template_names(tables, captions)
    for part in (_kazakhstan, _computed):
        part(tables, captions, section, cutoff, names, png_dir)
    if not section.pngs:
        section.status = NO_ROWS
    return section
