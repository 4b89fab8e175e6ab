"""Rasmussen (1956) linkages of every industry: backward from the column sums
of the Leontief inverse, forward from the row sums of the Ghosh inverse
(G = diag(x)^-1 L diag(x)), each normalised so that the economy's mean is 1;
a key sector has both above 1."""

import pandas as pd

from dagster_project.methods import input_output as io


def model(dbt, session):
    dbt.config(materialized="table")
    leontief = dbt.ref("fct_leontief_inverse").df()
    industries = dbt.ref("dim_io_industry").df()
    frames = []
    for table_id, part in leontief.groupby("table_id", sort=True):
        members = industries[
            (industries["table_id"] == table_id) & industries["in_model"]
        ].sort_values("position")
        labels = members["industry_code"].tolist()
        L = io.long_to_square(
            part,
            labels,
            row_column="from_industry_code",
            column_column="to_industry_code",
            value_column="leontief_coefficient",
        )
        links = io.rasmussen_linkages(L, members["output"].to_numpy(dtype=float))
        frames.append(
            pd.DataFrame(
                {
                    "economy_code": part["economy_code"].iloc[0],
                    "table_id": table_id,
                    "year": int(part["year"].iloc[0]),
                    "industry_code": labels,
                    "backward_linkage": links.backward,
                    "forward_linkage": links.forward,
                    "backward_linkage_raw": links.backward_raw,
                    "forward_linkage_raw": links.forward_raw,
                    "is_key_sector": links.key_sector,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)
