"""What every BNS layout reader produces, and the one collector they all use
so that every non-blank cell of a workbook is accounted for.

A reader walks the sheets its layout declares and, for each non-blank cell,
says what it is: a published figure (``keep``: becomes a fact row with its
source cell), a label, header or note that gives the figures their meaning
(``ignore`` with the reason), or a cell it cannot use (``quarantine``: goes to
``quality.rejected_rows`` with file, sheet, cell, value and reason). Cells a
reader never mentions are quarantined as "not part of the layout" when the
result is built, so an unexpected extra column next year is reported, never
silently dropped. Sheets the layout does not read (cover, symbols, notes) are
counted as ignored with that reason.

Invariant, asserted by the tests: for every release,
``cells_read == loaded + quarantined + ignored``.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pandas as pd

from dagster_project.ingestion.manifest import ManifestEntry
from dagster_project.ingestion.workbook import CellValue, Sheet, Workbook, cell_address, column_letter

LOADED, QUARANTINED, IGNORED = "loaded", "quarantined", "ignored"
NOT_IN_LAYOUT = "cell not part of the layout (reported so that nothing is dropped silently)"

# Facts of region x activity x year x period x measure: the typed long table of
# every observation layout (employment, GRP, population, productivity, GDP by
# activity). One raw table per release: raw.<raw_table>.
OBSERVATION_COLUMNS: dict[str, str] = {
    "release_id": "VARCHAR",  # the manifest's raw_table
    "economy_code": "VARCHAR",  # always KZ for BNS
    "measure": "VARCHAR",  # e.g. employment, grp, population, labour_productivity, gva
    "unit": "VARCHAR",  # as the release states it, e.g. 'thousand persons', 'mln tenge'
    "region_code": "VARCHAR",  # 9-digit КАТО, or TOTAL for the republic
    "activity_code": "VARCHAR",  # ОКЭД section letter, an aggregate code, or TOTAL
    "classification": "VARCHAR",  # of activity_code, e.g. OKED_SECTION, OKONH
    "year": "INTEGER",
    "period": "VARCHAR",  # Q1 Q2 Q3 Q4 (quarter), H1 9M (cumulative), year
    "value": "DOUBLE",  # NULL where a gap marker stands
    "gap_marker": "VARCHAR",  # '-', 'x', '…' as printed; never a zero
    "back_cast": "BOOLEAN",  # true where the release restates a year in borders not yet in force
    "territorial_basis": "VARCHAR",  # from the manifest: the borders the figure is published in
    "source_region": "VARCHAR",  # the label as printed (footnote marks stripped)
    "source_activity": "VARCHAR",
    "note": "VARCHAR",  # footnote marks of the labels / headers, and their text when printed
    "_source_file": "VARCHAR",
    "_source_sha256": "VARCHAR",
    "_source_sheet": "VARCHAR",
    "_source_row": "BIGINT",
    "_source_column": "VARCHAR",  # Excel column letter
    "_source_cell": "VARCHAR",  # 'B12'
    "_loaded_at": "TIMESTAMP",
}

# Cells of an input-output or supply-use workbook: one row per published cell.
IO_CELL_COLUMNS: dict[str, str] = {
    "release_id": "VARCHAR",
    "economy_code": "VARCHAR",
    "year": "INTEGER",
    "table_code": "VARCHAR",  # supply, use_purchasers, trade_margins, ..., total_cost_ratios
    "row_code": "VARCHAR",  # product code as text ('01', '061', '58-63 except 61') or item code
    "row_label": "VARCHAR",
    "row_kind": "VARCHAR",  # product, value_added, total, ...
    "column_code": "VARCHAR",
    "column_label": "VARCHAR",
    "column_kind": "VARCHAR",  # product, industry, final_demand, total, ...
    "value": "DOUBLE",
    "gap_marker": "VARCHAR",
    "unit": "VARCHAR",
    "note": "VARCHAR",
    "_source_file": "VARCHAR",
    "_source_sha256": "VARCHAR",
    "_source_sheet": "VARCHAR",
    "_source_row": "BIGINT",
    "_source_column": "VARCHAR",
    "_source_cell": "VARCHAR",
    "_loaded_at": "TIMESTAMP",
}

ACCOUNTING_COLUMNS: dict[str, str] = {
    "release_id": "VARCHAR",
    "source_file": "VARCHAR",
    "sheet": "VARCHAR",
    "category": "VARCHAR",  # loaded, quarantined, ignored
    "reason": "VARCHAR",
    "cells": "BIGINT",
    "accounted_at": "TIMESTAMP",
}


@dataclass
class LayoutResult:
    """A release read in its layout: the fact rows (``columns`` gives their
    schema), the quarantined cells and the per-sheet cell accounting."""

    entry: ManifestEntry
    columns: dict[str, str]
    facts: pd.DataFrame
    rejected: pd.DataFrame  # columns: source_file, source_row, raw_values, reason
    accounting: pd.DataFrame  # columns: ACCOUNTING_COLUMNS less accounted_at
    notes: list[str] = field(default_factory=list)  # what the reader did, for the run log

    @property
    def counts(self) -> dict[str, int]:
        by_category = self.accounting.groupby("category")["cells"].sum().to_dict()
        counts = {c: int(by_category.get(c, 0)) for c in (LOADED, QUARANTINED, IGNORED)}
        counts["cells_read"] = int(self.accounting["cells"].sum())
        counts["facts"] = len(self.facts)
        return counts


class ReleaseCollector:
    """Collects the facts, quarantined cells and accounting of one release."""

    def __init__(self, entry: ManifestEntry, workbook: Workbook, columns: dict[str, str]):
        self.entry = entry
        self.workbook = workbook
        self.columns = columns
        # What every fact row of the release shares, prepared once: keep() runs for
        # every published cell (87k in the supply-use workbook).
        self._column_names = frozenset(columns)
        self._blank_record: dict[str, Any] = {
            **dict.fromkeys(columns),
            "release_id": entry.raw_table,
            "economy_code": entry.extra.get("economy_code", "KZ"),
            "_source_file": entry.relative_path,
            "_source_sha256": workbook.sha256,
        }
        self._facts: list[dict[str, Any]] = []
        self._rejected: list[dict[str, Any]] = []
        # (sheet, row, column) -> (category, reason); the first word on a cell wins,
        # except that keeping a figure always wins over calling it a label.
        self._status: dict[tuple[str, int, int], tuple[str, str]] = {}
        self._read_sheets: list[str] = []
        self.notes: list[str] = []

    # -- what a reader says about cells ------------------------------------
    def read_sheet(self, sheet: Sheet) -> None:
        """Declare that the layout reads this sheet (its cells must all be accounted)."""
        if sheet.name not in self._read_sheets:
            self._read_sheets.append(sheet.name)

    def keep(self, sheet: Sheet, row: int, column: int, **fields: Any) -> None:
        """A published figure (or gap marker) from cell (row, column) -> one fact row."""
        self.read_sheet(sheet)
        record = self._blank_record.copy()
        record.update(
            _source_sheet=sheet.name.strip(),
            _source_row=row,
            _source_column=column_letter(column),
            _source_cell=cell_address(row, column),
        )
        unknown = fields.keys() - self._column_names
        if unknown:
            raise KeyError(f"fields {sorted(unknown)} are not columns of the fact table")
        record.update(fields)
        self._facts.append(record)
        self._status[(sheet.name, row, column)] = (LOADED, "published figure")

    def ignore(self, sheet: Sheet, row: int, column: int, reason: str) -> None:
        """A label, header, unit line or footnote: meaning for the figures, not a figure."""
        self.read_sheet(sheet)
        self._status.setdefault((sheet.name, row, column), (IGNORED, reason))

    def ignore_row(self, sheet: Sheet, row: int, reason: str) -> None:
        for column in range(1, sheet.max_column + 1):
            if sheet.value(row, column) is not None:
                self.ignore(sheet, row, column, reason)

    def quarantine(self, sheet: Sheet, row: int, column: int, reason: str) -> None:
        """A cell the reader cannot use: kept in quality.rejected_rows with the reason."""
        self.read_sheet(sheet)
        key = (sheet.name, row, column)
        if self._status.get(key, ("",))[0] == LOADED:
            raise ValueError(f"cell {cell_address(row, column)} was already kept")
        self._status[key] = (QUARANTINED, reason)
        self._rejected.append(
            {
                "source_file": self.entry.relative_path,
                "source_row": row,
                "raw_values": json.dumps(
                    {
                        "sheet": sheet.name.strip(),
                        "cell": cell_address(row, column),
                        "value": _jsonable(sheet.value(row, column)),
                    },
                    ensure_ascii=False,
                ),
                "reason": f"{self.entry.relative_path}, sheet {sheet.name.strip()!r}, cell "
                f"{cell_address(row, column)}: {reason}",
            }
        )

    # -- the result ----------------------------------------------------------
    def result(self) -> LayoutResult:
        accounting: Counter[tuple[str, str, str]] = Counter()
        for sheet_name, sheet in self.workbook.sheets.items():
            if sheet_name not in self._read_sheets:
                cells = sum(1 for _ in sheet.non_empty())
                if cells:
                    accounting[(sheet_name.strip(), IGNORED, "sheet not read by this layout "
                                "(cover, symbols, contents or notes)")] += cells
                continue
            for row, column, _ in sheet.non_empty():
                status = self._status.get((sheet_name, row, column))
                if status is None:
                    self.quarantine(sheet, row, column, NOT_IN_LAYOUT)
                    status = self._status[(sheet_name, row, column)]
                category, reason = status
                if category == QUARANTINED:
                    reason = "quarantined cell (reasons in quality.rejected_rows)"
                accounting[(sheet_name.strip(), category, reason)] += 1
        facts = pd.DataFrame(self._facts, columns=list(self.columns))
        facts["_loaded_at"] = datetime.now(UTC).replace(tzinfo=None)
        rejected = pd.DataFrame(
            self._rejected, columns=["source_file", "source_row", "raw_values", "reason"]
        )
        accounting_frame = pd.DataFrame(
            [
                {
                    "release_id": self.entry.raw_table,
                    "source_file": self.entry.relative_path,
                    "sheet": sheet,
                    "category": category,
                    "reason": reason,
                    "cells": cells,
                }
                for (sheet, category, reason), cells in sorted(accounting.items())
            ],
            columns=[c for c in ACCOUNTING_COLUMNS if c != "accounted_at"],
        )
        return LayoutResult(self.entry, self.columns, facts, rejected, accounting_frame, self.notes)


def _jsonable(value: CellValue) -> Any:
    if isinstance(value, (int, float, str)) or value is None:
        return value
    return str(value)
