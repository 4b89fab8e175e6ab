"""BNS's own "direct cost ratios" (sheet 9) and "total cost ratios" (sheet 10)
of the 2023 input-output workbook, as published, beside the same ratios
recomputed from the flows and beside the coefficients the warehouse uses.

Convention, found by recomputing: direct cost ratio = use at basic prices
(domestic + imported, sheet 6) / total supply at basic prices (output +
imports) of the using product, D = Z_basic diag(x + m)^-1; total cost ratios
= (I - D)^-1 (dagster_project.methods.input_output.supply_cost_ratios). The
warehouse's domestic coefficients are A_dom = Z_domestic diag(x)^-1 (sheet 8
over output): they measure what stays in Kazakhstan. The total-flow
coefficients Z_basic diag(x)^-1 sit in between: imported inputs included,
but per unit of output.

The computation only: analysts read marts.fct_io_cost_ratio_comparison, a typed select of this
table with an enforced contract."""

import numpy as np
import pandas as pd

from dagster_project.methods import input_output as io

SHEETS = ("use_basic", "use_domestic", "direct_cost_ratios", "total_cost_ratios")


def _matrix(cells: pd.DataFrame, table_code: str, products: list[str]) -> np.ndarray:
    part = cells[
        (cells["table_code"] == table_code)
        & (cells["row_kind"] == "product")
        & (cells["column_kind"] == "product")
    ]
    wide = part.pivot(index="row_code", columns="column_code", values="value")
    return wide.loc[products, products].to_numpy(dtype=float)


def _row(cells: pd.DataFrame, table_code: str, row_code: str, products: list[str]) -> np.ndarray:
    part = cells[
        (cells["table_code"] == table_code)
        & (cells["row_code"] == row_code)
        & (cells["column_kind"] == "product")
    ]
    return part.set_index("column_code")["value"].loc[products].to_numpy(dtype=float)


def model(dbt, session):
    dbt.config(materialized="table")
    cells = (
        dbt.ref("stg_kazakhstan_bns__io_input_output_2023")
        .filter("table_code in (" + ", ".join(f"'{sheet}'" for sheet in SHEETS) + ")")
        .project(
            "release_id, economy_code, year, table_code, row_code, row_kind, "
            "column_code, column_kind, value, _source_row"
        )
        .df()
    )
    # BNS's product order (the rows of sheet 8), the same on both axes of every sheet.
    products = (
        cells[(cells["table_code"] == "use_domestic") & (cells["row_kind"] == "product")]
        .sort_values("_source_row")["row_code"]
        .drop_duplicates()
        .tolist()
    )
    z_basic = _matrix(cells, "use_basic", products)
    z_domestic = _matrix(cells, "use_domestic", products)
    published_direct = _matrix(cells, "direct_cost_ratios", products)
    published_total = _matrix(cells, "total_cost_ratios", products)
    output = _row(cells, "use_basic", "P1", products)
    imports = _row(cells, "use_basic", "P7", products)

    direct = io.supply_cost_ratios(z_basic, output, imports)
    total = io.leontief_inverse(direct, table="BNS direct cost ratios", labels=products)
    a_total = io.technical_coefficients(z_basic, output, table="kz use at basic prices")
    a_domestic = io.technical_coefficients(z_domestic, output, table="kz use of domestic products")
    l_domestic = io.leontief_inverse(a_domestic, table="kz use of domestic products", labels=products)
    l_total = io.leontief_inverse(a_total, table="kz use at basic prices", labels=products)

    n = len(products)
    codes = np.asarray(products, dtype=object)
    first = cells.iloc[0]
    return pd.DataFrame(
        {
            "economy_code": first["economy_code"],
            "release_id": first["release_id"],
            "year": int(first["year"]),
            "from_product_code": np.repeat(codes, n),
            "to_product_code": np.tile(codes, n),
            "published_direct_cost_ratio": published_direct.ravel(),
            "recomputed_direct_cost_ratio": direct.ravel(),
            "direct_cost_ratio_difference": (published_direct - direct).ravel(),
            "total_flow_coefficient": a_total.ravel(),
            "domestic_coefficient": a_domestic.ravel(),
            "published_total_cost_ratio": published_total.ravel(),
            "recomputed_total_cost_ratio": total.ravel(),
            "total_cost_ratio_difference": (published_total - total).ravel(),
            "leontief_total_flows": l_total.ravel(),
            "leontief_domestic": l_domestic.ravel(),
        }
    )
