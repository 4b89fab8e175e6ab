"""GDP by production method (layout bns_gdp_by_activity): the three real .xls
releases read against xlrd cell by cell, every cell accounted for, units as
printed, and the checks failing on a modified copy while passing the original."""

from __future__ import annotations

import copy
from functools import lru_cache

import pandas as pd
import pytest
import xlrd

from dagster_project import settings
from dagster_project.ingestion.bns import gdp_checks
from dagster_project.ingestion.bns.gdp_by_activity import read
from dagster_project.ingestion.bns.periods import PeriodHeader, parse_period_header
from dagster_project.ingestion.errors import RawFileError
from dagster_project.ingestion.manifest import load_manifest
from dagster_project.ingestion.workbook import open_workbook

BNS = settings.RAW_DIR / "kazakhstan_bns"
CURRENT, VOLUME, DEFLATOR = ("bns_gdp_by_activity_current_prices", "bns_gdp_volume_index_by_activity",
                             "bns_gdp_deflator_by_activity")


@lru_cache(maxsize=None)
def entry(raw_table: str):
    return {e.raw_table: e for e in load_manifest(BNS)}[raw_table]


@lru_cache(maxsize=None)
def workbook(raw_table: str):
    e = entry(raw_table)
    return open_workbook(e.path, e.relative_path, e.sha256)


@lru_cache(maxsize=None)
def facts(raw_table: str) -> pd.DataFrame:
    return read(entry(raw_table), workbook(raw_table)).facts


def fact_at(raw_table: str, sheet_suffix: str, cell: str) -> pd.Series:
    f = facts(raw_table)
    found = f[f["_source_sheet"].str.endswith(sheet_suffix) & (f["_source_cell"] == cell)]
    assert len(found) == 1, (sheet_suffix, cell)
    return found.iloc[0]


@pytest.mark.parametrize(
    "printed, expected",
    [
        ("1 quarter 2007 year", PeriodHeader("Q1", 2007)),
        ("1 half-year of 2008", PeriodHeader("H1", 2008)),
        ("January-June\n  2022 year", PeriodHeader("H1", 2022)),
        ("9 months of 2014", PeriodHeader("9M", 2014)),
        ("9 months of 2019**", PeriodHeader("9M", 2019, ("**",))),
        ("2017 year1)", PeriodHeader("year", 2017, ("1",))),
        ("20232)", PeriodHeader("year", 2023, ("2",))),
        ("19901)", PeriodHeader("year", 1990, ("1",))),
        (1990.0, PeriodHeader("year", 1990)),
        ("1 quarter \n2020 year", PeriodHeader("Q1", 2020)),
        ("january-june", PeriodHeader("H1", None)),
        ("year", PeriodHeader("year", None)),
        ("NACE", None),
        ("mln. tenge", None),
        ("2010-2024", None),
    ],
)
def test_period_headers(printed, expected):
    assert parse_period_header(printed) == expected


# (file, sheet, xlrd row, xlrd column (0-based, as xlrd counts), activity, year, period, unit)
COORDINATES = [
    (CURRENT, "AUCBNE 1990-1997", 4, 1, "industry", 1990, "year", "mln roubles"),
    (CURRENT, "AUCBNE 1990-1997", 29, 3, "gdp", 1992, "year", "mln roubles"),
    (CURRENT, "AUCBNE 1990-1997", 29, 4, "gdp", 1993, "year", "mln tenge"),
    (CURRENT, "AUCBNE 1990-1997", 25, 8, "fisim", 1997, "year", "mln tenge"),
    (CURRENT, "AUCBNE 1990-1997", 28, 5, "subsidies_on_products", 1994, "year", "mln tenge"),
    (CURRENT, "ОКЭД (ГК РК 03-2003) 1998-2006", 24, 3, "households_as_employers", 2000, "year", "mln tenge"),
    (CURRENT, "ОКЭД (ГК РК 03-2003) 1998-2006", 31, 12, "gdp", 2009, "year", "mln tenge"),
    (CURRENT, "2007-2009", 3, 1, "goods", 2007, "Q1", "mln tenge"),
    (CURRENT, "2007-2009", 17, 6, "communications", 2008, "H1", "mln tenge"),
    (CURRENT, "2007-2009", 29, 12, "subsidies_on_products", 2009, "year", "mln tenge"),
    (CURRENT, "2010-2024", 16, 8, "K", 2011, "year", "mln tenge"),
    (CURRENT, "2010-2024", 16, 7, "K", 2011, "9M", "mln tenge"),
    (CURRENT, "2010-2024", 32, 56, "gdp", 2023, "year", "mln tenge"),
    (CURRENT, "2010-2024", 25, 60, "T", 2024, "year", "mln tenge"),
    (CURRENT, "2010-2024", 5, 58, "industry", 2024, "H1", "mln tenge"),
    (VOLUME, "ОКОНХ 1990-1997", 3, 1, "industry", 1991, "year", None),
    (VOLUME, "ОКОНХ 1990-1997", 28, 7, "gdp", 1997, "year", None),
    (VOLUME, "ОКЭД (ГК РК 03-2003) 1998-2006", 24, 4, "households_as_employers", 2001, "year", None),
    (VOLUME, "2007-2009", 7, 6, "industry", 2008, "H1", None),
    (VOLUME, "2010-2024", 3, 2, "goods", 2010, "H1", None),
    (VOLUME, "2010-2024", 32, 60, "gdp", 2024, "year", None),
    (DEFLATOR, "ОКОНХ 1990-1997", 6, 3, "transport_communications", 1993, "year", None),
    (DEFLATOR, "1998-2006", 31, 9, "gdp", 2006, "year", None),
    (DEFLATOR, "2007-2009", 30, 12, "gdp", 2009, "year", None),
    (DEFLATOR, "2010-2024", 25, 29, "T", 2017, "Q1", None),
    (DEFLATOR, "2010-2024", 16, 1, "K", 2010, "Q1", None),
]


@pytest.mark.parametrize("raw_table, sheet, row, column, activity, year, period, unit", COORDINATES)
def test_figures_equal_xlrd_cell_by_coordinates(raw_table, sheet, row, column, activity, year, period, unit):
    book = xlrd.open_workbook(str(entry(raw_table).path))
    printed = book.sheet_by_name(sheet).cell_value(row, column)
    fact = fact_at(raw_table, sheet, f"{xlrd.colname(column)}{row + 1}")
    expected = float(str(printed).replace(",", ".")) if isinstance(printed, str) else printed
    assert fact["value"] == pytest.approx(expected, abs=1e-9)
    assert (fact["activity_code"], fact["year"], fact["period"], fact["region_code"]) == (
        activity, year, period, "TOTAL")
    if unit:
        assert fact["unit"] == unit


@pytest.mark.parametrize("raw_table", [CURRENT, VOLUME, DEFLATOR])
def test_every_fact_equals_pandas_reading_and_every_cell_is_accounted(raw_table):
    path = entry(raw_table).path
    sheets = pd.read_excel(path, sheet_name=None, header=None, engine="xlrd")
    non_blank = sum(int(frame.map(lambda v: not (pd.isna(v) or (isinstance(v, str) and not v.strip())))
                        .to_numpy().sum()) for frame in sheets.values())
    result = read(entry(raw_table), workbook(raw_table))
    counts = result.counts
    assert counts["loaded"] + counts["quarantined"] + counts["ignored"] == non_blank
    assert counts["quarantined"] == 0
    for _, fact in result.facts.iterrows():
        frame = sheets[fact["_source_sheet"]] if fact["_source_sheet"] in sheets else next(
            f for name, f in sheets.items() if name.strip() == fact["_source_sheet"])
        printed = frame.iat[int(fact["_source_row"]) - 1, xlrd_column(fact["_source_column"])]
        if isinstance(printed, str):
            printed = float(printed.replace(",", "."))
        assert fact["value"] == pytest.approx(printed, abs=1e-9), fact["_source_cell"]


def xlrd_column(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number - 1


def test_unit_follows_the_printed_unit_line_and_comma_decimal_is_read():
    f = facts(CURRENT)
    first = f[f["_source_sheet"] == "AUCBNE 1990-1997"]
    assert set(first[first["year"] <= 1992]["unit"]) == {"mln roubles"}
    assert set(first[first["year"] >= 1993]["unit"]) == {"mln tenge"}
    typed = fact_at(DEFLATOR, "2010-2024", "AD26")
    assert typed["value"] == 108.0 and "decimal comma" in typed["note"]
    flash = fact_at(CURRENT, "2010-2024", "BI33")
    assert flash["note"].startswith("3) flash estimates")


def test_sheets_are_found_by_pattern_and_a_missing_one_is_refused():
    assert {s for s in facts(VOLUME)["_source_sheet"]} >= {"ОКОНХ 1990-1997", "2010-2024"}
    assert "AUCBNE 1990-1997" in set(facts(CURRENT)["_source_sheet"])
    e = copy.deepcopy(entry(CURRENT))
    e.extra["gdp_by_activity"]["sheets"][0]["name_pattern"] = "1989-1997$"
    with pytest.raises(RawFileError, match="1989-1997"):
        read(e, workbook(CURRENT))


def test_gap_marker_is_not_a_zero_and_an_unknown_row_is_quarantined():
    book = copy.deepcopy(workbook(CURRENT))
    sheet = book.sheet("2007-2009")
    sheet.cells[(5, 2)] = "-"  # B5: agriculture Q1 2007
    sheet.cells[(19, 1)] = "Financial intermediation"  # A19 renamed: not a declared row
    result = read(entry(CURRENT), book)
    gap = result.facts[(result.facts["_source_sheet"] == "2007-2009") & (result.facts["_source_cell"] == "B5")]
    assert gap["value"].isna().all() and list(gap["gap_marker"]) == ["-"]
    rejected = result.rejected["reason"]
    assert rejected.str.contains("'Financial intermediation' is not among the rows").sum() == 13
    assert result.counts["quarantined"] == 13  # the label and its 12 figures


def _failing(check, facts_frame, e):
    return [i for i in check(facts_frame, e) if i.excess > 0]


def test_sums_cumulation_and_share_checks_pass_the_release_and_fail_a_misplaced_digit():
    e = entry(CURRENT)
    original = facts(CURRENT)
    assert _failing(gdp_checks.activity_sums, original, e) == []
    assert _failing(gdp_checks.cumulative_periods, original, e) == []
    assert _failing(gdp_checks.share_year_on_year, original, e) == []
    book = copy.deepcopy(workbook(CURRENT))
    sheet = book.sheet("2010-2024")
    sheet.cells[(22, 25)] *= 10  # Y22: education, 2015 year, one digit moved
    sheet.cells[(8, 19)] = 1.0  # S8: manufacturing, H1 2014 below its Q1
    modified = read(e, book).facts
    sums = _failing(gdp_checks.activity_sums, modified, e)
    assert {i.indicator for i in sums} == {"services", "industry"}
    education = next(i for i in sums if i.indicator == "services" and i.year == "2015")
    assert ("2010-2024", "Y22") in education.solutions
    cumulation = _failing(gdp_checks.cumulative_periods, modified, e)
    assert [(i.indicator, i.value_column) for i in cumulation] == [("C", "H1")]
    spikes = _failing(gdp_checks.share_year_on_year, modified, e)
    assert [(i.indicator, i.year) for i in spikes] == [("P", "2015")]


def test_repeated_figures_agree_and_a_changed_copy_fails():
    e = entry(CURRENT)
    assert len(gdp_checks.repeated_figures(facts(CURRENT), e)) == 81
    assert _failing(gdp_checks.repeated_figures, facts(CURRENT), e) == []
    book = copy.deepcopy(workbook(CURRENT))
    book.sheet("2007-2009").cells[(12, 9)] += 1.0  # I12: construction 2008 year
    failing = _failing(gdp_checks.repeated_figures, read(e, book).facts, e)
    assert [(i.indicator, i.year) for i in failing] == [("construction", "2008")]


def test_volume_times_deflator_holds_for_gdp_across_the_rouble_to_tenge_change():
    e = entry(DEFLATOR)
    instances = gdp_checks.volume_times_deflator(facts(DEFLATOR), e)
    gdp_1993 = next(i for i in instances if i.indicator == "gdp" and i.year == "1993")
    # 29423.1 mln tenge / (1217689.2 mln roubles / 500) = 1208.15 %; 90.8 x 1330.6 / 100 = 1208.18 %
    assert gdp_1993.expected == pytest.approx(29423.1 / (1217689.2 / 500) * 100)
    assert gdp_1993.excess <= 0
    without_rate = copy.deepcopy(e)
    without_rate.extra["gdp_by_activity"]["currency_rates"] = []
    assert not [i for i in gdp_checks.volume_times_deflator(facts(DEFLATOR), without_rate) if i.year == "1993"]
    agreeing = sum(i.excess <= 0 for i in instances)
    assert len(instances) > 2000 and agreeing / len(instances) > 0.8


def test_each_index_release_checks_the_identity_with_its_own_cells():
    from_deflator = gdp_checks.volume_times_deflator(facts(DEFLATOR), entry(DEFLATOR))
    from_volume = gdp_checks.volume_times_deflator(facts(VOLUME), entry(VOLUME))
    assert len(from_volume) == len(from_deflator)
    assert sum(i.excess > 0 for i in from_volume) == sum(i.excess > 0 for i in from_deflator)
    first = from_volume[0]
    assert not first.cells[0][0].startswith("bns_") and first.cells[1][0].startswith(DEFLATOR)
    assert set(first.solutions) == {first.cells[0]}


def test_section_letters_are_the_frames_and_todays_labels_name_them():
    """The manifest maps rows to today's ОКЭД sections by hand; every letter is a
    section of the frame, and every row of today's classification (2010-2024)
    prints the frame's English label, except BNS's two typos."""
    import csv

    with open(settings.RAW_DIR / "kazakhstan_frame" / "oked_sections.csv", encoding="utf-8") as handle:
        frame = {r["industry_code"]: r["label_en"] for r in csv.DictReader(handle) if r["level"] == "section"}
    sheets = entry(CURRENT).extra["gdp_by_activity"]["sheets"]
    mapped = [row for sheet in sheets for row in sheet["rows"] if row.get("section")]
    assert {row["section"] for row in mapped} <= set(frame)
    today = next(s for s in sheets if s["classification"] == "OKED_2007")["rows"]
    differing = {row["section"] for row in today if row.get("section")
                 and " ".join(row["label"].split()).casefold() != frame[row["section"]].casefold()}
    assert differing <= {"A", "T"}  # 'forestry ang fishing', 'undifferentiated godds'


def test_printed_precision_is_the_tables_and_spikes_need_a_return():
    from dagster_project.ingestion.bns.series_checks import share_spike_instances
    from dagster_project.ingestion.bns.series_tools import parse_printed_figure, printed_half_units

    table = pd.DataFrame({"measure": "m", "_source_sheet": "s",
                          "value": [1528.4, 1528.0, 108.34928650148717, 103.65, 7.1]})
    assert list(printed_half_units(table)) == pytest.approx([0.05] * 5)
    whole = pd.DataFrame({"measure": "m", "_source_sheet": "s", "value": [14901641.0, 799179.0]})
    assert list(printed_half_units(whole)) == [0.5, 0.5]
    assert parse_printed_figure("108,0")[0].value == 108.0
    with pytest.raises(ValueError):
        parse_printed_figure("108,0,1")

    def series(*shares):
        return [({"activity_code": "x", "year": 2000 + i, "period": "year", "cell": ("s", f"B{i}")}, share)
                for i, share in enumerate(shares)]

    def failing(*shares):
        return [int(i.year) - 2000 for i in share_spike_instances("c", series(*shares), "x") if i.excess > 0]

    assert failing(0.01, 0.1, 0.011) == [1]  # up by ten and back: a moved digit
    assert failing(0.0137, 0.0042, 0.00038, 0.001, 0.0017) == []  # public associations 1992-1996: a real fall
    assert failing(0.01, 0.011, 0.2) == [2]  # the last year, twenty times its neighbour
    assert failing(0.01, 0.03, 0.01) == []  # tripled and back: within a factor of five
