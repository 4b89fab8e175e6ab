"""Rasmussen (1956) linkages of every industry: backward from the column sums
of the Leontief inverse, forward from the row sums of the Ghosh inverse
(G = diag(x)^-1 L diag(x)), each normalised so that the economy's mean is 1;
a key sector has both above 1. L arrives from the warehouse as integer
positions (see fct_leontief_inverse) and is scattered into a dense matrix."""

import pandas as pd

from dagster_project.methods import input_output as io

TABLE_KEYS = "table_id, economy_code, year, n_industries_in_model, row_number() over (order by table_id) as table_key"


def model(dbt, session):
    dbt.config(materialized="table")
    tables = dbt.ref("dim_io_table").project(TABLE_KEYS).set_alias("t")
    industries = dbt.ref("dim_io_industry").filter("in_model")
    sellers, buyers = industries.set_alias("s"), industries.set_alias("b")
    cells = (
        dbt.ref("fct_leontief_inverse")
        .set_alias("l")
        .join(tables, "l.table_id = t.table_id")
        .join(sellers, "l.table_id = s.table_id and l.from_industry_code = s.industry_code")
        .join(buyers, "l.table_id = b.table_id and l.to_industry_code = b.industry_code")
        .project(
            "t.table_key, s.model_position as i, b.model_position as j, l.leontief_coefficient as v"
        )
        .fetchnumpy()
    )
    info = tables.df().set_index("table_key")
    members = industries.project("table_id, industry_code, model_position, output").df()
    matrices = io.dense_matrices(
        cells["table_key"],
        cells["i"],
        cells["j"],
        cells["v"],
        info["n_industries_in_model"].to_dict(),
    )
    frames = []
    for key, L in matrices.items():
        table_id = info.loc[key, "table_id"]
        table = members[members["table_id"] == table_id].sort_values("model_position")
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
