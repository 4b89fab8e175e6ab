"""Supply/use -> industry-by-industry conversion, gap handling and balance
checks, against hand-computed examples (exact fractions) and identities the
fixed product-sales structure must satisfy."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

from dagster_project.methods import supply_use as su


# --------------------------------------------------------------------------- #
# synthetic long cells in the layout of the dbt staging
# --------------------------------------------------------------------------- #
def _cells(
    blocks: list[tuple[str, list[str], str, list[str], np.ndarray]], statuses=None
) -> pd.DataFrame:
    """Cells from blocks (row_role, row_codes, column_role, column_codes, values)."""
    frames = []
    positions: dict[tuple[str, str], int] = {}

    def position(axis: str, role: str, code: str) -> int:
        return positions.setdefault((axis, f"{role}:{code}"), len(positions) + 1)

    for row_role, rows, col_role, cols, values in blocks:
        values = np.asarray(values, dtype=float).reshape(len(rows), len(cols))
        frames.append(
            pd.DataFrame(
                {
                    "row_position": [position("row", row_role, r) for r in rows for _ in cols],
                    "row_role": row_role,
                    "row_code": [r for r in rows for _ in cols],
                    "column_position": [
                        position("column", col_role, c) for _ in rows for c in cols
                    ],
                    "column_role": col_role,
                    "column_code": [c for _ in rows for c in cols],
                    "value": values.reshape(-1),
                    "value_status": su.PUBLISHED,
                }
            )
        )
    cells = pd.concat(frames, ignore_index=True)
    for (row_code, column_code), status in (statuses or {}).items():
        hit = (cells["row_code"] == row_code) & (cells["column_code"] == column_code)
        cells.loc[hit, "value_status"] = status
        if status in (su.SUPPRESSED, su.NOT_PUBLISHED, "gap"):
            cells.loc[hit, "value"] = np.nan
    return cells


IND = ["a", "b"]


def _miller_blair_cells(output=(1000.0, 2000.0), **statuses) -> pd.DataFrame:
    """Miller & Blair's 2x2 table with value added closing the columns."""
    Z = np.array([[150.0, 500.0], [200.0, 100.0]])
    f = np.array([[350.0], [1700.0]])
    x = np.asarray(output, dtype=float)
    va = np.array([1000.0, 2000.0]) - Z.sum(axis=0)
    return _cells(
        [
            ("industry", IND, "industry", IND, Z),
            ("industry", IND, "final_demand", ["F"], f),
            ("value_added", ["VA"], "industry", IND, va[None, :]),
            ("output", ["X"], "industry", IND, x[None, :]),
        ],
        statuses.get("statuses"),
    )


# --------------------------------------------------------------------------- #
# published symmetric tables
# --------------------------------------------------------------------------- #
def test_balanced_symmetric_table_passes_and_keeps_its_blocks():
    table = su.symmetric_from_cells("mb", _miller_blair_cells(), relative_tolerance=0.001)
    np.testing.assert_array_equal(table.Z, [[150, 500], [200, 100]])
    np.testing.assert_array_equal(table.x, [1000, 2000])
    assert table.balance["row_balance"] == 0 and table.balance["column_balance"] == 0


def test_unbalanced_row_names_table_and_row():
    with pytest.raises(su.TableBalanceError, match=r"'mb'.*row balance.*b: published 2,100") as err:
        su.symmetric_from_cells(
            "mb", _miller_blair_cells(output=(1000.0, 2100.0)), relative_tolerance=0.001
        )
    assert [o.split(":")[0] for o in err.value.offending] == ["b"]


def test_gap_within_tolerance_passes_and_beyond_fails():
    # 2 000 vs 2 010: a 0.5 % gap, inside a 1 % tolerance, outside 0.1 % (and
    # beyond the rounding of three whole-number cells, 1.5).
    su.symmetric_from_cells(
        "mb", _miller_blair_cells(output=(1000.0, 2010.0)), relative_tolerance=0.01
    )
    with pytest.raises(su.TableBalanceError):
        su.symmetric_from_cells(
            "mb", _miller_blair_cells(output=(1000.0, 2010.0)), relative_tolerance=0.001
        )


def test_negative_output_is_refused_by_name():
    with pytest.raises(su.TableBalanceError, match=r"output.*b: output -2000"):
        su.symmetric_from_cells(
            "mb", _miller_blair_cells(output=(1000.0, -2000.0)), relative_tolerance=0.001
        )


def test_suppressed_flow_is_zero_and_flagged_but_a_gap_marker_is_not():
    cells = _miller_blair_cells()
    cells.loc[(cells["row_code"] == "a") & (cells["column_code"] == "a"), "value"] = np.nan
    cells.loc[(cells["row_code"] == "a") & (cells["column_code"] == "a"), "value_status"] = (
        su.SUPPRESSED
    )
    # 150 missing from row a and column a: both balances move by 150 of 1000 (15 %).
    table = su.symmetric_from_cells("mb", cells, relative_tolerance=0.2)
    assert table.Z[0, 0] == 0 and table.flow_status[0, 0] == su.SUPPRESSED
    cells.loc[(cells["row_code"] == "a") & (cells["column_code"] == "a"), "value_status"] = "gap"
    with pytest.raises(su.TableBalanceError, match="completeness"):
        su.symmetric_from_cells("mb", cells, relative_tolerance=0.2)


def test_check_sums_accepts_rounding_of_small_totals():
    # 59 cells printed to 0.1 may be off by 2.95 in total: a zero total with a
    # -0.9 sum (Belgium's coal row) passes; a -3.5 sum does not.
    su.check_sums(
        "t", "c", ["coal"], np.array([0.0]), np.array([-0.9]), 59, relative_tolerance=0.01, unit=0.1
    )
    with pytest.raises(su.TableBalanceError, match="coal"):
        su.check_sums(
            "t",
            "c",
            ["coal"],
            np.array([0.0]),
            np.array([-3.5]),
            59,
            relative_tolerance=0.01,
            unit=0.1,
        )


def test_rounding_unit():
    assert su.rounding_unit(np.array([1.0, 250.0, np.nan])) == 1.0
    assert su.rounding_unit(np.array([914.2, 0.7, 3.0])) == pytest.approx(0.1)


# --------------------------------------------------------------------------- #
# fixed product-sales structure
# --------------------------------------------------------------------------- #
def test_fixed_product_sales_structure_hand_example():
    """Industry a makes 90 of product p and 10 of q; industry b makes 50 of q.
    q's sales structure is shared by a (1/6) and b (5/6)."""
    V = np.array([[90.0, 10.0], [0.0, 50.0]])
    U = np.array([[20.0, 10.0], [30.0, 5.0]])
    Y = np.array([[60.0], [25.0]])
    Z, F = su.fixed_product_sales_structure(V, U, Y)
    sixth = Fraction(1, 6)
    expected_Z = [
        [20 + sixth * 30, 10 + sixth * 5],
        [5 * sixth * 30, 5 * sixth * 5],
    ]
    expected_F = [[60 + sixth * 25], [5 * sixth * 25]]
    np.testing.assert_allclose(Z, np.array(expected_Z, dtype=float), rtol=1e-14)
    np.testing.assert_allclose(F, np.array(expected_F, dtype=float), rtol=1e-14)
    # Product balance (q = U1 + Y) makes the derived rows add up to industry output.
    np.testing.assert_allclose(Z.sum(1) + F.sum(1), V.sum(1))
    np.testing.assert_allclose(Z.sum(0), U.sum(0))


def test_one_product_per_industry_leaves_use_unchanged():
    rng = np.random.default_rng(3)
    V = np.diag(rng.uniform(50, 100, size=5))
    U = rng.uniform(0, 10, size=(5, 5))
    Z, _ = su.fixed_product_sales_structure(V, U, np.zeros((5, 1)))
    np.testing.assert_allclose(Z, U)


def _supply_use_cells(np_cell: bool = False, use_total_shift: float = 0.0):
    products, industries = ["p", "q"], ["a", "b"]
    S = np.array([[90.0, 0.0], [10.0, 50.0]])  # product x industry (transposed make)
    U = np.array([[20.0, 10.0], [30.0, 5.0]])
    Y = np.array([[60.0], [25.0]])
    g = S.sum(axis=0)
    va = g - U.sum(axis=0)
    supply = _cells(
        [
            ("product", products, "industry", industries, S),
            ("product", products, "product_output_total", ["T"], S.sum(axis=1)[:, None]),
            ("industry_supply_total", ["G"], "industry", industries, g[None, :]),
        ],
        {("q", "a"): su.NOT_PUBLISHED} if np_cell else None,
    )
    use = _cells(
        [
            ("product", products, "industry", industries, U),
            ("product", products, "household_consumption", ["HH"], Y),
            (
                "product",
                products,
                "total_use",
                ["TU"],
                (U.sum(1) + Y[:, 0] + [use_total_shift, 0.0])[:, None],
            ),
            ("value_added", ["VA"], "industry", industries, va[None, :]),
            ("output", ["X"], "industry", industries, g[None, :]),
        ]
    )
    return supply, use


def test_supply_use_table_derivation_and_closure_vectors():
    supply, use = _supply_use_cells()
    table = su.symmetric_from_supply_use("toy", supply, use, relative_tolerance=0.001)
    assert table.labels == ["a", "b"] and table.derivation == su.FIXED_PRODUCT_SALES
    np.testing.assert_allclose(table.Z, [[25.0, 10 + 5 / 6], [25.0, 25 / 6]])
    np.testing.assert_allclose(table.household_consumption, [60 + 25 / 6, 125 / 6])
    np.testing.assert_allclose(table.x, [100.0, 50.0])
    assert table.balance["derived_row_gap"] == pytest.approx(0.0, abs=1e-12)


def test_confidential_supply_cell_is_imputed_from_the_totals():
    supply, use = _supply_use_cells(np_cell=True)
    table = su.symmetric_from_supply_use("toy", supply, use, relative_tolerance=0.001)
    # One hidden cell in its row and column: the totals determine it (10) exactly.
    np.testing.assert_allclose(table.Z, [[25.0, 10 + 5 / 6], [25.0, 25 / 6]])
    assert any("n.p." in note for note in table.notes)


def test_use_row_that_does_not_add_up_is_named():
    supply, use = _supply_use_cells(use_total_shift=30.0)
    with pytest.raises(su.TableBalanceError, match=r"'toy'.*use row balance.*p: published"):
        su.symmetric_from_supply_use("toy", supply, use, relative_tolerance=0.001)


def test_layout_step_refuses_tables_that_list_different_products():
    supply, use = _supply_use_cells()
    use = use.assign(row_code=use["row_code"].replace({"q": "r"}))
    with pytest.raises(su.TableBalanceError, match=r"'toy'.*layout.*different products"):
        su.supply_use_layout("toy", supply, use)


def test_use_without_value_added_gets_the_residual_as_primary_inputs():
    supply, use = _supply_use_cells()
    use = use[use["row_role"] != "value_added"]
    layout = su.supply_use_layout("toy", supply, use)
    output = su.supply_matrix("toy", supply, layout).output
    matrices = su.use_matrix("toy", use, layout, output)
    # Output 100 and 50, intermediate inputs 20 + 30 and 10 + 5.
    np.testing.assert_allclose(matrices.primary["primary_inputs_residual"], [50.0, 35.0])
    assert any("no value-added row" in note for note in matrices.notes)
    balance = su.use_balances("toy", use, layout, matrices, output, relative_tolerance=0.001)
    assert "use_column_balance" not in balance and balance["use_row_balance"] == 0


def test_use_inputs_above_output_are_refused_by_industry():
    supply, use = _supply_use_cells()
    use = use[use["row_role"] != "value_added"].copy()
    intermediate_b = (use["row_role"] == "product") & (use["column_code"] == "b")
    use.loc[intermediate_b, "value"] *= 10  # inputs of b: 150 against an output of 50
    with pytest.raises(su.TableBalanceError, match=r"inputs cannot exceed output.*b: inputs 150 > output 50"):
        su.symmetric_from_supply_use("toy", supply, use, relative_tolerance=0.001)


# --------------------------------------------------------------------------- #
# imputation of suppressed cells from totals (RAS)
# --------------------------------------------------------------------------- #
def test_impute_meets_totals_and_keeps_published_cells():
    rng = np.random.default_rng(5)
    truth = rng.uniform(1, 20, size=(8, 6))
    mask = rng.random((8, 6)) < 0.25
    mask[0, :2] = True
    imputed = su.impute_from_totals(np.where(mask, np.nan, truth), mask, truth.sum(1), truth.sum(0))
    np.testing.assert_allclose(imputed.sum(1), truth.sum(1), rtol=1e-9)
    np.testing.assert_allclose(imputed.sum(0), truth.sum(0), rtol=1e-9)
    np.testing.assert_array_equal(imputed[~mask], truth[~mask])
    assert (imputed[mask] >= 0).all()


def test_impute_is_exact_when_totals_determine_the_cells():
    truth = np.arange(1.0, 17.0).reshape(4, 4)
    mask = np.eye(4, dtype=bool)[[1, 0, 3, 2]]
    imputed = su.impute_from_totals(np.where(mask, np.nan, truth), mask, truth.sum(1), truth.sum(0))
    np.testing.assert_allclose(imputed, truth)


def test_impute_refuses_totals_without_room():
    truth = np.ones((2, 2))
    mask = np.array([[True, False], [False, False]])
    with pytest.raises(ValueError, match="no room"):
        su.impute_from_totals(truth, mask, np.array([0.5, 2.0]), np.array([0.5, 2.0]))
