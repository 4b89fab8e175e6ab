"""Multipliers as bar charts: first Kazakhstan's, exactly as seed 003 Table 3
publishes them for East Kazakhstan oblast (not computed here), then the output
multipliers computed from every input-output table of another economy, each
chart named with its economy and year."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display: PNGs are written during a refresh
import matplotlib.pyplot as plt
import pandas as pd
import plotly.graph_objects as go

from dagster_project.reports.captions import Captions
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
MULTIPLIERS = "marts.fct_multipliers"
IO_TABLES = "marts.dim_io_table"
IO_INDUSTRIES = "marts.dim_io_industry"

PUBLISHED_TYPES = ("output_multiplier", "value_added_multiplier", "household_income_multiplier")
TOP_N = 20  # industries per table: the largest output multipliers; the mart has them all

KZ_SQL = """
select entity_code, value_column, published_value, label_kk, label_ru, label_en, _source_row
from marts.fct_published_indicators
where table_id = 's003_t3' and published_value is not null
order by _source_row, value_column
"""

COMPUTED_SQL = """
select economy_code, table_id, year, industry_code, model_type, multiplier
from marts.fct_multipliers
where measure = 'output' and multiplier is not null
"""

IO_TABLES_SQL = "select table_id, n_industries, flow_basis from marts.dim_io_table"
IO_LABELS_SQL = "select table_id, industry_code, industry_label from marts.dim_io_industry"
COLOURS = {"output_multiplier": "#1f5f8b", "value_added_multiplier": "#6aa84f",
           "household_income_multiplier": "#e69138", "type_1": "#1f5f8b", "type_2": "#e69138"}


def _kazakhstan(tables: WarehouseTables, captions: Captions, section: Section,
                png_dir: Path) -> None:
    rows = tables.frame(KZ_SQL, [PUBLISHED])
    if rows.empty:
        section.parts.append(f"<p class=\"unavailable\">{esc(captions('no_rows', tables=PUBLISHED))}</p>")
        return
    rows["label"], rows["fell_back"] = pick_label(rows, "label", captions.language,
                                                  fallback="entity_code")
    industries = rows.drop_duplicates("entity_code")
    section.fallback_labels += int(industries["fell_back"].sum())
    title = captions("multipliers_kz_title")
    figure = go.Figure()
    for kind in PUBLISHED_TYPES:
        part = rows[rows["value_column"] == kind]
        figure.add_trace(go.Bar(x=[wrap_text(label, 26, "<br>") for label in part["label"]],
                                y=part["published_value"], name=captions(kind),
                                marker_color=COLOURS[kind], text=part["published_value"],
                                texttemplate="%{y:.3f}", textposition="outside"))
    # The heading above the chart carries its title (economy and source).
    figure.update_layout(barmode="group", yaxis={"title": captions("multiplier_axis")},
                         xaxis={"tickangle": 0, "automargin": True}, height=520,
                         margin={"t": 60}, legend={"orientation": "h", "y": 1.12})
    section.parts.append(f"<h3>{esc(title)}</h3>")
    section.parts.append(figure_html(figure, "multipliers_kz_s003_t3", captions.language))

    plot, axis = plt.subplots(figsize=(11, 5.5))
    width = 0.8 / len(PUBLISHED_TYPES)
    labels = list(industries["label"])
    for k, kind in enumerate(PUBLISHED_TYPES):
        part = rows[rows["value_column"] == kind].set_index("entity_code")
        heights = [part["published_value"].get(code) for code in industries["entity_code"]]
        positions = [i + (k - 1) * width for i in range(len(labels))]
        bars = axis.bar(positions, heights, width, label=captions(kind), color=COLOURS[kind])
        axis.bar_label(bars, labels=[fixed(h, captions.language, 3) if h is not None else ""
                                     for h in heights],
                       fontsize=7)
    axis.set_xticks(range(len(labels)), [wrap_text(label, 28) for label in labels], fontsize=8)
    axis.set_ylabel(captions("multiplier_axis"))
    axis.set_title(wrap_text(title, 110), fontsize=10, y=1.0)  # see _computed_png
    axis.legend(fontsize=8)
    plot.tight_layout()
    path = png_dir / "multipliers_kz_s003_t3_published.png"
    write_png(plot, path)
    plt.close(plot)
    section.pngs.append(path)


def _computed(tables: WarehouseTables, captions: Captions, section: Section,
              png_dir: Path) -> None:
    multipliers = tables.frame(COMPUTED_SQL, [MULTIPLIERS])
    if multipliers.empty:
        section.parts.append(f"<p class=\"unavailable\">{esc(captions('no_rows', tables=MULTIPLIERS))}</p>")
        return
    wide = multipliers.pivot_table(index=["economy_code", "table_id", "year", "industry_code"],
                                   columns="model_type", values="multiplier").reset_index()
    wide = wide.merge(tables.frame(IO_LABELS_SQL, [IO_INDUSTRIES]), on=["table_id", "industry_code"],
                      how="left")
    wide["industry_label"] = wide["industry_label"].fillna(wide["industry_code"])
    # The tables' industry labels exist in their publisher's English only.
    if captions.language != "en":
        section.fallback_labels += len(wide)
    meta = tables.frame(IO_TABLES_SQL, [IO_TABLES]).set_index("table_id")

    section.parts.append(f"<h3>{esc(captions('multipliers_computed_heading'))}</h3>")
    sizes = wide.groupby("table_id").size()
    # Coarse tables first: their few industries read at a glance.
    wide = wide.assign(_size=wide["table_id"].map(sizes)).sort_values(["_size", "table_id"])
    figure = go.Figure()
    owners: list[str] = []  # the table of every trace, in order
    menu: list[tuple[str, str, str]] = []  # (table_id, button label, title)
    for i, ((_, economy, table_id, year), rows) in enumerate(
            wide.groupby(["_size", "economy_code", "table_id", "year"], sort=True)):
        total = len(rows)
        top = rows.sort_values("type_1", ascending=False).head(TOP_N).iloc[::-1]
        basis = meta["flow_basis"].get(table_id)
        title = captions(
            "multipliers_table_title", economy=captions.economy(economy), year=int(year),
            n=int(meta["n_industries"].get(table_id, total)),
            basis=captions(f"flow_basis_{basis}") if basis in ("domestic", "total") else "?",
        )
        if total > TOP_N:
            title = f"{title} — {captions('multipliers_top_note', n=TOP_N, total=total)}"
        names = [f"{label[:60]} ({code})" for label, code in zip(top["industry_label"],
                                                                   top["industry_code"])]
        types = [t for t in ("type_1", "type_2") if t in top and top[t].notna().any()]
        for kind in types:
            owners.append(table_id)
            figure.add_trace(go.Bar(y=names, x=top[kind], orientation="h", name=captions(kind),
                                    marker_color=COLOURS[kind], visible=i == 0,
                                    hovertemplate="%{y}: %{x:.3f}<extra></extra>"))
        menu.append((table_id, f"{captions.economy(economy)} {int(year)} ({table_id})", title))
        section.pngs.append(_computed_png(top, names, types, captions, title,
                                          png_dir / f"multipliers_{table_id}.png"))
    buttons = [
        {"label": label, "method": "update",
         "args": [{"visible": [owner == table_id for owner in owners]}, {"title.text": title}]}
        for table_id, label, title in menu
    ]
    figure.update_layout(
        title={"text": menu[0][2], "font": {"size": 13}, "y": 0.985, "yanchor": "top"},
        barmode="group", height=720, margin={"t": 130, "l": 20},
        xaxis={"title": captions("output_multiplier")},
        yaxis={"automargin": True, "tickfont": {"size": 10}},
        legend={"orientation": "h", "y": -0.08},
        updatemenus=[{"buttons": buttons, "direction": "down", "x": 0.0, "xanchor": "left",
                      "y": 1.16, "yanchor": "top"}],
    )
    section.parts.append(figure_html(figure, "multipliers_computed", captions.language))


def _computed_png(top: pd.DataFrame, names: list[str], types: list[str], captions: Captions,
                  title: str, path: Path) -> Path:
    plot, axis = plt.subplots(figsize=(11, 0.32 * len(top) + 1.8))
    height = 0.8 / len(types)
    for k, kind in enumerate(types):
        positions = [i + (k - (len(types) - 1) / 2) * height for i in range(len(top))]
        axis.barh(positions, top[kind], height, label=captions(kind), color=COLOURS[kind])
    draw_row_labels(axis, names, fontsize=7)
    axis.set_xlabel(captions("output_multiplier"), fontsize=8)
    # y given: with the ticks below, matplotlib's automatic placement (which
    # measures every tick label, for the layout and again for the PNG) finds 1.0.
    axis.set_title(wrap_text(title, 120), fontsize=9, y=1.0)
    axis.legend(fontsize=7, loc="lower right")
    plot.tight_layout()
    write_png(plot, path)
    plt.close(plot)
    return path


def build(tables: WarehouseTables, captions: Captions, png_dir: Path) -> Section:
    section = Section("multipliers", captions("multipliers_title"), captions("multipliers_intro"))
    for part in (_kazakhstan, _computed):
        part(tables, captions, section, png_dir)
    if not section.pngs:
        section.status = NO_ROWS
    return section
