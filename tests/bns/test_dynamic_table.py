"""The BNS dynamic-table layout (both employment releases) against an
independent reading of the same cells, plus its checks on modified copies.

The independent reading uses pandas (``read_excel(header=None)``) and openpyxl
by coordinates, never the project's workbook module or labels helpers: a
figure's year, period and label are found by walking the sheet as a person
would (up to the block's year row, left along the header rows)."""

from __future__ import annotations

import dataclasses
import hashlib
import random
import re
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from dagster_project.ingestion.bns import dynamic_table, dynamic_table_checks
from dagster_project.ingestion.bns.layouts import ReaderContext, read_release, release_entries
from dagster_project.ingestion.bns.release import LOADED, QUARANTINED

BY_ACTIVITY = "bns_employment_by_activity_region"
BY_REGION = "bns_employment_by_region"
QUARTER_WORDS = {"I": "Q1", "II": "Q2", "III": "Q3", "IV": "Q4", "IY": "Q4"}


@pytest.fixture(scope="module")
def context() -> ReaderContext:
    return ReaderContext.from_settings()


@pytest.fixture(scope="module")
def entries() -> dict:
    return {e.raw_table: e for e in release_entries() if e.raw_table in (BY_ACTIVITY, BY_REGION)}


@pytest.fixture(scope="module")
def results(entries, context) -> dict:
    return {name: read_release(entry, context) for name, entry in entries.items()}


# -- an independent reading ------------------------------------------------------
def _grid(path: Path, sheet: str) -> pd.DataFrame:
    frame = pd.read_excel(path, sheet_name=sheet, header=None, dtype=object)
    frame.index = frame.index + 1  # 1-based rows and columns, like Excel
    frame.columns = frame.columns + 1
    return frame


def _cell(grid: pd.DataFrame, row: int, column: int):
    if row not in grid.index or column not in grid.columns:
        return None
    value = grid.at[row, column]
    return None if pd.isna(value) else value


def _left(grid: pd.DataFrame, row: int, column: int):
    """The nearest printed header at or left of ``column`` (a merged-cell span)."""
    for c in range(column, 1, -1):
        value = _cell(grid, row, c)
        if value is not None and str(value).strip():
            return value
    return None


def _year(value) -> int:
    return int(re.match(r"\s*(\d{4})", str(value)).group(1))


def _period(value) -> str:
    text = re.sub(r"\d\)$", "", str(value).strip()).strip()
    if text.lower().startswith("year"):
        return "year"
    return QUARTER_WORDS[text.split()[0].upper()]


def _strip_marks(value) -> str:
    return re.sub(r"\s*\d\)\s*$", "", " ".join(str(value).split()))


def independent_fact(grids: dict, fact: pd.Series, spec: dict) -> dict:
    """Value, year, period and labels of a fact's cell, read from the sheet itself."""
    grid = grids[fact["_source_sheet"]]
    row = int(fact["_source_row"])
    column = openpyxl.utils.column_index_from_string(fact["_source_column"])
    if spec["orientation"] == "year_blocks":
        year_row = max(r for r in grid.index if r <= row and re.match(r"\d{4} year", str(_cell(grid, r, 2))))
        label_row, period_row = year_row + 1, year_row + 2
        year = _year(_cell(grid, year_row, 2))
        column_label = _strip_marks(_left(grid, label_row, column))
    else:
        year_row = min(r for r in grid.index if any(re.fullmatch(r"\d{4}", str(_cell(grid, r, c)))
                                                   for c in range(2, 6)))
        period_row = None if spec.get("periods") == "year" else year_row + 1
        year = _year(_left(grid, year_row, column))
        column_label = None
    row_label = _strip_marks(_cell(grid, row, 1))
    return {
        "value": _cell(grid, row, column),
        "year": year,
        "period": "year" if period_row is None else _period(_cell(grid, period_row, column)),
        "row_label": row_label,
        "column_label": column_label,
    }


@pytest.mark.parametrize("name", [BY_ACTIVITY, BY_REGION])
def test_facts_match_an_independent_reading_of_their_cells(name, entries, results):
    entry, facts = entries[name], results[name].facts
    specs = {s["sheet"]: s for s in entry.extra["dynamic_table"]["sheets"]}
    grids = {sheet: _grid(entry.path, sheet) for sheet in facts["_source_sheet"].unique()}
    # Up to 250 facts of every sheet (all 63 of KZ RK), drawn with a fixed seed.
    draw = random.Random(20261201)
    sample = pd.concat(group.iloc[draw.sample(range(len(group)), min(len(group), 250))]
                       for _, group in facts.groupby("_source_sheet"))
    assert len(sample) >= 200
    for _, fact in sample.iterrows():
        spec = specs[fact["_source_sheet"]]
        seen = independent_fact(grids, fact, spec)
        where = f"{fact['_source_sheet']}!{fact['_source_cell']}"
        if isinstance(seen["value"], str):
            assert seen["value"].strip() == fact["gap_marker"] and pd.isna(fact["value"]), where
        else:
            assert fact["value"] == pytest.approx(float(seen["value"]), abs=1e-12), where
            assert pd.isna(fact["gap_marker"]), where
        assert (fact["year"], fact["period"]) == (seen["year"], seen["period"]), where
        row_label = fact["source_activity"] if spec["rows"] == "activity" else fact["source_region"]
        assert row_label == seen["row_label"], where
        if seen["column_label"] is not None:
            assert fact["source_region"] == seen["column_label"], where
        assert fact["measure"] == spec["measure"] and fact["unit"] == spec["unit"], where


def _non_blank_cells(path: Path) -> int:
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


@pytest.mark.parametrize("name", [BY_ACTIVITY, BY_REGION])
def test_every_cell_is_accounted_for(name, entries, results):
    counts = results[name].counts
    assert counts["cells_read"] == counts["loaded"] + counts["quarantined"] + counts["ignored"]
    assert counts["cells_read"] == _non_blank_cells(entries[name].path)
    assert counts["loaded"] == counts["facts"] == len(results[name].facts)


@pytest.mark.parametrize("name", [BY_ACTIVITY, BY_REGION])
def test_keys_are_unique_and_complete(name, results):
    facts = results[name].facts
    keys = list(dynamic_table.KEY_COLUMNS)
    assert not facts[keys].isna().any().any()
    assert not facts.duplicated(keys).any()


def test_gap_markers_are_null_with_their_marker_never_zero(entries, results):
    for name in (BY_ACTIVITY, BY_REGION):
        facts = results[name].facts
        marked = facts[facts["gap_marker"].notna()]
        assert len(marked) > 50 and marked["value"].isna().all()
        assert set(marked["gap_marker"]) == {"-"}
    # An independent pass: every '-' the reader kept was printed as '-' (not 0) in the sheet.
    grid = _grid(entries[BY_ACTIVITY].path, "TEA_regions")
    facts = results[BY_ACTIVITY].facts
    dashes = facts[(facts["_source_sheet"] == "TEA_regions") & facts["gap_marker"].notna()]
    printed = {
        str(_cell(grid, int(row), openpyxl.utils.column_index_from_string(column))).strip()
        for row, column in zip(dashes["_source_row"], dashes["_source_column"])
    }
    assert printed == {"-"}


def test_back_casts_are_flagged_never_quarantined(results):
    for name in (BY_ACTIVITY, BY_REGION):
        facts, rejected = results[name].facts, results[name].rejected
        restated = facts[facts["region_code"].isin(["610000000", "790000000"])]
        early = restated[restated["year"] <= 2017]
        assert len(early) > 0 and early["back_cast"].all()
        assert not restated[restated["year"] >= 2018]["back_cast"].any()
        assert not facts[~facts["region_code"].isin(["610000000", "790000000"])]["back_cast"].any()
        assert rejected.empty
    # Employment by region: 2001-2009 are in their own borders (South Kazakhstan), so
    # the '-' of Turkestan and Shymkent there is "no such unit", neither a fact nor quarantined.
    facts = results[BY_REGION].facts
    assert facts[facts["region_code"] == "610000000"]["year"].min() == 2010
    assert facts[facts["region_code"] == "510000000"]["year"].max() == 2017
    accounting = results[BY_REGION].accounting
    not_in_force = accounting[accounting["reason"].str.contains("not in force")]["cells"].sum()
    # Abai, Zhetisu, Ulytau 2001-2021; South Kazakhstan 2018-2024; Turkestan, Shymkent 2001-2009.
    assert not_in_force == (3 * 21 + 7 + 2 * 9) * 5


def test_footnotes_reach_the_note(results):
    facts = results[BY_REGION].facts
    shymkent_2012 = facts[(facts["region_code"] == "790000000") & (facts["year"] == 2012)]
    assert shymkent_2012["note"].str.contains("3) Data for the Turkestan region", regex=False).all()
    assert facts["note"].str.contains("1) The data was generated", regex=False).all()  # the title's mark
    rk = results[BY_ACTIVITY].facts
    year_2015 = rk[(rk["_source_sheet"] == "TEA_RK") & (rk["year"] == 2015) & (rk["period"] == "year")]
    assert year_2015["note"].str.contains("19th ICLS").all()


def test_activities_resolve_to_sections_industry_and_total(results):
    facts = results[BY_ACTIVITY].facts
    regions_sheet = facts[facts["measure"] == "employment"]
    assert set(regions_sheet["activity_code"]) == set("ABCDEFGHIJKLMNOPQRSTU") | {"B-E", "TOTAL"}
    assert set(regions_sheet[regions_sheet["activity_code"] == "B-E"]["classification"]) == {"OKED_AGGREGATE"}
    typo = regions_sheet[regions_sheet["source_activity"].str.startswith("Proffesional")]
    assert set(typo["activity_code"]) == {"M"}


# -- the checks on modified copies ---------------------------------------------
def _copy_with(tmp_path: Path, entry, edit) -> object:
    """The by-region workbook copied into tmp_path, ``edit(sheet)`` applied, and a
    manifest entry pointing at it with its new checksum."""
    target = tmp_path / entry.file
    shutil.copyfile(entry.path, target)
    workbook = openpyxl.load_workbook(target)
    edit(workbook["Regions_quarter"])
    workbook.save(target)
    digest = hashlib.sha256(target.read_bytes()).hexdigest()
    return dataclasses.replace(entry, path=target, sha256=digest)


def _instances(entry, context, check_name):
    facts = read_release(entry, context).facts
    check = next(c for c in dynamic_table_checks.CHECKS if c.name == check_name)
    return check.build(facts, entry)


def test_regions_sum_fails_when_one_figure_changes_and_passes_when_restored(tmp_path, entries, context):
    entry = entries[BY_REGION]
    original = openpyxl.load_workbook(entry.path)["Regions_quarter"]["H8"].value  # Akmola 2002 Q2
    cell = ("Regions_quarter", "H8")

    def failing(e):
        return [i for i in _instances(e, context, "regions_sum_to_republic") if cell in i.cells and i.excess > 0]

    changed = _copy_with(tmp_path, entry, lambda s: s.__setitem__("H8", original + 10))
    broken = failing(changed)
    assert len(broken) == 1 and broken[0].deviation == pytest.approx(-10, abs=0.01)
    assert broken[0].solutions[cell] == pytest.approx(original, abs=0.01)
    restored = _copy_with(tmp_path, entry, lambda s: s.__setitem__("H8", original))
    assert failing(restored) == []


def test_an_unknown_region_is_quarantined_naming_file_sheet_and_cell(tmp_path, entries, context):
    entry = _copy_with(tmp_path, entries[BY_REGION], lambda s: s.__setitem__("A8", "Atlantis"))
    result = read_release(entry, context)
    assert not (result.facts["source_region"] == "Atlantis").any()
    reasons = list(result.rejected["reason"])
    assert len(reasons) == 24 * 5  # every figure of the row, 2001-2024, quarters and year
    assert all("Atlantis" in r and "Regions_quarter" in r and entry.relative_path in r for r in reasons)
    assert any("cell B8:" in r for r in reasons)
    counts = result.counts
    assert counts["quarantined"] == 24 * 5
    assert counts["cells_read"] == counts["loaded"] + counts["quarantined"] + counts["ignored"]
    categories = result.accounting.groupby("category")["cells"].sum()
    assert categories[QUARANTINED] == 24 * 5 and categories[LOADED] == len(result.facts)


# -- pure helpers ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("printed", "period"),
    [("I quarter ", "Q1"), ("II  quarter ", "Q2"), ("III квартал", "Q3"), ("IY quarter ", "Q4"),
     ("IV quarter", "Q4"), ("year1)", "year"), ("I quarter 1)", "Q1"), ("II quarter3)", "Q2")],
)
def test_period_headers(printed, period):
    assert dynamic_table.parse_period(printed)[0] == period


def test_period_header_marks_and_garbage():
    assert dynamic_table.parse_period("year1)") == ("year", ("1",))
    assert dynamic_table.parse_period("continuation") is None


@pytest.mark.parametrize(
    ("value", "half"),
    [(49.903999999999996, 0.0005), (8029.3, 0.05), (8029.31, 0.005), (180.0, 0.5), (0.003949, 0.0000005)],
)
def test_printed_rounding(value, half):
    assert dynamic_table_checks.printed_half_unit(value) == pytest.approx(half)


def test_power_of_ten_repair_only_for_a_hundredfold_slip():
    def always(_):
        return True

    assert dynamic_table_checks.power_of_ten_repair(0.003949, 3.9, always) == pytest.approx(3.949)
    assert dynamic_table_checks.power_of_ten_repair(0.651, 6.0, always) is None  # tenfold: could be real
    assert dynamic_table_checks.power_of_ten_repair(0.003949, 3.9, lambda v: False) is None


def test_a_slip_of_units_gets_its_suggested_value(tmp_path, entries, context):
    """Akmola 2005 Q3 printed in persons instead of thousands breaks the regions sum,
    the annual average and two year-on-year steps; the suite derives the repair
    (within the rounding of the regions sum, whose 17 one-decimal cells allow 0.85)."""
    from dagster_project.quality.release_checks import ReleaseSuite

    entry = entries[BY_REGION]
    original = openpyxl.load_workbook(entry.path)["Regions_quarter"]["X8"].value  # Akmola 2005 Q3
    changed = _copy_with(tmp_path, entry, lambda s: s.__setitem__("X8", original * 1000))
    facts = read_release(changed, context).facts
    rows = ReleaseSuite(dynamic_table.KEY_COLUMNS, dynamic_table_checks.CHECKS).validate(facts, changed).rows
    failing = [r for r in rows if not r["passed"]]
    assert {r["check_name"] for r in failing} == {
        "regions_sum_to_republic", "annual_vs_quarters", "year_on_year_plausible"}
    assert all("Regions_quarter!X8" in r["involved_cells"] for r in failing)
    assert {r["suggested_cell"] for r in failing} == {"Regions_quarter!X8"}
    assert all(r["suggested_value"] == pytest.approx(original, abs=0.85) for r in failing)
    assert all(r["suggested_value"] != pytest.approx(original * 1000, rel=0.5) for r in failing)
