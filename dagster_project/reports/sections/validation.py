"""Validation of the published tables (BNS releases and seed tables): every failed check instance with
the figure as published, the expected value, the deviation and any
suggested correction (``quality.check_results``), labelled from the marts."""

from __future__ import annotations

import pandas as pd

from dagster_project.reports.captions import Captions
from dagster_project.reports.sections.base import Section, esc, label_html, no_rows, number
from dagster_project.reports.warehouse_tables import WarehouseTables, pick_label

CHECK_RESULTS = "quality.check_results"
PUBLISHED = "marts.fct_published_indicators"

SUMMARY_SQL = """
select table_id, count(*) as checks_run, count(*) filter (where not passed) as checks_failed
from quality.check_results
group by table_id
order by table_id
"""

FAILED_SQL = """
select table_id, check_name, indicator, year, value_column, observed, expected, deviation, tolerance,
       severity, suggested_cell, suggested_value, reason
from quality.check_results
where not passed
order by table_id, check_name, indicator, year, value_column
"""

# One label per row code of a seed table (the mart repeats it per printed column).
LABELS_SQL = """
select distinct table_id, entity_code, label_kk, label_ru, label_en
from marts.fct_published_indicators
"""


def _labels(tables: WarehouseTables, language: str) -> dict[tuple[str, str], tuple[str, bool]]:
    frame = tables.frame(LABELS_SQL, [PUBLISHED])
    label, fell_back = pick_label(frame, "label", language, fallback="entity_code")
    return {
        (t, c): (lab, fb)
        for t, c, lab, fb in zip(frame["table_id"], frame["entity_code"], label, fell_back)
    }


def build(tables: WarehouseTables, captions: Captions) -> Section:
    language = captions.language
    section = Section("validation", captions("validation_title"), captions("validation_intro"))
    summary = tables.frame(SUMMARY_SQL, [CHECK_RESULTS])
    if summary.empty:
        return no_rows(section, captions, [CHECK_RESULTS])
    failed = tables.frame(FAILED_SQL, [CHECK_RESULTS])
    labels = _labels(tables, language)

    def row_label(table_id: str, code: str | None) -> str:
        if code is None or pd.isna(code):
            return ""
        text, fell_back = labels.get((table_id, code), (code, False))
        section.fallback_labels += int(fell_back)
        return label_html(text, fell_back)

    section.parts.append(
        "<p class=\"summary\">"
        + esc(captions("validation_summary", tables=len(summary),
                       instances=int(summary["checks_run"].sum()),
                       failed=int(summary["checks_failed"].sum())))
        + "</p>"
    )
    summary_rows = "".join(
        f"<tr><td>{esc(captions.seed_table(r.table_id))}</td>"
        f"<td class=\"num\">{r.checks_run}</td>"
        f"<td class=\"num{' failed' if r.checks_failed else ''}\">{r.checks_failed}</td></tr>"
        for r in summary.itertuples()
    )
    section.parts.append(
        "<table class=\"summary-table\"><thead><tr>"
        f"<th>{esc(captions('col_table'))}</th><th>{esc(captions('col_checks_run'))}</th>"
        f"<th>{esc(captions('col_checks_failed'))}</th></tr></thead>"
        f"<tbody>{summary_rows}</tbody></table>"
    )
    if failed.empty:
        section.parts.append(f"<p>{esc(captions('validation_all_passed'))}</p>")
        return section

    headers = ["col_table", "col_indicator", "col_column", "col_check", "col_published",
               "col_expected", "col_deviation", "col_tolerance", "col_suggested", "col_severity",
               "col_reason"]
    body = []
    for r in failed.itertuples():
        suggested = ""
        if isinstance(r.suggested_cell, str) and "!" in r.suggested_cell:
            # a BNS release's cell, 'sheet!B12' (or 'release:sheet!B12'): named as printed
            suggested = f"{esc(r.suggested_cell)} = {number(r.suggested_value, language)}"
        elif isinstance(r.suggested_cell, str) and ":" in r.suggested_cell:
            code, column = r.suggested_cell.split(":", 1)
            suggested = (f"{row_label(r.table_id, code)}, {esc(captions.value_column(column))}"
                         f" = {number(r.suggested_value, language)}")
        body.append(
            "<tr class=\"failed-check\" "
            f"data-table=\"{esc(r.table_id)}\" data-check=\"{esc(r.check_name)}\" "
            f"data-indicator=\"{esc(r.indicator)}\" data-year=\"{esc(r.year)}\" "
            f"data-column=\"{esc(r.value_column)}\">"
            f"<td>{esc(r.table_id)}</td>"
            f"<td>{row_label(r.table_id, r.indicator)}</td>"
            f"<td>{esc(captions.value_column(r.value_column))}</td>"
            f"<td title=\"{esc(r.check_name)}\">{esc(captions.check(r.check_name))}</td>"
            f"<td class=\"num\">{number(r.observed, language)}</td>"
            f"<td class=\"num\">{number(r.expected, language)}</td>"
            f"<td class=\"num\">{number(r.deviation, language, 4)}</td>"
            f"<td class=\"num\">{number(r.tolerance, language, 3)}</td>"
            f"<td>{suggested}</td>"
            f"<td>{esc(captions.severity(r.severity))}</td>"
            f"<td class=\"reason\">{esc(r.reason)}</td></tr>"
        )
    section.parts.append(
        "<table class=\"validation\" id=\"failed-checks\"><thead><tr>"
        + "".join(f"<th>{esc(captions(h))}</th>" for h in headers)
        + "</tr></thead><tbody>" + "".join(body) + "</tbody></table>"
    )
    return section
