"""Labour productivity by region and activity (layout bns_labour_productivity):
read against pandas and openpyxl by coordinates, every cell accounted for
(signature block and unread sheets ignored with reasons), back-casts of 2022,
and the checks its definitions imply failing on copies modified with openpyxl."""

from __future__ import annotations

from functools import lru_cache

import openpyxl
import pandas as pd
import pytest

from dagster_project import settings
from dagster_project.ingestion.bns import labour_productivity_checks as checks
from dagster_project.ingestion.bns.labour_productivity import SIGNATURE, read
from dagster_project.ingestion.bns.layouts import ReaderContext
from dagster_project.ingestion.manifest import load_manifest
from dagster_project.ingestion.workbook import open_workbook

BNS = settings.RAW_DIR / "kazakhstan_bns"
RAW_TABLE = "bns_labour_productivity_by_region_activity"


@lru_cache(maxsize=None)
def entry():
    return {e.raw_table: e for e in load_manifest(BNS)}[RAW_TABLE]


@lru_cache(maxsize=None)
def context() -> ReaderContext:
    return ReaderContext.from_settings()


@lru_cache(maxsize=None)
def result():
    e = entry()
    return read(e, open_workbook(e.path, e.relative_path, e.sha256), context())


def fact_at(facts: pd.DataFrame, sheet: str, cell: str) -> pd.Series:
    found = facts[(facts["_source_sheet"] == sheet) & (facts["_source_cell"] == cell)]
    assert len(found) == 1, (sheet, cell)
    return found.iloc[0]


def _failing(check, facts):
    return [i for i in check(facts, entry()) if i.excess > 0]


def test_every_fact_equals_pandas_and_every_cell_is_accounted():
    sheets = pd.read_excel(entry().path, sheet_name=None, header=None)
    non_blank = sum(int(frame.map(lambda v: not (pd.isna(v) or (isinstance(v, str) and not v.strip())))
                        .to_numpy().sum()) for frame in sheets.values())
    counts = result().counts
    assert counts["loaded"] + counts["quarantined"] + counts["ignored"] == non_blank
    assert (counts["loaded"], counts["quarantined"]) == (20 * 3 * 21 * 2 + 17 * 23 + 20 * 11, 0)
    by_name = {name.strip(): frame for name, frame in sheets.items()}
    for fact in result().facts.to_dict("records"):
        column = sum((ord(ch) - 64) * 26**i for i, ch in enumerate(reversed(fact["_source_column"]))) - 1
        printed = by_name[fact["_source_sheet"]].iat[fact["_source_row"] - 1, column]
        assert fact["value"] == pytest.approx(float(printed)), fact["_source_cell"]


# (sheet, cell, region, activity, year, period, back_cast) with the value read by openpyxl
COORDINATES = [
    ("1", "B6", "100000000", "TOTAL", 2024, "Q1", False),
    ("1", "D9", "100000000", "B", 2024, "9M", False),
    ("1", "H8", "150000000", "industry", 2024, "Q1", False),
    ("1", "AS19", "610000000", "L", 2024, "H1", False),
    ("1", "BI26", "790000000", "S", 2024, "9M", False),
    ("2", "C12", "100000000", "E", 2024, "H1", False),
    ("2", "BG9", "790000000", "B", 2024, "Q1", False),
    ("3", "B7", "110000000", "TOTAL", 2019, "Q1", False),
    ("3", "X25", "790000000", "TOTAL", 2024, "9M", False),
    ("4", "B5", "100000000", "TOTAL", 2022, "Q1", True),
    ("4", "C5", "100000000", "TOTAL", 2022, "H1", False),
    ("4", "L24", "790000000", "TOTAL", 2024, "9M", False),
]


@pytest.mark.parametrize("sheet, cell, region, activity, year, period, back_cast", COORDINATES)
def test_figures_equal_openpyxl_by_coordinates(sheet, cell, region, activity, year, period, back_cast):
    book = openpyxl.load_workbook(entry().path, read_only=True, data_only=True)
    printed = book[sheet][cell].value
    fact = fact_at(result().facts, sheet, cell)
    assert fact["value"] == pytest.approx(float(printed))
    assert (fact["region_code"], fact["activity_code"], fact["year"], fact["period"], bool(fact["back_cast"])) == (
        region, activity, year, period, back_cast)


def test_signature_block_is_ignored_and_footnotes_reach_the_note():
    accounting = result().accounting
    signature = accounting[(accounting["sheet"] == "4") & (accounting["reason"] == SIGNATURE)]
    assert int(signature["cells"].sum()) == 13
    facts = result().facts
    assert not (facts[facts["_source_sheet"] == "4"]["_source_row"] >= 27).any()
    real_estate = fact_at(facts, "1", "B19")
    assert real_estate["activity_code"] == "L" and real_estate["note"].startswith("2) According to the 2008 SNA")
    assert set(facts[facts["_source_sheet"] == "1"]["unit"]) == {"thousand tenge per employed person"}


def test_a_zero_index_beside_a_positive_productivity_is_reported():
    # Astana city, mining: productivity 2.6 / 5 / 9.2 thousand tenge (sheet 1 BA9:BC9), its index
    # against 2023 printed 0 (sheet 2 BA9:BC9); Almaty city prints 0 in both (BD9:BF9), consistent.
    instances = checks.index_zero_with_level(result().facts, entry())
    assert sorted((i.cells[0][1], i.excess > 0) for i in instances) == [
        ("BA9", True), ("BB9", True), ("BC9", True), ("BD9", False), ("BE9", False), ("BF9", False)]
    zero = fact_at(result().facts, "2", "BA9")
    assert zero["value"] == 0 and "insignificant value" in zero["note"]


def test_checks_pass_the_release_and_fail_a_modified_copy(tmp_path):
    original = result().facts
    for check in (checks.base_year_100, checks.index_chains, checks.aggregate_between_parts):
        assert check(original, entry()) and _failing(check, original) == []
    path = tmp_path / "productivity.xlsx"
    book = openpyxl.load_workbook(entry().path)
    book["4"]["B6"].value = 101  # Akmola, Q1 2022 of an index with 2022 = 100
    book["2"]["E6"].value = 120.5  # Akmola total, Q1 2024 against Q1 2023 (published 102.9)
    book["1"]["F8"].value = 20000  # Akmola industry, January-June, above all of B-E
    book["1"]["A13"].value = "Building"  # not a declared activity
    book.save(path)
    modified = read(entry(), open_workbook(path, path.name), context())
    assert [(i.indicator, i.year, i.value_column) for i in _failing(checks.base_year_100, modified.facts)] == [
        ("labour_productivity_index_2022", "2022", "Q1")]
    chains = _failing(checks.index_chains, modified.facts)
    assert {(i.indicator, i.year, i.value_column) for i in chains} == {
        ("labour_productivity_index_previous_year", "2024", "Q1"), ("labour_productivity_index_2022", "2022", "Q1")}
    assert [(i.indicator, i.value_column) for i in _failing(checks.aggregate_between_parts, modified.facts)] == [
        ("industry", "H1")]
    assert modified.counts["quarantined"] == 61  # the label and its 60 figures
    assert modified.rejected["reason"].str.contains("'Building' is not among the manifest's activities").all()
