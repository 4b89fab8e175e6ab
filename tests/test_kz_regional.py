"""Kazakhstan's regional marts against an independent pandas computation on
the same cells of BNS's employment release (tests/kz_employment_reference.py
reads the workbook with pandas and hand-written label dictionaries, not the
project's reader or resolver).

Every check is a function of a read-only DuckDB connection, so the same checks
run on the shared refreshed warehouse (the tests below, marked slow through
the ``refreshed`` fixture) and on any warehouse an analyst refreshed."""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from tests.kz_employment_reference import read_reference

CELL_KEY = ["year", "region_code", "industry_code"]
# The labour force survey's annual figures, as BNS prints them.
SECTIONS = list("ABCDEFGHIJKLMNOPQRSTU")
COMPARABLE_UNITS = Path(__file__).resolve().parents[1] / "data/raw/kazakhstan_frame/kato_comparable_units.csv"


@pytest.fixture(scope="module")
def reference() -> pd.DataFrame:
    """The annual cells of TEA_regions, activity_code renamed industry_code."""
    cells = read_reference()
    annual = cells[cells["period"] == "year"].rename(columns={"activity_code": "industry_code"})
    return annual.reset_index(drop=True)


@pytest.fixture(scope="module")
def connection(refreshed: dict):
    result = refreshed["result"]
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    with duckdb.connect(str(refreshed["published"]), read_only=True) as opened:
        yield opened


def _frame(connection: duckdb.DuckDBPyConnection, sql: str) -> pd.DataFrame:
    return connection.execute(sql).df()


def expected_location_quotients(reference: pd.DataFrame) -> pd.DataFrame:
    """LQ = (e_ri / e_r) / (E_i / E) with the release's own totals: e_r the
    region's 'Total' row, E_i the republic's column, E the republic's total."""
    cells = reference[(reference["region_code"] != "TOTAL") & (reference["industry_code"] != "TOTAL")]
    region_totals = reference[(reference["industry_code"] == "TOTAL") & (reference["region_code"] != "TOTAL")]
    industry_totals = reference[(reference["region_code"] == "TOTAL") & (reference["industry_code"] != "TOTAL")]
    economy_totals = reference[(reference["region_code"] == "TOTAL") & (reference["industry_code"] == "TOTAL")]
    out = cells[CELL_KEY + ["value", "back_cast"]].merge(
        region_totals[["year", "region_code", "value"]].rename(columns={"value": "region_total"}),
        on=["year", "region_code"], how="left",
    ).merge(
        industry_totals[["year", "industry_code", "value"]].rename(columns={"value": "industry_total"}),
        on=["year", "industry_code"], how="left",
    ).merge(
        economy_totals[["year", "value"]].rename(columns={"value": "economy_total"}), on="year", how="left",
    )
    out["lq"] = out["value"] / out["region_total"] / (out["industry_total"] / out["economy_total"])
    return out


def _comparable_unit_of() -> dict[str, str]:
    units = pd.read_csv(COMPARABLE_UNITS, dtype=str)
    return {
        member: row.comparable_unit_code
        for row in units.itertuples()
        for member in row.member_region_codes.split("|")
    }


def expected_comparable_units(reference: pd.DataFrame) -> pd.DataFrame:
    """Sum each comparable unit's members (a gap in any member is a gap)."""
    lq = expected_location_quotients(reference)
    lq["comparable_unit_code"] = lq["region_code"].map(_comparable_unit_of())
    grouped = lq.groupby(["year", "comparable_unit_code", "industry_code"])
    out = grouped.agg(
        value=("value", lambda v: v.sum() if v.notna().all() else np.nan),
        region_total=("region_total", "sum"),
        industry_total=("industry_total", "first"),
        economy_total=("economy_total", "first"),
        member_count=("region_code", "size"),
        back_cast=("back_cast", "any"),
    ).reset_index().rename(columns={"comparable_unit_code": "region_code"})
    out["lq"] = out["value"] / out["region_total"] / (out["industry_total"] / out["economy_total"])
    return out


def _compare(mart: pd.DataFrame, expected: pd.DataFrame, key: list[str], columns: list[str]) -> None:
    joined = mart.merge(expected, on=key, how="outer", suffixes=("_mart", "_expected"), indicator=True)
    only = joined[joined["_merge"] != "both"]
    assert only.empty, only[key + ["_merge"]].head(20).to_string()
    for column in columns:
        got = joined[f"{column}_mart"].astype(float).to_numpy()
        want = joined[f"{column}_expected"].astype(float).to_numpy()
        np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12, equal_nan=True, err_msg=column)


# ------------------------------------------------------------------ the checks


def check_location_quotients(connection: duckdb.DuckDBPyConnection, reference: pd.DataFrame) -> None:
    mart = _frame(connection, """
        select year, region_code, industry_code, value, region_total, industry_total, economy_total, lq,
               region_total_published and industry_total_published and economy_total_published
                   as all_published
        from marts.fct_location_quotients
        where economy_code = 'KZ' and classification = 'OKED_SECTION' and measure = 'employment'
    """)
    expected = expected_location_quotients(reference)
    _compare(mart, expected, CELL_KEY, ["value", "region_total", "industry_total", "economy_total", "lq"])
    # The release prints every total it is reconciled against: none is a sum here,
    # except where the republic itself prints a gap (section T in 2015).
    assert mart.loc[mart["industry_total"].notna(), "all_published"].all()
    # 17 units through 2021 (Turkestan and Shymkent already apart), 20 from 2022.
    units = mart.groupby("year")["region_code"].nunique()
    assert set(units[units.index <= 2021]) == {17} and set(units[units.index >= 2022]) == {20}


def check_reconciliation(connection: duckdb.DuckDBPyConnection, reference: pd.DataFrame) -> None:
    """Published region totals against the sum of the sections (B-E is an
    aggregate, never summed): the differences the reconciliation reports."""
    mart = _frame(connection, """
        select year, region_code, published_value, summed_value
        from marts.fct_regional_total_reconciliation
        where economy_code = 'KZ' and total_kind = 'region'
    """)
    sections = reference[reference["industry_code"].isin(SECTIONS) & (reference["region_code"] != "TOTAL")]
    summed = sections.groupby(["year", "region_code"])["value"].sum().rename("summed_value").reset_index()
    published = reference[(reference["industry_code"] == "TOTAL") & (reference["region_code"] != "TOTAL")]
    expected = published[["year", "region_code", "value"]].rename(columns={"value": "published_value"})
    _compare(mart, expected.merge(summed, on=["year", "region_code"]), ["year", "region_code"],
             ["published_value", "summed_value"])


def check_comparable_units(connection: duckdb.DuckDBPyConnection, reference: pd.DataFrame) -> None:
    mart = _frame(connection, """
        select year, region_code, industry_code, value, region_total, industry_total, economy_total, lq,
               member_count, back_cast
        from marts.fct_comparable_unit_location_quotients
        where economy_code = 'KZ' and measure = 'employment'
    """)
    expected = expected_comparable_units(reference)
    _compare(mart, expected, CELL_KEY,
             ["value", "region_total", "industry_total", "economy_total", "lq", "member_count"])
    flags = mart.merge(expected, on=CELL_KEY, suffixes=("_mart", "_expected"))
    assert (flags["back_cast_mart"] == flags["back_cast_expected"]).all()
    # every unit reaches back to 2010, so a series from 2010 exists for each
    assert mart.groupby("region_code")["year"].min().eq(2010).all()


def check_comparable_units_sum_their_parts(connection: duckdb.DuckDBPyConnection) -> None:
    """The mart's own series against the official units' mart, unit by unit."""
    units = _frame(connection, """
        select year, region_code as comparable_unit_code, industry_code, value, region_total
        from marts.fct_comparable_unit_location_quotients where economy_code = 'KZ'
    """)
    parts = _frame(connection, """
        select lq.year, regions.comparable_unit_code, lq.industry_code,
               sum(lq.value) as value, sum(lq.region_total) as region_total
        from marts.fct_location_quotients as lq
        join marts.dim_region as regions using (economy_code, region_code)
        where lq.economy_code = 'KZ'
        group by all
        having count(lq.value) = count(*)
    """)
    key = ["year", "comparable_unit_code", "industry_code"]
    joined = parts.merge(units, on=key, suffixes=("_parts", "_unit"))
    assert len(joined) == len(parts) and len(parts) > 0
    np.testing.assert_allclose(joined["value_unit"], joined["value_parts"], rtol=1e-12)
    np.testing.assert_allclose(joined["region_total_unit"], joined["region_total_parts"], rtol=1e-12)
    east = joined[(joined["comparable_unit_code"] == "cu_10_63") & (joined["year"] == 2024)]
    assert len(east) == 20  # 19 sections + B-E, summed over Abai and East Kazakhstan


def check_comparable_unit_growth_and_shift_share(connection: duckdb.DuckDBPyConnection,
                                                 reference: pd.DataFrame) -> None:
    mart = _frame(connection, """
        select shifts.region_code, shifts.industry_code, shifts.value_base, shifts.value_end, growth.cagr,
               shifts.national_growth_effect, shifts.industry_mix_effect, shifts.regional_shift_effect
        from marts.fct_comparable_unit_shift_share as shifts
        join marts.fct_comparable_unit_growth as growth
            using (economy_code, classification, measure, region_code, industry_code)
        where shifts.economy_code = 'KZ' and shifts.measure = 'employment'
    """)
    units = expected_comparable_units(reference)
    base, end = units[units["year"] == 2010], units[units["year"] == 2024]
    both = base.merge(end, on=["region_code", "industry_code"], suffixes=("_0", "_t"))
    g = both["economy_total_t"] / both["economy_total_0"] - 1
    g_i = both["industry_total_t"] / both["industry_total_0"] - 1
    g_ri = both["value_t"] / both["value_0"] - 1
    ratio = both["value_t"] / both["value_0"]
    expected = pd.DataFrame({
        "region_code": both["region_code"],
        "industry_code": both["industry_code"],
        "value_base": both["value_0"],
        "value_end": both["value_t"],
        "cagr": np.where((both["value_0"] > 0) & (both["value_t"] > 0), ratio ** (1 / 14) - 1, np.nan),
        "national_growth_effect": both["value_0"] * g,
        "industry_mix_effect": both["value_0"] * (g_i - g),
        "regional_shift_effect": both["value_0"] * (g_ri - g_i),
    })
    _compare(mart, expected, ["region_code", "industry_code"],
             ["value_base", "value_end", "cagr", "national_growth_effect", "industry_mix_effect",
              "regional_shift_effect"])


def check_specialisation_indices(connection: duckdb.DuckDBPyConnection, reference: pd.DataFrame) -> None:
    """Hachman HI = 1 / Σ s_ri² / s_i and Krugman K = Σ |s_ri - s_i^rest| over
    the sections with a value, on the comparable units."""
    mart = _frame(connection, """
        select year, region_code, hachman_index, krugman_index
        from marts.fct_comparable_unit_specialisation_indices
        where economy_code = 'KZ' and measure = 'employment'
    """)
    units = expected_comparable_units(reference)
    known = units[units["industry_code"].isin(SECTIONS) & units["value"].notna()].copy()
    region = known.groupby(["year", "region_code"])["value"].transform("sum")
    industry = known.groupby(["year", "industry_code"])["value"].transform("sum")
    economy = known.groupby("year")["value"].transform("sum")
    known["s_r"] = known["value"] / region
    known["s"] = industry / economy
    known["rest"] = (industry - known["value"]) / (economy - region)
    known["h"] = np.where(known["s"] > 0, known["s_r"] ** 2 / known["s"], 0.0)
    known["k"] = (known["s_r"] - known["rest"]).abs()
    expected = known.groupby(["year", "region_code"]).agg(h=("h", "sum"), krugman_index=("k", "sum"))
    expected["hachman_index"] = 1 / expected.pop("h")
    _compare(mart, expected.reset_index(), ["year", "region_code"], ["hachman_index", "krugman_index"])


def check_back_casts(connection: duckdb.DuckDBPyConnection, reference: pd.DataFrame) -> None:
    mart = _frame(connection, """
        select year, region_code, industry_code, value from marts.fct_regional_back_casts
        where economy_code = 'KZ'
    """)
    flagged = reference[reference["back_cast"] & (reference["industry_code"] != "TOTAL")]
    _compare(mart, flagged[CELL_KEY + ["value"]], CELL_KEY, ["value"])
    assert set(mart["region_code"]) == {"610000000", "790000000"} and mart["year"].max() == 2017


def check_drivers(connection: duckdb.DuckDBPyConnection) -> None:
    drivers = _frame(connection, """
        select unit_basis, region_code, industry_code, lq, growth_rate, driver_class
        from marts.fct_driver_industries where economy_code = 'KZ'
    """)
    lq = _frame(connection, """
        select region_code, industry_code, lq from marts.fct_location_quotients
        where economy_code = 'KZ' and year = 2024 and in_partition
    """)
    official = drivers[drivers["unit_basis"] == "region"]
    assert official["region_code"].nunique() == 20
    joined = official.merge(lq, on=["region_code", "industry_code"], suffixes=("", "_mart"))
    assert len(joined) == len(official)
    np.testing.assert_allclose(joined["lq"], joined["lq_mart"], rtol=1e-12)
    # Units whose territory changed in 2022, and the three new ones, carry no growth.
    changed = {"190000000", "350000000", "630000000", "100000000", "330000000", "620000000"}
    assert official[official["region_code"].isin(changed)]["growth_rate"].isna().all()
    assert official[~official["region_code"].isin(changed)]["growth_rate"].notna().any()
    comparable = drivers[drivers["unit_basis"] == "comparable_unit"]
    assert comparable["region_code"].nunique() == len(pd.read_csv(COMPARABLE_UNITS))
    # Seed 003's core for East Kazakhstan (non-ferrous metallurgy, machinery) lies in section C.
    east = comparable[comparable["region_code"] == "cu_10_63"].set_index("industry_code")
    assert east.loc["C", "driver_class"] == "competitive"


def check_mining_metallurgy_cluster(connection: duckdb.DuckDBPyConnection, reference: pd.DataFrame) -> None:
    """Seed 003's mining-metallurgical template meets the section panel in B, C
    and E: its employment in an oblast is the sum of those three sections."""
    mart = _frame(connection, """
        select year, region_code, cluster_employment, panel_industry_codes
        from marts.fct_regional_clusters
        where economy_code = 'KZ' and cluster_id = 's003_t2-T02'
    """)
    assert set(mart["panel_industry_codes"]) == {"B,C,E"}
    cells = reference[reference["industry_code"].isin(["B", "C", "E"]) & (reference["region_code"] != "TOTAL")]
    expected = cells.groupby(["year", "region_code"])["value"].sum().rename("cluster_employment").reset_index()
    _compare(mart.drop(columns="panel_industry_codes"), expected, ["year", "region_code"], ["cluster_employment"])


def check_value_added(connection: duckdb.DuckDBPyConnection) -> None:
    """Derived GVA = productivity (Jan-Sep 2024) x mean employment of Q1-Q3,
    recomputed from the productivity facts and the pandas reading of the
    employment workbook; LQs on it and on the same employment; the republic's
    published GVA of the same months is matched within 0.5 % except in L."""
    mart = _frame(connection, """
        select region_code, industry_code, gva_derived, lq_gva, lq_employment, industry_gva_published
        from marts.fct_value_added_location_quotients where economy_code = 'KZ'
    """)
    productivity = _frame(connection, """
        select region_code, case when activity_code = 'industry' then 'B-E' else activity_code end
               as industry_code, value as productivity
        from raw.bns_labour_productivity_by_region_activity
        where measure = 'labour_productivity' and period = '9M' and year = 2024 and region_code <> 'TOTAL'
    """)
    cells = read_reference()
    quarters = cells[(cells["year"] == 2024) & cells["period"].isin(["Q1", "Q2", "Q3"])]
    mean = quarters.groupby(["region_code", "activity_code"])["value"].mean().rename("employment").reset_index()
    joined = productivity.merge(mean.rename(columns={"activity_code": "industry_code"}),
                                on=["region_code", "industry_code"])
    joined["gva_derived"] = joined["productivity"] * joined["employment"]
    sections = joined[joined["industry_code"].isin(SECTIONS)].copy()

    def lq(frame: pd.DataFrame, column: str) -> pd.Series:
        region = frame.groupby("region_code")[column].transform("sum")
        industry = frame.groupby("industry_code")[column].transform("sum")
        return frame[column] / region / (industry / frame[column].sum())

    sections["lq_gva"] = lq(sections, "gva_derived")
    sections["lq_employment"] = lq(sections, "employment")
    key = ["region_code", "industry_code"]
    _compare(mart[mart["industry_code"].isin(SECTIONS)].drop(columns="industry_gva_published"),
             sections[key + ["gva_derived", "lq_gva", "lq_employment"]], key,
             ["gva_derived", "lq_gva", "lq_employment"])
    national = mart.groupby("industry_code").agg(derived=("gva_derived", "sum"),
                                                 published=("industry_gva_published", "first"))
    national = national[national.index.isin(SECTIONS)]
    off = (national["derived"] / national["published"] - 1).abs()
    assert set(off[off > 0.005].index) == {"L"}, off.to_dict()


def check_official_growth_covers_one_territory(connection: duckdb.DuckDBPyConnection) -> None:
    """fct_regional_growth has no Kazakhstan row whose 2010 and 2024 levels
    describe different territories, and a row for every unit that kept its own."""
    regions = set(_frame(connection, """
        select distinct region_code from marts.fct_regional_growth where economy_code = 'KZ'
    """)["region_code"])
    reduced = {"190000000", "350000000", "630000000"}  # lost Zhetisu, Ulytau, Abai in 2022
    new = {"100000000", "330000000", "620000000"}  # exist from 2022 only
    unchanged = set(pd.read_csv(Path(__file__).resolve().parents[1] / "data/raw/kazakhstan_frame/kato_regions.csv",
                                dtype=str)["region_code"]) - reduced - new - {"510000000"}
    assert regions == unchanged


# ------------------------------------------------------------------ the tests


def test_location_quotients_match_pandas(connection, reference) -> None:
    check_location_quotients(connection, reference)


def test_reconciliation_matches_pandas(connection, reference) -> None:
    check_reconciliation(connection, reference)


def test_comparable_units_match_pandas(connection, reference) -> None:
    check_comparable_units(connection, reference)


def test_comparable_units_sum_their_parts(connection) -> None:
    check_comparable_units_sum_their_parts(connection)


def test_comparable_unit_growth_and_shift_share_match_pandas(connection, reference) -> None:
    check_comparable_unit_growth_and_shift_share(connection, reference)


def test_comparable_unit_specialisation_indices_match_pandas(connection, reference) -> None:
    check_specialisation_indices(connection, reference)


def test_back_cast_flags_are_carried(connection, reference) -> None:
    check_back_casts(connection, reference)


def test_driver_industries_of_every_oblast(connection) -> None:
    check_drivers(connection)


def test_mining_metallurgy_cluster_employment(connection, reference) -> None:
    check_mining_metallurgy_cluster(connection, reference)


def test_value_added_derived_and_its_location_quotients(connection) -> None:
    check_value_added(connection)


def test_official_growth_covers_one_territory(connection) -> None:
    check_official_growth_covers_one_territory(connection)
