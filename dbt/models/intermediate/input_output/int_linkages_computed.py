"""Rasmussen (1956) linkages of every industry: backward from the column sums
of the Leontief inverse, forward from the row sums of the Ghosh inverse
(G = diag(x)^-1 L diag(x)), each normalised so that the economy's mean is 1;
a key sector has both above 1. L arrives from the warehouse as integer
positions (see int_leontief_inverse_computed) and is scattered into a dense matrix.

The computation only: analysts read marts.fct_linkages, a typed select of this
table with an enforced contract."""

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
        industry_columns="table_id, industry_code, model_position, output",
    )
    info = warehouse.info
    frames = []
    for key, L in warehouse.matrices.items():
        table_id = info.loc[key, "table_id"]
        table = warehouse.members(table_id)
        links = io.rasmussen_linkages(L, table["output"].to_numpy(dtype=float))
        frames.append(
            pd.DataFrame(
                {
                    "economy_code": info.loc[key, "economy_code"],
                    "table_id": table_id,
                    "year": int(info.loc[key, "year"]),
                    "industry_code": table["industry_code"].to_numpy(),
                    "backward_linkage": links.backward,
                    "forward_linkage": links.forward,
                    "backward_linkage_raw": links.backward_raw,
                    "forward_linkage_raw": links.forward_raw,
                    "is_key_sector": links.key_sector,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)
