"""The BNS input-output and supply-use workbooks: reader against an independent
reading of the same cells, cell accounting, codes, and the identity checks
(pass on the published files, fail on a copy with one changed figure)."""

from __future__ import annotations

import copy
import hashlib
import random
from dataclasses import replace
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

from dagster_project.ingestion.bns import io_checks, io_workbook
from dagster_project.ingestion.errors import RawFileError
from dagster_project.ingestion.manifest import load_manifest
from dagster_project.ingestion.workbook import Sheet, Workbook, open_workbook
from dagster_project.quality.release_checks import ReleaseSuite

DATASET = Path(__file__).resolve().parents[2] / "data" / "raw" / "kazakhstan_bns"
IO, SUT = "bns_input_output_2023", "bns_supply_use_2023"
KEY = list(io_workbook.KEY_COLUMNS)


def _entry(raw_table: str):
    return next(e for e in load_manifest(DATASET) if e.raw_table == raw_table)


@pytest.fixture(scope="module")
def io_release():
    entry = _entry(IO)
    workbook = open_workbook(entry.path, entry.relative_path, entry.sha256)
    return entry, workbook, io_workbook.read(entry, workbook, None)


@pytest.fixture(scope="module")
def sut_release():
    entry = _entry(SUT)
    workbook = open_workbook(entry.path, entry.relative_path, entry.sha256)
    return entry, workbook, io_workbook.read(entry, workbook, None)


def _coordinates(address: str) -> tuple[int, int]:
    letters, row = coordinate_from_string(address)
    return row, column_index_from_string(letters)


def _assert_facts_match_pandas(facts: pd.DataFrame, path: Path, sheet: str) -> int:
    """Every fact of ``sheet`` equals the cell pandas reads at its coordinates."""
    grid = pd.read_excel(path, sheet_name=sheet, header=None)
    mine = facts[facts["_source_sheet"] == sheet.strip()]
    for address, value in zip(mine["_source_cell"], mine["value"]):
        row, column = _coordinates(address)
        assert grid.iat[row - 1, column - 1] == value, f"{sheet}!{address}"
    return len(mine)


def _figure_cells(path: Path, sheet: str, number_row: int) -> set[str]:
    """Independently: the numeric cells right of column C and below the 'No.' row."""
    grid = pd.read_excel(path, sheet_name=sheet, header=None)
    cells = set()
    for r in range(number_row, grid.shape[0]):
        if not isinstance(grid.iat[r, 0], (int, np.integer)):  # numbered table rows only (not the footer)
            continue
        for c in range(3, grid.shape[1]):
            value = grid.iat[r, c]
            if isinstance(value, (int, float, np.integer, np.floating)) and not pd.isna(value):
                cells.add(f"{openpyxl.utils.get_column_letter(c + 1)}{r + 1}")
    return cells


@pytest.mark.parametrize("release, sheet, number_row", [(IO, "6.", 6), (SUT, "1.", 7)])
def test_every_figure_of_a_sheet_matches_pandas(release, sheet, number_row, io_release, sut_release):
    entry, _, result = io_release if release == IO else sut_release
    loaded = _assert_facts_match_pandas(result.facts, entry.path, sheet)
    expected_cells = _figure_cells(entry.path, sheet, number_row)
    read_cells = set(result.facts.loc[result.facts["_source_sheet"] == sheet, "_source_cell"])
    assert read_cells == expected_cells
    assert loaded == len(expected_cells) > 5000


def test_a_sample_of_every_other_sheet_matches_pandas(io_release, sut_release):
    rng = random.Random(2023)
    for entry, _, result in (io_release, sut_release):
        grids = pd.read_excel(entry.path, sheet_name=[s["sheet"] for s in entry.extra["sheets"]], header=None)
        for sheet, grid in grids.items():
            mine = result.facts[result.facts["_source_sheet"] == sheet.strip()]
            sample = mine.iloc[rng.sample(range(len(mine)), 150)]
            for address, value, row_code, row_label in zip(
                sample["_source_cell"], sample["value"], sample["row_code"], sample["row_label"]
            ):
                row, column = _coordinates(address)
                assert grid.iat[row - 1, column - 1] == value, f"{sheet}!{address}"
                assert " ".join(str(grid.iat[row - 1, 2]).split()) == row_label
                printed = grid.iat[row - 1, 1]
                if not pd.isna(printed):  # a product row: its code as printed
                    assert str(printed).strip() == row_code


@pytest.mark.parametrize("release", [IO, SUT])
def test_printed_decimals_in_the_manifest_are_the_cells_number_formats(release):
    """The tolerances rest on printed_decimals: it must be what Excel prints (#,### -> 0, #,##0.000000 -> 6)."""
    entry = _entry(release)
    number_row = entry.extra["io_layout"]["number_row"]
    workbook = openpyxl.load_workbook(entry.path, read_only=True)
    for spec in entry.extra["sheets"]:
        sheet = next(ws for ws in workbook.worksheets if ws.title.strip() == spec["sheet"])
        decimals = set()
        for row in sheet.iter_rows(min_row=number_row + 1, min_col=4):
            for cell in row:
                if isinstance(cell.value, (int, float)):
                    fraction = cell.number_format.partition(".")[2]
                    decimals.add(sum(ch in "0#" for ch in fraction))
        assert decimals == {spec["printed_decimals"]}, spec["sheet"]
    workbook.close()


def _openpyxl_non_blank(path: Path) -> int:
    workbook = openpyxl.load_workbook(path, data_only=True, read_only=True)
    count = sum(
        1
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None and not (isinstance(value, str) and not value.strip())
    )
    workbook.close()
    return count


@pytest.mark.parametrize("release", [IO, SUT])
def test_every_non_blank_cell_is_accounted_for(release, io_release, sut_release):
    entry, _, result = io_release if release == IO else sut_release
    counts = result.counts
    assert counts["cells_read"] == counts["loaded"] + counts["quarantined"] + counts["ignored"]
    assert counts["cells_read"] == _openpyxl_non_blank(entry.path)
    assert counts["loaded"] == counts["facts"] == len(result.facts)
    assert counts["quarantined"] == 0 and result.rejected.empty
    assert not result.facts.duplicated(KEY).any()
    assert result.facts[KEY].notna().all().all()


def test_io_codes_are_text_and_68_by_68(io_release):
    _, _, result = io_release
    facts = result.facts
    assert set(facts["table_code"]) == {
        "supply", "use_purchasers", "trade_margins", "transport_margins", "net_taxes", "use_basic",
        "use_imported", "use_domestic", "direct_cost_ratios", "total_cost_ratios"}
    for table, group in facts.groupby("table_code"):
        rows = group.loc[group["row_kind"] == "product", "row_code"].unique()
        columns = group.loc[group["column_kind"] == "product", "column_code"].unique()
        assert len(rows) == 68 and len(columns) == 68, table
        assert list(rows) == list(columns), table
    codes = set(facts["row_code"])
    assert {"01", "061", "072", "58-63 except 61", "97-98"} <= codes
    assert all(isinstance(c, str) for c in codes)
    assert {"D1", "B1G", "P1", "P7", "TS_BP", "TOTAL", "P33"} <= codes
    assert {"P3_S14", "P51G", "P6", "TU"} <= set(facts["column_code"])
    assert set(facts.loc[facts["table_code"].str.endswith("cost_ratios"), "unit"]) == {"ratio"}
    assert set(facts.loc[facts["table_code"] == "supply", "unit"]) == {"thousand tenge"}
    assert set(facts["year"]) == {2023}


def test_sut_is_125_products_by_72_industries(sut_release):
    _, _, result = sut_release
    for table, group in result.facts.groupby("table_code"):
        assert group.loc[group["row_kind"] == "product", "row_code"].nunique() == 125, table
        assert group.loc[group["column_kind"] == "industry", "column_code"].nunique() == 72, table
    facts = result.facts
    # number cells 11 and 30 become the text they print; ' 14' loses its typesetting space
    assert {"011", "11", "30", "14"} <= set(facts.loc[facts["row_kind"] == "product", "row_code"])
    assert {"10", "11", "30", "58-63 except 61"} <= set(facts.loc[facts["column_kind"] == "industry", "column_code"])


def test_all_checks_hold_on_the_published_workbooks(io_release, sut_release):
    for entry, _, result in (io_release, sut_release):
        for check in io_checks.CHECKS:
            instances = check.build(result.facts, entry)
            failing = [i for i in instances if i.excess > 0]
            assert not failing, (check.name, failing[:3])
    io_entry, _, io_result = io_release
    assert len(io_checks.total_cost_ratios(io_result.facts, io_entry)) == 68 * 68


def test_a_changed_figure_fails_the_checks_and_is_pinned_down(io_release, tmp_path):
    entry, _, _ = io_release
    book = openpyxl.load_workbook(entry.path)
    # use at basic prices, product 01 by product 01; 10000 moves its direct cost ratio by 1.1e-6,
    # beyond the 5e-7 of the six printed decimals
    book["6."]["D7"].value += 10000
    changed = tmp_path / "changed.xlsx"
    book.save(changed)
    digest = hashlib.sha256(changed.read_bytes()).hexdigest()
    changed_entry = replace(entry, path=changed, sha256=digest)
    workbook = open_workbook(changed, "changed.xlsx", digest)
    facts = io_workbook.read(changed_entry, workbook, None).facts
    outcome = ReleaseSuite(io_workbook.KEY_COLUMNS, io_workbook.CHECKS).validate(facts, changed_entry)
    failing = [r for r in outcome.rows if not r["passed"]]
    assert {r["check_name"] for r in failing} == {
        "io_published_totals", "io_domestic_plus_imported", "io_valuation", "io_direct_cost_ratios"}
    assert all("6.!D7" in r["involved_cells"] for r in failing)
    assert {r["year"] for r in failing} == {"2023"}
    assert {r["suggested_cell"] for r in failing} == {"6.!D7"}
    # the one value that repairs every failing identity is the published figure
    assert all(r["suggested_value"] == pytest.approx(1027659718, abs=1) for r in failing)


def test_cost_ratios_recomputed_with_numpy(io_release):
    entry, _, result = io_release
    grids = pd.read_excel(entry.path, sheet_name=["6.", "9.", "10."], header=None)
    block = slice(6, 74), slice(3, 71)  # rows 7-74, columns D-BS: the 68 products
    flows = grids["6."].iloc[block].to_numpy(dtype=float)
    total_supply = grids["6."].iloc[86, 3:71].to_numpy(dtype=float)  # row 87: total supply at basic prices
    direct = grids["9."].iloc[block].to_numpy(dtype=float)
    total = grids["10."].iloc[block].to_numpy(dtype=float)
    assert np.abs(direct - flows / total_supply).max() < 1e-12
    inverse = np.linalg.inv(np.eye(68) - direct)
    assert np.abs(total - inverse).max() < 1e-9
    # the check's expectations are numpy's inverse, in the printed order
    instances = io_checks.total_cost_ratios(result.facts, entry)
    expected = np.array([i.expected for i in instances]).reshape(68, 68)
    assert np.abs(expected - inverse).max() < 1e-12
    # the tolerance is the six printed decimals (5e-7) plus their propagation through the inverse
    assert all(5e-7 < i.tolerance < 1e-3 for i in instances)


def _with_value(facts: pd.DataFrame, table: str, row: str, column: str, delta: float) -> pd.DataFrame:
    changed = facts.copy()
    where = (changed["table_code"] == table) & (changed["row_code"] == row) & (changed["column_code"] == column)
    assert where.sum() == 1
    changed.loc[where, "value"] += delta
    return changed


def test_cost_ratio_checks_fail_beyond_the_printed_rounding(io_release):
    entry, _, result = io_release
    for build, table in ((io_checks.direct_cost_ratios, "direct_cost_ratios"),
                         (io_checks.total_cost_ratios, "total_cost_ratios")):
        within = _with_value(result.facts, table, "241", "241", 1e-8)
        beyond = _with_value(result.facts, table, "241", "241", 2e-3)
        assert not [i for i in build(within, entry) if i.excess > 0]
        failing = [i for i in build(beyond, entry) if i.excess > 0]
        assert failing and all(i.indicator == f"{table}:241" for i in failing)


# -- reader behaviour on small edited copies of one sheet -----------------------------

def _one_sheet(entry, workbook: Workbook, title: str, edits: dict[tuple[int, int], object]):
    original = workbook.sheet(title)
    cells = dict(original.cells)
    cells.update(edits)
    sheet = Sheet(original.name, {k: v for k, v in cells.items() if v is not None})
    edited_entry = copy.deepcopy(entry)
    edited_entry.extra["sheets"] = [s for s in entry.extra["sheets"] if s["sheet"] == title]
    return edited_entry, Workbook(workbook.name, workbook.format, workbook.sha256, {original.name: sheet})


def test_unknown_label_is_quarantined_not_dropped(io_release):
    entry, workbook, _ = io_release
    edited, book = _one_sheet(entry, workbook, "6.", {(82, 3): "Depreciation, new wording"})
    result = io_workbook.read(edited, book, None)
    assert result.counts["quarantined"] == 69  # D82:BT82, the whole row
    assert result.rejected["reason"].str.contains("'Depreciation, new wording' is not in io_item_codes.csv").all()
    assert "P51C" not in set(result.facts["row_code"])


def test_a_code_printed_twice_gets_an_honest_unique_key(io_release):
    entry, workbook, _ = io_release
    edited, book = _one_sheet(entry, workbook, "8.", {(8, 2): "01"})  # row 02 relabelled 01
    result = io_workbook.read(edited, book, None)
    assert not result.facts.duplicated(KEY).any()
    assert "01@R8" in set(result.facts["row_code"])
    assert any("printed again" in note for note in result.notes)


def test_moved_header_or_other_unit_is_refused_naming_the_cell(io_release):
    entry, workbook, _ = io_release
    edited, book = _one_sheet(entry, workbook, "1.", {(5, 2): None, (6, 2): "Code"})
    with pytest.raises(RawFileError, match=r"sheet '1\.' cell B5"):
        io_workbook.read(edited, book, None)
    edited, book = _one_sheet(entry, workbook, "1.", {(3, 1): "million tenge"})
    with pytest.raises(RawFileError, match=r"cell A3 reads 'million tenge'"):
        io_workbook.read(edited, book, None)


def test_a_number_in_the_footer_is_quarantined(io_release):
    entry, workbook, _ = io_release
    edited, book = _one_sheet(entry, workbook, "10.", {(79, 20): 12345})
    result = io_workbook.read(edited, book, None)
    assert result.counts["quarantined"] == 1
    assert "below the table" in result.rejected["reason"].iloc[0]


def test_table_codes_follow_the_manifest_not_the_sheet_order(io_release):
    entry, workbook, _ = io_release
    swapped = copy.deepcopy(entry)  # next year's workbook prints domestic use before imported use
    swapped.extra["sheets"] = [
        {**s, "table_code": {"use_imported": "use_domestic", "use_domestic": "use_imported"}.get(s["table_code"],
                                                                                                   s["table_code"])}
        for s in entry.extra["sheets"] if s["sheet"] in ("7.", "8.")
    ]
    facts = io_workbook.read(swapped, workbook, None).facts
    assert set(facts.loc[facts["_source_sheet"] == "7.", "table_code"]) == {"use_domestic"}
    assert set(facts.loc[facts["_source_sheet"] == "8.", "table_code"]) == {"use_imported"}


def test_an_unmapped_figure_sheet_is_quarantined_whole(io_release):
    entry, workbook, result = io_release
    extra = Sheet("11.", dict(workbook.sheet("9.").cells))
    book = Workbook(workbook.name, workbook.format, workbook.sha256, {**workbook.sheets, "11.": extra})
    grown = io_workbook.read(entry, book, None)
    assert grown.counts["quarantined"] == sum(1 for _ in extra.non_empty()) > 5000
    assert grown.counts["loaded"] == result.counts["loaded"]
    assert any("'11.'" in note for note in grown.notes)


def test_year_is_the_manifest_period_checked_against_the_cover(io_release):
    entry, workbook, _ = io_release
    assert io_workbook.release_year(entry, workbook) == 2023
    new_entry = copy.deepcopy(entry)  # an entry add-release writes has no period yet: the cover's year
    del new_entry.extra["period"]
    assert io_workbook.release_year(new_entry, workbook) == 2023
    new_entry.extra["period"] = "2024"
    with pytest.raises(RawFileError, match="period is 2024 but sheet 'Cover' says the tables are for 2023"):
        io_workbook.release_year(new_entry, workbook)


# -- pure helpers -------------------------------------------------------------------

def test_printed_code_and_label_normalisation():
    assert io_workbook.printed_code("061") == "061"
    assert io_workbook.printed_code(" 14") == "14"
    assert io_workbook.printed_code(11) == "11" and io_workbook.printed_code(30.0) == "30"
    assert io_workbook.printed_code("58-63 except 61") == "58-63 except 61"
    assert io_workbook.printed_code("  ") is None and io_workbook.printed_code(None) is None
    assert io_workbook.normalise_label(" Transport  margins") == io_workbook.normalise_label("transport margins")


def test_item_codes_refuse_a_label_listed_twice(tmp_path):
    codes = tmp_path / "codes.csv"
    codes.write_text("axis,label,code,kind,reference\nrow,Total,TOTAL,total,x\nrow, total ,T2,total,y\n",
                     encoding="utf-8")
    with pytest.raises(RawFileError, match="line 3: label ' total ' is listed twice"):
        io_workbook.item_codes(codes)
    shipped = io_workbook.item_codes(DATASET / "io_item_codes.csv")
    assert shipped[("row", "gross value added")] == io_workbook.Item("B1G", "value_added_total")
    assert shipped[("column", "household final consumption expenditure")].code == "P3_S14"


def test_sum_identity_tolerance_and_solutions():
    facts = pd.DataFrame(
        {"table_code": "use_basic", "row_code": ["01", "02", "TOTAL"], "row_kind": ["product", "product", "total"],
         "column_code": "01", "column_kind": "product", "value": [10.0, 20.0, 32.0],
         "_source_sheet": "6.", "_source_row": [7, 8, 9], "_source_cell": ["D7", "D8", "D9"], "year": 2023})
    entry = copy.deepcopy(_entry(IO))
    tables = io_checks.Tables(facts, entry)
    total = ("use_basic", "TOTAL", "01")
    parts = [(("use_basic", "01", "01"), 1), (("use_basic", "02", "01"), 1)]
    instance = io_checks.sum_identity(tables, "t", total, parts, "d")
    assert (instance.observed, instance.expected, instance.deviation) == (32.0, 30.0, 2.0)
    assert instance.tolerance == pytest.approx(1.5)  # three printed integers, half a unit each
    assert instance.excess > 0
    assert instance.solutions == {("6.", "D9"): 30.0, ("6.", "D7"): 12.0, ("6.", "D8"): 22.0}
    assert io_checks.sum_identity(tables, "t", ("use_basic", "P1", "01"), parts, "d") is None  # not printed
