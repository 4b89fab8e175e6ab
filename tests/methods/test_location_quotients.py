"""Location quotients and regional indicators: the reference implementations
against hand-worked cases and independent numpy/pandas computations on the
shipped real panels, and (marked slow) every figure of the warehouse marts
against an independent pandas computation from the raw CSV files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from dagster_project import settings
from dagster_project.methods.location_quotients import (
    cagr,
    classify_lq,
    cross_industry_lq,
    flegg_lambda,
    flq_matrix,
    hachman_index,
    krugman_index,
    location_quotient,
    location_quotients,
    regionalise_coefficients,
    shift_share,
)

REGIONAL = settings.RAW_DIR / "regional"

# ---------------------------------------------------------------- hand-worked cases


def test_lq_of_a_two_by_two_economy():
    # R1: 30 in i1, 70 in i2; R2: 10 and 90. E = 200, E_i1 = 40, E_i2 = 160.
    # LQ(R1,i1) = (30/100)/(40/200) = 1.5, LQ(R1,i2) = 0.7/0.8 = 0.875,
    # LQ(R2,i1) = 0.1/0.2 = 0.5, LQ(R2,i2) = 0.9/0.8 = 1.125.
    frame = pd.DataFrame(
        {
            "economy_code": "X",
            "classification": "T",
            "year": 2020,
            "measure": "employment",
            "region_code": ["R1", "R1", "R2", "R2"],
            "industry_code": ["i1", "i2", "i1", "i2"],
            "value": [30.0, 70.0, 10.0, 90.0],
        }
    )
    out = location_quotients(frame)
    np.testing.assert_allclose(out["lq"], [1.5, 0.875, 0.5, 1.125])
    np.testing.assert_allclose(out["region_total"], [100, 100, 100, 100])
    np.testing.assert_allclose(out["industry_total"], [40, 160, 40, 160])
    np.testing.assert_allclose(out["economy_total"], 200)


def test_of_which_line_gets_an_lq_but_is_not_counted_in_totals():
    # B-E = 50 contains C = 40; counting C as well would inflate e_r to 140.
    frame = pd.DataFrame(
        {
            "economy_code": "X",
            "classification": "A10",
            "year": 2020,
            "measure": "employment",
            "region_code": ["R1"] * 3 + ["R2"] * 3,
            "industry_code": ["B-E", "C", "F"] * 2,
            "value": [50.0, 40.0, 50.0, 20.0, 10.0, 80.0],
            "in_partition": [True, False, True] * 2,
        }
    )
    out = location_quotients(frame, in_partition="in_partition")
    np.testing.assert_allclose(out["region_total"], [100] * 6)
    np.testing.assert_allclose(out["economy_total"], 200)
    # LQ(R1, C) = (40/100)/(50/200) = 1.6
    assert out.loc[1, "lq"] == pytest.approx(1.6)


def test_gaps_get_no_lq_and_are_left_out_of_totals():
    assert np.isnan(location_quotient(np.nan, 100, 40, 200))
    assert np.isnan(location_quotient(10, 0, 40, 200))
    frame = pd.DataFrame(
        {
            "economy_code": "X",
            "classification": "T",
            "year": 2020,
            "measure": "employment",
            "region_code": ["R1", "R1", "R2", "R2"],
            "industry_code": ["i1", "i2", "i1", "i2"],
            "value": [30.0, np.nan, 10.0, 90.0],
        }
    )
    out = location_quotients(frame)
    assert np.isnan(out.loc[1, "lq"])
    assert out.loc[0, "region_total"] == 30 and out.loc[0, "economy_total"] == 130


def test_lq_classes_follow_the_thresholds():
    classes = classify_lq([2.0, 1.999, 1.25, 1.2499, 0.3, np.nan])
    assert list(classes) == [
        "star",
        "specialised",
        "specialised",
        "not_specialised",
        "not_specialised",
        None,
    ]
    assert list(classify_lq([1.5], specialised=1.6, star=3.0)) == ["not_specialised"]
    with pytest.raises(ValueError):
        classify_lq([1.0], specialised=2.0, star=1.5)


def test_flegg_lambda_hand_worked():
    # E_r/E = 0.1: log2(1.1) = ln 1.1 / ln 2 = 0.0953101798 / 0.6931471806
    # = 0.1375035237; ln 0.1375035237 = -1.9841023; x 0.3 = -0.5952307;
    # e^-0.5952307 = 0.5514348.
    assert float(flegg_lambda(0.1, 0.3)) == pytest.approx(0.5514348, abs=1e-7)
    # E_r/E = 0.5: log2(1.5) = 0.5849625; ln = -0.5361434; x 0.3 = -0.1608430;
    # e^-0.1608430 = 0.8514093.
    assert float(flegg_lambda(0.5, 0.3)) == pytest.approx(0.8514093, abs=1e-7)
    # A region as large as the economy: log2(2) = 1, so λ = 1 for any δ; δ = 0
    # switches the size adjustment off.
    assert float(flegg_lambda(1.0, 0.3)) == 1.0 and float(flegg_lambda(0.1, 0.0)) == 1.0
    with pytest.raises(ValueError):
        flegg_lambda(0.1, 1.0)
    with pytest.raises(ValueError):
        flegg_lambda(1.5)


def test_flq_matrix_hand_worked():
    # SLQ: i = 1.5, j = 0.75. CILQ_ij = 2, CILQ_ji = 0.5. With E_r/E = 0.1,
    # λ = 0.5514348: FLQ_ij = 1.1028696, FLQ_ji = 0.2757174, and on the
    # diagonal λ·SLQ: FLQ_ii = 0.8271522, FLQ_jj = 0.4135761.
    flq = flq_matrix(pd.Series({"i": 1.5, "j": 0.75}), region_share=0.1, delta=0.3)
    expected = [[0.8271522, 1.1028696], [0.2757174, 0.4135761]]
    np.testing.assert_allclose(flq.to_numpy(), expected, atol=1e-7)
    assert list(flq.index) == ["i", "j"] and list(flq.columns) == ["i", "j"]
    np.testing.assert_allclose(cross_industry_lq([1.5, 0.75], [0.75, 1.5]), [2.0, 0.5])
    assert np.isnan(cross_industry_lq(1.0, 0.0))


def test_regionalised_coefficients_cap_flq_at_one():
    # Miller & Blair (2009) 2x2 coefficients; FLQ above 1 leaves a_ij as is.
    national = pd.DataFrame([[0.15, 0.25], [0.20, 0.05]], index=["a", "b"], columns=["a", "b"])
    flq = pd.DataFrame([[0.8, 1.2], [0.5, 1.0]], index=["a", "b"], columns=["a", "b"])
    regional = regionalise_coefficients(national, flq)
    np.testing.assert_allclose(regional.to_numpy(), [[0.12, 0.25], [0.10, 0.05]])
    with pytest.raises(ValueError):
        regionalise_coefficients(national, flq.loc[["b", "a"]])


def test_cagr_and_shift_share_hand_worked():
    # 100 -> 121 in two years is 10 % a year.
    assert float(cagr(100, 121, 2)) == pytest.approx(0.10)
    assert (
        np.isnan(cagr(0, 121, 2)) and np.isnan(cagr(np.nan, 121, 2)) and np.isnan(cagr(100, 121, 0))
    )
    # e_ri: 100 -> 130, E_i: 1000 -> 1100, E: 10000 -> 10500:
    # g = 0.05, g_i = 0.10, g_ri = 0.30; national 5, mix 5, regional 20.
    out = shift_share(100, 130, 1000, 1100, 10000, 10500).iloc[0]
    assert out["national_growth_effect"] == pytest.approx(5.0)
    assert out["industry_mix_effect"] == pytest.approx(5.0)
    assert out["regional_shift_effect"] == pytest.approx(20.0)
    assert out["change"] == pytest.approx(30.0)
    # A cell that starts at zero: the whole change is regional.
    zero = shift_share(0, 7, 1000, 1100, 10000, 10500).iloc[0]
    assert (
        zero["national_growth_effect"],
        zero["industry_mix_effect"],
        zero["regional_shift_effect"],
    ) == (0, 0, 7)


def test_specialisation_indices_hand_worked():
    # Krugman: the Farhauer/Kroell example of REAT's krugman.spec, two regions
    # with no industry in common: shares (0.2, 0.1, 0.7, 0, 0) and (0, 0, 0,
    # 0.6, 0.4) differ by 2, the maximum.
    assert krugman_index([20, 10, 70, 0, 0], [0, 0, 0, 60, 40]) == pytest.approx(2.0)
    assert krugman_index([1, 2, 3], [2, 4, 6]) == pytest.approx(0.0)
    # Hachman: region shares (0.5, 0.5), economy shares (0.25, 0.75):
    # Σ s_r²/s = 0.25/0.25 + 0.25/0.75 = 4/3, HI = 0.75.
    assert hachman_index([5, 5], [25, 75]) == pytest.approx(0.75)
    assert hachman_index([1, 3], [10, 30]) == pytest.approx(1.0)


# ---------------------------------------------------------------- real panels, independent numpy


def _de_sections_matrix(column: str) -> pd.DataFrame:
    raw = pd.read_csv(REGIONAL / "germany_laender_sections_2015.csv")
    return raw.pivot(index="region_code", columns="ind_code", values=column)


@pytest.mark.parametrize("column", ["emp_all", "firms"])
def test_module_lq_equals_matrix_algebra_on_german_sections(column):
    matrix = _de_sections_matrix(column)
    m = matrix.to_numpy(dtype=float)
    expected = (m / m.sum(axis=1, keepdims=True)) / (m.sum(axis=0) / m.sum())
    long = matrix.stack().rename("value").reset_index()
    long = long.rename(columns={"ind_code": "industry_code"}).assign(
        economy_code="DE", classification="WZ2008_SECTION", year=2015, measure=column
    )
    out = location_quotients(long).set_index(["region_code", "industry_code"])["lq"].unstack()
    np.testing.assert_allclose(
        out.loc[matrix.index, matrix.columns].to_numpy(), expected, rtol=1e-12
    )
    # Employment-weighted mean of every industry's LQs over the Länder is 1.
    weights = m.sum(axis=1) / m.sum()
    np.testing.assert_allclose(weights @ expected, np.ones(m.shape[1]), rtol=1e-12)


def test_module_indices_equal_direct_formulas_on_eu28():
    raw = pd.read_csv(REGIONAL / "eu28_countries_nace_a10.csv")
    raw = raw[(raw["time"] == 2016) & ~raw["geo"].isin(["IS", "NO"])]
    matrix = raw.pivot(index="geo", columns="nace_r2", values="emp1000").to_numpy(dtype=float)
    shares = matrix / matrix.sum(axis=1, keepdims=True)
    national = matrix.sum(axis=0) / matrix.sum()
    for r, row in enumerate(matrix):
        rest = matrix.sum(axis=0) - row
        assert krugman_index(row, rest) == pytest.approx(
            np.abs(shares[r] - rest / rest.sum()).sum(), rel=1e-12
        )
        assert hachman_index(row, matrix.sum(axis=0)) == pytest.approx(
            1 / np.sum(shares[r] ** 2 / national), rel=1e-12
        )


# ---------------------------------------------------------------- the warehouse marts (slow)

# Region and industry names of the German groups panel, written out here so
# that this reference does not reuse the loader's name resolution.
DE_GROUP_REGIONS = {
    "Baden-Wuerttemberg": "DE-BW",
    "Bayern": "DE-BY",
    "Berlin": "DE-BE",
    "Brandenburg": "DE-BB",
    "Bremen": "DE-HB",
    "Freistaat Sachsen": "DE-SN",
    "Hamburg": "DE-HH",
    "Hessen": "DE-HE",
    "Mecklenburg-Vorpommern": "DE-MV",
    "Niedersachsen": "DE-NI",
    "Nordrhein-Westfalen": "DE-NW",
    "Rheinland-Pfalz": "DE-RP",
    "Saarland": "DE-SL",
    "Sachsen-Anhalt": "DE-ST",
    "Schleswig-Holstein": "DE-SH",
    "Thueringen": "DE-TH",
    "Insgesamt": "TOTAL",
}
DE_GROUP_INDUSTRIES = {
    "Land- und Forstwirtschaft, Fischerei (A)": "A",
    "Produzierendes Gewerbe ohne Baugewerbe (B-E)": "B-E",
    "Verarbeitendes Gewerbe (C)": "C",
    "Baugewerbe (F)": "F",
    "Handel, Gastgewerbe, Verkehr (G-I)": "G-I",
    "Information und Kommunikation (J)": "J",
    "Erbringung von Finanz- und Vers.leistungen (K)": "K",
    "Grundstuecks- und Wohnungswesen (L)": "L",
    "Freiberufl,wissenschaftl. techn. Dienstl.,sonst.DL": "M_N",
    "oeff.Verw.,Verteidig.,Sozialvers.,Erz.-u.Unterricht": "O-Q",
    "Kunst, Unterhaltung, Erholung, Priv. Haush.,usw.": "R-U",
    "Insgesamt": "TOTAL",
}
KEY = ["economy_code", "classification", "year", "measure", "region_code", "industry_code"]


def reference_cells() -> pd.DataFrame:
    """The three panels as region × industry cells with the totals the issue
    prescribes: the release's own where printed (German groups), sums otherwise."""
    sections = pd.read_csv(REGIONAL / "germany_laender_sections_2015.csv")
    de15 = pd.concat(
        [
            sections.assign(measure=m, value=sections[c])
            for m, c in (("employment", "emp_all"), ("firms", "firms"))
        ]
    ).assign(
        economy_code="DE",
        classification="WZ2008_SECTION",
        year=2015,
        region_code=lambda d: "DE-" + d["region_code"],
        industry_code=lambda d: d["ind_code"].str[5:],
    )
    eu = pd.read_csv(REGIONAL / "eu28_countries_nace_a10.csv")
    eu = eu[~eu["geo"].isin(["IS", "NO"])].assign(
        economy_code="EU28",
        classification="NACE_A10",
        measure="employment",
        year=lambda d: d["time"].astype(int),
        region_code=lambda d: d["geo"],
        industry_code=lambda d: d["nace_r2"],
        value=lambda d: d["emp1000"],
    )
    summed = []
    for panel in (de15, eu):
        panel = panel[KEY + ["value"]].copy()
        part = ["economy_code", "classification", "year", "measure"]
        panel["region_total"] = panel.groupby(part + ["region_code"])["value"].transform("sum")
        panel["industry_total"] = panel.groupby(part + ["industry_code"])["value"].transform("sum")
        panel["economy_total"] = panel.groupby(part)["value"].transform("sum")
        summed.append(panel)

    groups = pd.read_csv(REGIONAL / "germany_laender_groups_2008_2014.csv").assign(
        economy_code="DE",
        classification="NACE_A10",
        measure="employment",
        year=lambda d: d["year"].astype(int),
        region_code=lambda d: d["region"].map(DE_GROUP_REGIONS),
        industry_code=lambda d: d["industry"].map(DE_GROUP_INDUSTRIES),
        value=lambda d: d["emp"],
    )[KEY + ["value"]]
    printed = groups.set_index(["year", "region_code", "industry_code"])["value"]
    cells = groups[(groups["region_code"] != "TOTAL") & (groups["industry_code"] != "TOTAL")].copy()
    cells["region_total"] = [
        printed[(y, r, "TOTAL")] for y, r in zip(cells["year"], cells["region_code"])
    ]
    cells["industry_total"] = [
        printed[(y, "TOTAL", i)] for y, i in zip(cells["year"], cells["industry_code"])
    ]
    cells["economy_total"] = [printed[(y, "TOTAL", "TOTAL")] for y in cells["year"]]

    out = pd.concat(summed + [cells], ignore_index=True)
    out["in_partition"] = ~((out["classification"] == "NACE_A10") & (out["industry_code"] == "C"))
    out["lq"] = (out["value"] / out["region_total"]) / (
        out["industry_total"] / out["economy_total"]
    )
    return out


# The reference economies' panels, read here from their CSV files; Kazakhstan's
# BNS panel is checked against its own independent reading in tests/test_kz_regional.py.
REFERENCE_ECONOMIES = "select * from {table} where economy_code <> 'KZ'"


@pytest.fixture(scope="module")
def regional_marts(tmp_path_factory) -> duckdb.DuckDBPyConnection:
    """Load the regional raw data into a temporary warehouse and build the
    regional marts with dbt (the project's own models, nothing mocked)."""
    from dagster_project.ingestion import cli
    from dagster_project.ingestion.frames import FrameCatalog
    from dagster_project.ingestion.regional_release.warehouse import read_releases, release_entries, write_releases

    root = tmp_path_factory.mktemp("regional_marts")
    published = root / "klaster.duckdb"
    previous = os.environ.get(settings.WAREHOUSE_ENV_VAR)
    os.environ[settings.WAREHOUSE_ENV_VAR] = str(published)
    try:
        assert (
            cli.main(["load", "--dataset", "regional_frames", "--dataset", "kazakhstan_frame",
                      "--dataset", "kazakhstan_bns"]) == 0
        )
        dirs = settings.dataset_dirs()
        combined = read_releases(release_entries(dirs), FrameCatalog.from_dataset_dirs(dirs))
        with duckdb.connect(str(settings.build_warehouse_path(published))) as connection:
            write_releases(connection, combined)
        dbt = Path(sys.executable).parent / "dbt"
        run = subprocess.run(
            [
                str(dbt),
                "run",
                "--select",
                "+path:models/marts/regional",
                "--profiles-dir",
                ".",
                "--target-path",
                str(root / "target"),
                "--log-path",
                str(root / "logs"),
            ],
            check=False,
            cwd=settings.DBT_PROJECT_DIR,
            capture_output=True,
            text=True,
            env=dict(os.environ),
        )
        assert run.returncode == 0, run.stdout[-3000:]
    finally:
        if previous is None:
            os.environ.pop(settings.WAREHOUSE_ENV_VAR, None)
        else:
            os.environ[settings.WAREHOUSE_ENV_VAR] = previous
    connection = duckdb.connect(str(settings.build_warehouse_path(published)), read_only=True)
    yield connection
    connection.close()


@pytest.mark.slow
def test_every_location_quotient_equals_pandas(regional_marts):
    expected = reference_cells()
    actual = regional_marts.sql(REFERENCE_ECONOMIES.format(table="marts.fct_location_quotients")).df()
    assert len(actual) == len(expected) == 16 * 17 * 2 + 16 * 11 * 7 + 28 * 10 * 10
    merged = actual.merge(expected, on=KEY, suffixes=("", "_expected"), validate="one_to_one")
    for column in ("value", "region_total", "industry_total", "economy_total", "lq"):
        np.testing.assert_allclose(
            merged[column], merged[f"{column}_expected"], rtol=1e-12, err_msg=column
        )
    assert (merged["in_partition"] == merged["in_partition_expected"]).all()
    np.testing.assert_array_equal(
        merged["lq_class"].to_numpy(object), classify_lq(merged["lq_expected"])
    )
    published = merged["classification"].eq("NACE_A10") & merged["economy_code"].eq("DE")
    assert merged.loc[published, ["region_total_published", "industry_total_published"]].all().all()
    assert not merged.loc[~published, "region_total_published"].any()


@pytest.mark.slow
def test_every_flegg_quotient_equals_numpy(regional_marts):
    cells = reference_cells()
    cells = cells[cells["in_partition"]]
    actual = regional_marts.sql(REFERENCE_ECONOMIES.format(table="marts.fct_cross_industry_location_quotients")).df()
    expected = []
    for (economy, classification, year, measure, region), g in cells.groupby(
        ["economy_code", "classification", "year", "measure", "region_code"]
    ):
        share = g["region_total"].iloc[0] / g["economy_total"].iloc[0]
        flq = flq_matrix(g.set_index("industry_code")["lq"], share, 0.3).stack()
        expected.append(
            pd.DataFrame(
                {
                    "economy_code": economy,
                    "classification": classification,
                    "year": year,
                    "measure": measure,
                    "region_code": region,
                    "supplying_industry_code": flq.index.get_level_values(0),
                    "buying_industry_code": flq.index.get_level_values(1),
                    "flq_expected": flq.to_numpy(),
                    "lambda_expected": float(flegg_lambda(share, 0.3)),
                }
            )
        )
    expected = pd.concat(expected, ignore_index=True)
    keys = [
        "economy_code",
        "classification",
        "year",
        "measure",
        "region_code",
        "supplying_industry_code",
        "buying_industry_code",
    ]
    merged = actual.merge(expected, on=keys, validate="one_to_one")
    assert len(merged) == len(actual) == len(expected)
    np.testing.assert_allclose(merged["flq"], merged["flq_expected"], rtol=1e-12)
    np.testing.assert_allclose(merged["flq_lambda"], merged["lambda_expected"], rtol=1e-12)
    np.testing.assert_allclose(
        merged["coefficient_factor"], np.minimum(merged["flq_expected"], 1), rtol=1e-12
    )


@pytest.mark.slow
def test_every_growth_and_shift_share_figure_equals_pandas(regional_marts):
    cells = reference_cells()
    panel = ["economy_code", "classification", "measure"]
    span = cells.groupby(panel)["year"].agg(["min", "max"]).query("min < max")
    rows = []
    for (economy, classification, measure), (base, end) in span.iterrows():
        g = cells[
            (cells["economy_code"] == economy)
            & (cells["classification"] == classification)
            & (cells["measure"] == measure)
        ]
        b = g[g["year"] == base].set_index(["region_code", "industry_code"])
        e = g[g["year"] == end].set_index(["region_code", "industry_code"]).loc[b.index]
        effects = shift_share(
            b["value"],
            e["value"],
            b["industry_total"],
            e["industry_total"],
            b["economy_total"],
            e["economy_total"],
        )
        rows.append(
            effects.assign(
                economy_code=economy,
                classification=classification,
                measure=measure,
                region_code=b.index.get_level_values(0),
                industry_code=b.index.get_level_values(1),
                cagr=cagr(b["value"], e["value"], end - base),
                industry_cagr=cagr(b["industry_total"], e["industry_total"], end - base),
            )
        )
    expected = pd.concat(rows, ignore_index=True)
    keys = panel + ["region_code", "industry_code"]
    growth = regional_marts.sql(REFERENCE_ECONOMIES.format(table="marts.fct_regional_growth")).df()
    shares = regional_marts.sql(REFERENCE_ECONOMIES.format(table="marts.fct_shift_share")).df()
    assert len(growth) == len(shares) == len(expected) == 16 * 11 + 28 * 10
    merged = growth.merge(shares, on=keys, suffixes=("", "_ss")).merge(
        expected, on=keys, suffixes=("", "_expected"), validate="one_to_one"
    )
    for column in (
        "cagr",
        "industry_cagr",
        "change",
        "national_growth_effect",
        "industry_mix_effect",
        "regional_shift_effect",
    ):
        np.testing.assert_allclose(
            merged[column], merged[f"{column}_expected"], rtol=1e-9, atol=1e-9, err_msg=column
        )


@pytest.mark.slow
def test_every_specialisation_index_equals_the_module(regional_marts):
    cells = reference_cells()
    cells = cells[cells["in_partition"]]
    actual = regional_marts.sql(REFERENCE_ECONOMIES.format(table="marts.fct_specialisation_indices")).df()
    keys = ["economy_code", "classification", "year", "measure"]
    checked = 0
    for key, g in cells.groupby(keys):
        matrix = g.pivot(index="region_code", columns="industry_code", values="value")
        economy = matrix.sum(axis=0).to_numpy()
        for region, row in matrix.iterrows():
            found = actual[
                (actual[keys] == pd.Series(key, index=keys)).all(axis=1)
                & (actual["region_code"] == region)
            ].iloc[0]
            values = row.to_numpy()
            assert found["hachman_index"] == pytest.approx(
                hachman_index(values, economy), rel=1e-12
            )
            assert found["krugman_index"] == pytest.approx(
                krugman_index(values, economy - values), rel=1e-12
            )
            assert found["krugman_index_vs_economy"] == pytest.approx(
                krugman_index(values, economy), rel=1e-12
            )
            checked += 1
    assert checked == len(actual) == 16 * 2 + 16 * 7 + 28 * 10
