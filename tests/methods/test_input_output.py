"""Input-output numerics against independent references: Miller & Blair's
printed 2x2 example, the published backward linkages of the Germany 1995
table (Eurostat manual), the published Type I compensation multipliers of the
Netherlands 2000 table, numpy's general inverse, and pymrio (a different
implementation) on the BEA 71-industry table to 1e-9."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pymrio
import pytest

from dagster_project.ingestion.manifest import load_manifest
from dagster_project.ingestion.text_table import read_text_table
from dagster_project.methods import input_output as io
from dagster_project.methods import supply_use as su
from tests.methods.reference_cells import cells_from_text_table
from tests.methods.reference_input_output import (
    closed_coefficient_matrix,
    closed_inverse,
    ghosh_inverse,
    square_to_long,
)

ROOT = Path(__file__).resolve().parents[2]
IO_DIR = ROOT / "data" / "raw" / "io"
REFERENCE_DIR = ROOT / "data" / "raw" / "io_reference"
TOLERANCE = 0.01


# --------------------------------------------------------------------------- #
# helpers
# --------------------------------------------------------------------------- #
def _entries(directory: Path) -> dict:
    return {e.raw_table: e for e in load_manifest(directory)}


@pytest.fixture(scope="module")
def io_entries() -> dict:
    return _entries(IO_DIR)


@pytest.fixture(scope="module")
def layout(io_entries) -> pd.DataFrame:
    frame = read_text_table(io_entries["io_table_layout"])
    return frame.astype(str)


def _cells(io_entries, layout, raw_table: str) -> pd.DataFrame:
    return cells_from_text_table(
        read_text_table(io_entries[raw_table]), layout[layout["raw_table"] == raw_table]
    )


def _published(text: str) -> tuple[float, float]:
    """A printed number and half a unit of its last printed digit."""
    exponent = Decimal(text.strip()).as_tuple().exponent
    return float(text), 0.5 * 10.0**exponent


def _random_productive(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    Z = rng.uniform(0, 100, size=(n, n)) * (rng.random((n, n)) < 0.6)
    x = Z.sum(axis=0) / rng.uniform(0.3, 0.8, size=n) + 1.0
    return Z, x


# --------------------------------------------------------------------------- #
# Miller & Blair (2009), section 2.3
# --------------------------------------------------------------------------- #
def test_miller_blair_two_sector_example():
    ref = read_text_table(_entries(REFERENCE_DIR)["io_reference_miller_blair_2x2"])
    ref["row"] = ref["row"].astype(int) - 1
    ref["col"] = pd.to_numeric(ref["col"]).astype("Int64") - 1

    def matrix(item: str) -> tuple[np.ndarray, np.ndarray]:
        part = ref[ref["item"] == item]
        values, tolerances = np.zeros((2, 2)), np.zeros((2, 2))
        for r, c, text in zip(part["row"], part["col"], part["value"]):
            values[r, c], tolerances[r, c] = _published(text)
        return values, tolerances

    def vector(item: str) -> np.ndarray:
        part = ref[ref["item"] == item].sort_values("row")
        return part["value"].astype(float).to_numpy()

    Z, _ = matrix("Z")
    x = vector("x")
    A_published, A_tol = matrix("A")
    L_published, L_tol = matrix("L")

    A = io.technical_coefficients(Z, x)
    L = io.leontief_inverse(A)
    assert np.all(np.abs(A - A_published) <= A_tol + 1e-12)
    assert np.all(np.abs(L - L_published) <= L_tol + 1e-12)
    # x = L f reproduces the printed output from the printed final demand.
    np.testing.assert_allclose(L @ vector("f"), x, rtol=1e-12)


# --------------------------------------------------------------------------- #
# general properties against numpy
# --------------------------------------------------------------------------- #
@pytest.mark.parametrize("n, seed", [(5, 1), (40, 2), (120, 3)])
def test_leontief_inverse_matches_numpy_and_is_nonnegative(n, seed):
    Z, x = _random_productive(n, seed)
    A = io.technical_coefficients(Z, x)
    L = io.leontief_inverse(A)
    np.testing.assert_allclose(L, np.linalg.inv(np.eye(n) - A), rtol=1e-10, atol=1e-12)
    assert (L >= 0).all()
    assert (np.diag(L) >= 1).all()
    np.testing.assert_allclose(A.sum(axis=0), Z.sum(axis=0) / x)


def test_ghosh_inverse_equals_direct_inversion_of_allocation_coefficients():
    Z, x = _random_productive(30, 4)
    L = io.leontief_inverse(io.technical_coefficients(Z, x))
    B = Z / x[:, None]
    np.testing.assert_allclose(ghosh_inverse(L, x), np.linalg.inv(np.eye(30) - B), rtol=1e-10)


def test_rasmussen_linkages_from_explicit_inverses():
    Z, x = _random_productive(25, 5)
    n = 25
    L = np.linalg.inv(np.eye(n) - Z / x[None, :])
    G = np.linalg.inv(np.eye(n) - Z / x[:, None])
    links = io.rasmussen_linkages(io.leontief_inverse(io.technical_coefficients(Z, x)), x)
    np.testing.assert_allclose(links.backward, L.sum(0) / (L.sum() / n), rtol=1e-10)
    np.testing.assert_allclose(links.forward, G.sum(1) / (G.sum() / n), rtol=1e-10)
    np.testing.assert_allclose(links.backward.mean(), 1.0)
    expected_key = (L.sum(0) / (L.sum() / n) > 1) & (G.sum(1) / (G.sum() / n) > 1)
    np.testing.assert_array_equal(links.key_sector, expected_key)


def test_household_closure_equals_inverse_of_closed_matrix():
    Z, x = _random_productive(20, 6)
    rng = np.random.default_rng(7)
    compensation = x * rng.uniform(0.1, 0.3, size=20)
    consumption = compensation.sum() * 0.7 * rng.dirichlet(np.ones(20))
    A = io.technical_coefficients(Z, x)
    L = io.leontief_inverse(A)
    closure = io.household_closure(L, x, compensation, consumption)
    closed = np.linalg.inv(np.eye(21) - closed_coefficient_matrix(A, closure))
    np.testing.assert_allclose(closed_inverse(closure, L), closed, rtol=1e-10)
    weights = rng.uniform(0, 1, size=20)
    np.testing.assert_allclose(closure.effects(L, weights), weights @ closed[:20, :20], rtol=1e-10)
    np.testing.assert_allclose(closure.household_income_effects(), closed[20, :20], rtol=1e-10)
    # Type II output multipliers exceed Type I: the induced round adds demand.
    assert (closure.effects(L, np.ones(20)) > L.sum(axis=0)).all()


def test_type_ii_is_undefined_when_households_spend_more_than_the_loop_allows():
    Z, x = _random_productive(4, 8)
    L = io.leontief_inverse(io.technical_coefficients(Z, x))
    compensation = 0.6 * x
    consumption = 3.0 * compensation.sum() * np.full(4, 0.25)
    frame, closure = io.multiplier_table(
        L, x, ["a", "b", "c", "d"], compensation=compensation, household_consumption=consumption
    )
    assert not closure.productive
    type_ii = frame[frame["model_type"] == io.TYPE_II]
    assert not type_ii.empty and type_ii["total_effect"].isna().all()


def test_multiplier_table_definitions():
    Z, x = _random_productive(6, 9)
    va = 0.4 * x
    L = io.leontief_inverse(io.technical_coefficients(Z, x))
    frame, _ = io.multiplier_table(L, x, list("abcdef"), value_added=va)
    out = frame[frame["measure"] == io.OUTPUT]
    np.testing.assert_allclose(out["multiplier"], L.sum(axis=0))
    vam = frame[frame["measure"] == io.VALUE_ADDED]
    np.testing.assert_allclose(vam["total_effect"], (va / x) @ L)
    np.testing.assert_allclose(vam["multiplier"], ((va / x) @ L) / (va / x))
    assert set(frame["measure"]) == {io.OUTPUT, io.VALUE_ADDED}


# --------------------------------------------------------------------------- #
# errors name the table and the industries
# --------------------------------------------------------------------------- #
def test_singular_system_names_table_and_industries():
    A = np.array([[0.5, 0.5, 0.0], [0.5, 0.5, 0.0], [0.1, 0.1, 0.2]])
    with pytest.raises(io.IOModelError, match=r"'toy'.*singular.*agri.*manu") as err:
        io.leontief_inverse(A, table="toy", labels=["agri", "manu", "serv"])
    assert err.value.industries and "serv" not in " ".join(err.value.industries)


def test_non_productive_table_is_refused():
    A = np.array([[0.6, 0.7], [0.7, 0.6]])
    with pytest.raises(io.IOModelError, match="not productive"):
        io.leontief_inverse(A, table="toy", labels=["a", "b"])


def test_non_positive_output_is_refused_with_industry_names():
    with pytest.raises(io.IOModelError, match=r"b \(output -5\).*c \(output 0\)|b \(output -5\)"):
        io.technical_coefficients(
            np.ones((3, 3)), np.array([10.0, -5.0, 0.0]), table="t", labels=["a", "b", "c"]
        )


# --------------------------------------------------------------------------- #
# FLQ regionalisation
# --------------------------------------------------------------------------- #
def test_regionalise_coefficients_caps_at_national_coefficients():
    Z, x = _random_productive(8, 10)
    A = io.technical_coefficients(Z, x)
    flq = np.random.default_rng(11).uniform(0.2, 1.8, size=(8, 8))
    regional = io.regionalise_coefficients(A, flq)
    np.testing.assert_allclose(regional, np.where(flq < 1, A * flq, A))
    assert (regional <= A + 1e-15).all()
    # Smaller coefficients, smaller multipliers: regional leakage lowers them.
    assert (io.leontief_inverse(regional).sum(0) <= io.leontief_inverse(A).sum(0) + 1e-12).all()
    with pytest.raises(ValueError, match="finite"):
        io.regionalise_coefficients(A, np.where(np.eye(8) == 1, np.nan, flq))


def test_long_square_round_trip_and_duplicates():
    M = np.arange(9.0).reshape(3, 3)
    long = square_to_long(M, ["a", "b", "c"], "v", row_name="r", column_name="c")
    np.testing.assert_array_equal(
        io.long_to_square(
            long, ["a", "b", "c"], row_column="r", column_column="c", value_column="v"
        ),
        M,
    )
    with pytest.raises(ValueError, match="duplicated"):
        io.long_to_square(
            pd.concat([long, long.head(1)]),
            ["a", "b", "c"],
            row_column="r",
            column_column="c",
            value_column="v",
        )


# --------------------------------------------------------------------------- #
# published results of real tables
# --------------------------------------------------------------------------- #
def test_germany_1995_backward_linkages_match_the_eurostat_manual(io_entries, layout):
    table = su.symmetric_from_cells(
        "de_1995_siot", _cells(io_entries, layout, "io_de_1995_siot"), relative_tolerance=TOLERANCE
    )
    result = io.analyse_table(table.Z, table.x, table.labels)
    reference = read_text_table(_entries(REFERENCE_DIR)["io_reference_de_1995_backward_linkages"])
    code_of = dict(
        layout.loc[
            (layout["raw_table"] == "io_de_1995_siot") & (layout["axis"] == "column"),
            ["source_label", "code"],
        ].values
    )
    computed = dict(zip(table.labels, result.linkages.backward_raw))
    for sector, text in zip(reference["sector"], reference["backward_linkage_colsum_L"]):
        value, half_unit = _published(text)
        assert abs(computed[code_of[sector]] - value) <= half_unit, sector


def test_netherlands_2000_type_i_compensation_multipliers_match_published(io_entries, layout):
    table = su.symmetric_from_cells(
        "nl_2000_siot", _cells(io_entries, layout, "io_nl_2000_siot"), relative_tolerance=TOLERANCE
    )
    result = io.analyse_table(
        table.Z, table.x, table.labels, compensation=table.primary_inputs["compensation"]
    )
    m = result.multipliers
    type_i = m[(m["measure"] == io.COMPENSATION) & (m["model_type"] == io.TYPE_I)].set_index(
        "industry_code"
    )
    reference = read_text_table(
        _entries(REFERENCE_DIR)["io_reference_nl_2000_compensation_multipliers"]
    )
    assert len(reference) == table.n
    for sector, text in zip(reference["sector"], reference["compensation_multiplier_type1"]):
        value, half_unit = _published(text)
        assert abs(type_i.loc[sector, "multiplier"] - value) <= half_unit, sector


def test_bea_71_equals_pymrio(io_entries, layout):
    """Every published quantity of the BEA 71-industry table against pymrio's
    own implementation (calc_A, calc_L, calc_B/calc_G by a second inversion,
    calc_S/calc_M), the closed Type II model included."""
    table = su.symmetric_from_supply_use(
        "us_2021_bea_71",
        _cells(io_entries, layout, "io_us_2021_supply_71"),
        _cells(io_entries, layout, "io_us_2021_use_71"),
        relative_tolerance=TOLERANCE,
    )
    labels = table.labels
    va = table.primary_inputs["value_added"]
    comp = table.primary_inputs["compensation"]
    ours = io.analyse_table(
        table.Z,
        table.x,
        labels,
        value_added=va,
        compensation=comp,
        household_consumption=table.household_consumption,
    )
    Z = pd.DataFrame(table.Z, index=labels, columns=labels)
    x = pd.DataFrame({"indout": table.x}, index=labels)
    A = pymrio.calc_A(Z, x)
    L = pymrio.calc_L(A)
    G = pymrio.calc_G(pymrio.calc_B(Z, x))
    F = pd.DataFrame([va, comp], index=["value_added", "compensation"], columns=labels)
    M = pymrio.calc_M(pymrio.calc_S(F, x), L)

    assert np.abs(ours.A - A.to_numpy()).max() <= 1e-9
    assert np.abs(ours.L - L.to_numpy()).max() <= 1e-9
    assert np.abs(ghosh_inverse(ours.L, table.x) - G.to_numpy()).max() <= 1e-9
    m = ours.multipliers.set_index(["measure", "model_type", "industry_code"])[
        "total_effect"
    ].sort_index()
    assert (
        np.abs(
            m.loc[(io.OUTPUT, io.TYPE_I)].reindex(labels).to_numpy() - L.sum(axis=0).to_numpy()
        ).max()
        <= 1e-9
    )
    assert (
        np.abs(
            m.loc[(io.VALUE_ADDED, io.TYPE_I)].reindex(labels).to_numpy()
            - M.loc["value_added"].to_numpy()
        ).max()
        <= 1e-9
    )
    assert (
        np.abs(
            m.loc[(io.COMPENSATION, io.TYPE_I)].reindex(labels).to_numpy()
            - M.loc["compensation"].to_numpy()
        ).max()
        <= 1e-9
    )

    closed = pymrio.calc_L(closed_coefficient_matrix(ours.A, ours.closure))
    n = len(labels)
    assert (
        np.abs(
            m.loc[(io.OUTPUT, io.TYPE_II)].reindex(labels).to_numpy() - closed[:n, :n].sum(axis=0)
        ).max()
        <= 1e-9
    )
    assert (
        np.abs(
            m.loc[(io.COMPENSATION, io.TYPE_II)].reindex(labels).to_numpy() - closed[n, :n]
        ).max()
        <= 1e-9
    )
    assert (
        np.abs(
            m.loc[(io.VALUE_ADDED, io.TYPE_II)].reindex(labels).to_numpy()
            - (va / table.x) @ closed[:n, :n]
        ).max()
        <= 1e-9
    )


def test_dense_matrices_scatter_several_tables_by_position():
    rng = np.random.default_rng(12)
    first, second = rng.random((3, 3)), rng.random((2, 2))
    r1, c1 = io.long_positions(3)
    r2, c2 = io.long_positions(2)
    keys = np.concatenate([np.full(9, 7), np.full(4, 9)])
    order = rng.permutation(13)
    rows, cols = np.concatenate([r1, r2])[order], np.concatenate([c1, c2])[order]
    values = np.concatenate([first.reshape(-1), second.reshape(-1)])[order]
    out = io.dense_matrices(keys[order], rows, cols, values, {7: 3, 9: 2})
    np.testing.assert_array_equal(out[7], first)
    np.testing.assert_array_equal(out[9], second)
    with pytest.raises(ValueError, match="duplicated"):
        io.dense_matrices(np.zeros(2, int), np.array([1, 1]), np.array([2, 2]), np.ones(2), {0: 2})
    with pytest.raises(ValueError, match="outside"):
        io.dense_matrices(np.zeros(1, int), np.array([3]), np.array([1]), np.ones(1), {0: 2})
    with pytest.raises(ValueError, match="without a size"):
        io.dense_matrices(np.array([5]), np.array([1]), np.array([1]), np.ones(1), {0: 2})
