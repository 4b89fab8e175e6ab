"""Import leakage of every table whose imports are a primary input (the
domestic-flow tables): per unit of final demand for industry j, the imported
intermediate inputs the whole domestic chain needs, (m L)_j with m_j =
imports_j / x_j, beside the value-added and product-tax effects. In a
domestic table the three add up to 1 (every tenge of final demand ends as
domestic value added, imports or taxes on products: column sums of A plus the
primary-input coefficients are 1); closure_gap records how far from 1 the
published table lands. Tables without an imports row (total flows) are not
here: their coefficients include imported inputs, so L itself leaks.
L arrives from the warehouse as integer positions (see int_leontief_inverse_computed).

The computation only: analysts read marts.fct_import_leakage, a typed select of this
table with an enforced contract."""

import numpy as np
import pandas as pd

from dagster_project.methods import input_output as io
from dagster_project.methods.warehouse_matrices import square_matrices


def model(dbt, session):
    dbt.config(materialized="table")
    warehouse = square_matrices(
        dbt.ref("int_io_tables_described"),
        dbt.ref("int_io_industries_described"),
        dbt.ref("int_leontief_inverse_computed"),
        value_column="leontief_coefficient",
        table_columns="table_id, economy_code, year, flow_basis",
    )
    primary = (
        dbt.ref("int_io_symmetric_tables")
        .filter("account in ('primary_input', 'output')")
        .project("table_id, account, row_code, column_code, value")
        .df()
    )
    frames = []
    for key, L in warehouse.matrices.items():
        row = warehouse.info.loc[key]
        table_id = row["table_id"]
        labels = warehouse.members(table_id)["industry_code"].tolist()
        vectors = (
            primary[primary["table_id"] == table_id]
            .pivot_table(index="column_code", columns="row_code", values="value", aggfunc="sum")
            .reindex(labels)
        )
        if "imports" not in vectors.columns:
            continue
        x = vectors["output"].to_numpy(dtype=float)
        effects = {}
        for name in ("imports", "product_taxes", "value_added", "non_allocated_products"):
            if name in vectors.columns:
                effects[name] = io.total_effects(L, vectors[name].fillna(0.0).to_numpy(dtype=float) / x)
        total = np.sum(list(effects.values()), axis=0)
        frames.append(
            pd.DataFrame(
                {
                    "economy_code": row["economy_code"],
                    "table_id": table_id,
                    "year": int(row["year"]),
                    "industry_code": labels,
                    "direct_import_coefficient": vectors["imports"].to_numpy(dtype=float) / x,
                    "import_leakage": effects["imports"],
                    "product_tax_effect": effects.get("product_taxes", np.full(len(labels), np.nan)),
                    "value_added_effect": effects.get("value_added", np.full(len(labels), np.nan)),
                    "non_allocated_effect": effects.get(
                        "non_allocated_products", np.full(len(labels), np.nan)
                    ),
                    "closure_gap": 1.0 - total,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)
