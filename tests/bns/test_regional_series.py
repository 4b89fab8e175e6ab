"""Series by region (layout bns_regional_series): gross regional product and
population read against pandas and openpyxl by coordinates, every cell
accounted for, homoglyph names resolved, back-casts and restatements, and the
checks failing on copies modified with openpyxl while passing the originals."""

from __future__ import annotations

from functools import lru_cache

import openpyxl
import pandas as pd
import pytest

from dagster_project import settings
from dagster_project.ingestion.bns import regional_series_checks as checks
from dagster_project.ingestion.bns.layouts import ReaderContext
from dagster_project.ingestion.bns.regional_series import read
from dagster_project.ingestion.errors import RawFileError
from dagster_project.ingestion.manifest import load_manifest
from dagster_project.ingestion.workbook import open_workbook

BNS = settings.RAW_DIR / "kazakhstan_bns"
GRP, POPULATION = "bns_grp_by_region", "bns_population_by_region"


@lru_cache(maxsize=None)
def entry(raw_table: str):
    return {e.raw_table: e for e in load_manifest(BNS)}[raw_table]


@lru_cache(maxsize=None)
def context() -> ReaderContext:
    return ReaderContext.from_settings()


@lru_cache(maxsize=None)
def result(raw_table: str):
    e = entry(raw_table)
    return read(e, open_workbook(e.path, e.relative_path, e.sha256), context())


def facts(raw_table: str) -> pd.DataFrame:
    return result(raw_table).facts


def fact_at(raw_table: str, sheet: str, cell: str) -> pd.Series:
    f = facts(raw_table)
    found = f[(f["_source_sheet"] == sheet) & (f["_source_cell"] == cell)]
    assert len(found) == 1, (sheet, cell)
    return found.iloc[0]


def read_copy(raw_table: str, path):
    return read(entry(raw_table), open_workbook(path, path.name), context())


def _failing(check, frame, e):
    return [i for i in check(frame, e) if i.excess > 0]


@pytest.mark.parametrize("raw_table", [GRP, POPULATION])
def test_every_fact_equals_pandas_and_every_cell_is_accounted(raw_table):
    sheets = pd.read_excel(entry(raw_table).path, sheet_name=None, header=None)
    non_blank = sum(int(frame.map(lambda v: not (pd.isna(v) or (isinstance(v, str) and not v.strip())))
                        .to_numpy().sum()) for frame in sheets.values())
    counts = result(raw_table).counts
    assert counts["loaded"] + counts["quarantined"] + counts["ignored"] == non_blank
    assert counts["quarantined"] == 0
    by_name = {name.strip(): frame for name, frame in sheets.items()}
    for fact in facts(raw_table).to_dict("records"):
        printed = by_name[fact["_source_sheet"]].iat[fact["_source_row"] - 1, _column(fact["_source_column"])]
        assert fact["value"] == pytest.approx(float(printed)), fact["_source_cell"]


def _column(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number - 1


# (file, sheet, cell, region, year, period, unit, back_cast) with the value read by openpyxl
COORDINATES = [
    (GRP, "1990-1997", "B4", "TOTAL", 1990, "year", "mln roubles", False),
    (GRP, "1990-1997", "D11", "350000000", 1992, "year", "mln roubles", False),
    (GRP, "1990-1997", "E4", "TOTAL", 1993, "year", "mln tenge", False),
    (GRP, "1990-1997", "I19", "710000000", 1997, "year", "mln tenge", False),
    (GRP, "1998-2007", "K20", "750000000", 2007, "year", "mln tenge", False),
    (GRP, "2008-2023", "B4", "TOTAL", 2008, "Q1", "mln tenge", False),
    (GRP, "2008-2023", "D9", "230000000", 2008, "9M", "mln tenge", False),
    (GRP, "2008-2023", "AP17", "510000000", 2018, "Q1", "mln tenge", False),
    (GRP, "2008-2023", "AO20", "610000000", 2017, "year", "mln tenge", True),
    (GRP, "2008-2023", "AQ25", "790000000", 2018, "H1", "mln tenge", False),
    (GRP, "2008-2023", "BE5", "100000000", 2021, "year", "mln tenge", True),
    (GRP, "2008-2023", "BG5", "100000000", 2022, "H1", "mln tenge", False),
    (GRP, "2008-2023", "BM24", "750000000", 2023, "year", "mln tenge", False),
    (POPULATION, "Все население", "B2", "TOTAL", 2000, "year", None, False),
    (POPULATION, "Все население", "Q17", "510000000", 2015, "year", None, False),
    (POPULATION, "Все население", "S17", "610000000", 2017, "year", None, True),
    (POPULATION, "Все население", "S22", "790000000", 2017, "year", None, True),
    (POPULATION, "Все население", "X3", "100000000", 2022, "year", None, True),
    (POPULATION, "Все население", "Y3", "100000000", 2023, "year", None, False),
    (POPULATION, "Мужчины", "B8", "TOTAL", 2000, "year", "persons, at the beginning of the year", False),
    (POPULATION, "Мужчины", "Y48", "710000000", 2023, "year", None, False),
    (POPULATION, "Женщины", "M69", "630000000", 2011, "year", None, False),
]


@pytest.mark.parametrize("raw_table, sheet, cell, region, year, period, unit, back_cast", COORDINATES)
def test_figures_equal_openpyxl_by_coordinates(raw_table, sheet, cell, region, year, period, unit, back_cast):
    book = openpyxl.load_workbook(entry(raw_table).path, read_only=True, data_only=True)
    name = next(n for n in book.sheetnames if n.strip() == sheet)
    printed = book[name][cell].value
    fact = fact_at(raw_table, sheet, cell)
    assert fact["value"] == pytest.approx(float(printed))
    assert (fact["region_code"], fact["year"], fact["period"], bool(fact["back_cast"])) == (
        region, year, period, back_cast)
    if unit:
        assert fact["unit"] == unit


@pytest.mark.parametrize(
    "row, code",
    [(6, "150000000"), (7, "190000000"), (8, "230000000"), (11, "350000000"), (12, "390000000"),
     (13, "430000000"), (14, "470000000"), (17, "590000000")],
)
def test_cyrillic_homoglyph_names_resolve_to_their_kato_codes(row, code):
    f = facts(GRP)
    rows = f[(f["_source_sheet"] == "1990-1997") & (f["_source_row"] == row)]
    label = rows["source_region"].iloc[0]
    assert any("\u0400" <= ch <= "\u04ff" for ch in label), label  # really typeset with a Cyrillic letter
    assert set(rows["region_code"]) == {code}


def test_population_restatement_and_dashes_are_not_zeros():
    f = facts(POPULATION)
    turkestan = f[(f["_source_sheet"] == "Все население") & (f["_source_row"] == 17)]
    assert set(turkestan[turkestan["year"] <= 2016]["region_code"]) == {"510000000"}
    assert set(turkestan[turkestan["year"] >= 2017]["region_code"]) == {"610000000"}
    assert turkestan[turkestan["year"] <= 2016]["note"].str.contains("Южно-Казахстанской").all()
    sheets = pd.read_excel(entry(POPULATION).path, sheet_name=None, header=None)
    dashes = sum(int((frame == "-").to_numpy().sum()) for frame in sheets.values())
    accounting = result(POPULATION).accounting
    ignored_dashes = accounting[accounting["reason"].str.startswith("'-' for a unit not in force")]["cells"].sum()
    assert dashes == ignored_dashes == 547
    assert not (f["value"] == 0).any()


def test_regions_sum_and_identities_pass_the_originals_and_fail_modified_copies(tmp_path):
    assert _failing(checks.regions_sum_to_republic, facts(GRP), entry(GRP)) == []
    assert _failing(checks.cumulative_periods, facts(GRP), entry(GRP)) == []
    assert _failing(checks.share_year_on_year, facts(GRP), entry(GRP)) == []
    assert _failing(checks.regions_sum_to_republic, facts(POPULATION), entry(POPULATION)) == []
    assert _failing(checks.measure_identities, facts(POPULATION), entry(POPULATION)) == []

    # The republic's row of the GRP release is an Excel formula over the region rows
    # (AG4 = AG6+...+AG24 without the back-cast Turkistan and Shymkent rows), which a
    # copy saved by openpyxl recomputes; the published total is typed back as a number.
    saved = openpyxl.load_workbook(entry(GRP).path, data_only=True)["2008-2023"]["AG4"].value
    grp = tmp_path / "grp.xlsx"
    book = openpyxl.load_workbook(entry(GRP).path)
    book["2008-2023"]["AG4"].value = saved
    book["2008-2023"]["AG15"].value *= 10  # Kyzylorda, 2015 year: one digit moved
    book["2008-2023"]["AE13"].value = 1.0  # Karaganda, H1 2015 below its Q1
    book.save(grp)
    modified = read_copy(GRP, grp).facts
    sums = _failing(checks.regions_sum_to_republic, modified, entry(GRP))
    assert [(i.year, i.value_column) for i in sums] == [("2015", "year")]
    assert sums[0].solutions[("2008-2023", "AG15")] == pytest.approx(
        fact_at(GRP, "2008-2023", "AG15")["value"])
    assert [(i.indicator, i.value_column) for i in _failing(checks.cumulative_periods, modified, entry(GRP))] == [
        ("350000000", "H1")]
    assert [(i.indicator, i.year) for i in _failing(checks.share_year_on_year, modified, entry(GRP))] == [
        ("430000000", "2015")]

    population = tmp_path / "population.xlsx"
    book = openpyxl.load_workbook(entry(POPULATION).path)
    book["Мужчины"]["L12"].value += 1000  # Almaty oblast, men, 2010
    book.save(population)
    modified = read_copy(POPULATION, population).facts
    identities = _failing(checks.measure_identities, modified, entry(POPULATION))
    assert sorted(i.indicator for i in identities) == ["population", "population_male"]
    assert all(i.year == "2010" for i in identities)
    assert [i.indicator for i in _failing(checks.regions_sum_to_republic, modified, entry(POPULATION))] == [
        "population_male"]


def test_a_unit_footnote_that_no_longer_says_roubles_refuses_the_file(tmp_path):
    path = tmp_path / "grp.xlsx"
    book = openpyxl.load_workbook(entry(GRP).path)
    sheet = next(book[n] for n in book.sheetnames if n.strip() == "1990-1997")
    sheet["A22"].value = "1) 1990-1992 - thousand tenge"
    book.save(path)
    with pytest.raises(RawFileError, match="footnote 1 reads"):
        read_copy(GRP, path)


def test_regions_resolve_on_the_day_a_figure_refers_to():
    from datetime import date

    from dagster_project.ingestion.bns.series_tools import resolve_region_at

    regions = context().regions
    south = resolve_region_at(regions, "Ontustik Kazakhstan", date(2018, 3, 31), 2022)
    assert (south.code, south.back_cast) == ("510000000", False)  # abolished 18 June 2018, valid on 31 March
    assert resolve_region_at(regions, "Ontustik Kazakhstan", date(2018, 12, 31), 2022).code is None
    abai = resolve_region_at(regions, "Абай", date(2022, 1, 1), 2022)
    assert (abai.code, abai.back_cast) == ("100000000", True)  # counted on 1 January, created 8 June
    assert resolve_region_at(regions, "Абай", date(2022, 1, 1), None).code is None
    assert resolve_region_at(regions, "Abay", date(2022, 6, 30), None).back_cast is False
    turkistan = resolve_region_at(regions, "Turkistan", date(2011, 12, 31), 2022)
    assert (turkistan.code, turkistan.back_cast) == ("610000000", True)


def test_grp_of_the_republic_is_the_gdp_but_for_the_republished_2023():
    instances = checks.republic_equals_release(facts(GRP), entry(GRP))
    assert len(instances) == 10 + 64  # 1998-2007 and the 64 periods of 2008-2023
    failing = [i for i in instances if i.excess > 0]
    # GRP 2023 is 'preliminary' (footnote 2); GDP 2023 was republished after revisions (its footnote 2)
    assert [(i.year, i.value_column, i.observed, i.expected) for i in failing] == [
        ("2023", "year", 120561096.4, 119442289.7)]
