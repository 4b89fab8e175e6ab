"""A deliberately simple BNS layout for testing ``klaster add-release`` before
(and independently of) the real readers: every number of the sheets named by
``entry.extra['sheets']`` is a fact (year = its row, region = its column),
every text cell a label, a formula's text quarantined. One check: figures are not negative."""

from __future__ import annotations

from dagster_project.ingestion.bns.release import OBSERVATION_COLUMNS as COLUMNS
from dagster_project.ingestion.bns.release import ReleaseCollector
from dagster_project.quality.checks import Instance
from dagster_project.quality.release_checks import ReleaseCheck

KEY_COLUMNS = ("release_id", "_source_sheet", "_source_cell")


def read(entry, workbook, context):
    collector = ReleaseCollector(entry, workbook, COLUMNS)
    for title in entry.extra["sheets"]:
        sheet = workbook.sheet(title)  # RawFileError when the file has no such sheet
        collector.read_sheet(sheet)
        for row, column, value in sheet.non_empty():
            if isinstance(value, (int, float)):
                collector.keep(sheet, row, column, measure="stub", year=row, period="year",
                               region_code=f"R{column}", activity_code="TOTAL", value=float(value))
            elif str(value).startswith("="):
                collector.quarantine(sheet, row, column, "a formula where a figure stands")
            else:
                collector.ignore(sheet, row, column, "label")
    return collector.result()


def _not_negative(facts, entry):
    return [
        Instance("not_negative", row["region_code"], str(row["year"]), None,
                 ((row["_source_sheet"], row["_source_cell"]),), float(row["value"]),
                 abs(float(row["value"])), 0.0, f"{row['_source_sheet']}!{row['_source_cell']} >= 0")
        for row in facts.dropna(subset=["value"]).to_dict("records")
    ]


CHECKS = (ReleaseCheck("not_negative", "Figures are not negative.", _not_negative),)
