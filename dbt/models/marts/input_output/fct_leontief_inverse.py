"""Leontief inverse L = (I - A)^-1 of every table, long: the output of industry
i (from) needed, directly and indirectly, per unit of final demand for
industry j (to). One dense inversion per table (LAPACK through
dagster_project.methods.input_output); the long <-> square conversions are
vectorised index operations, not loops over cells. A singular or
non-productive table stops the build with a message naming the table and the
industries whose inputs sum to one or more."""

import pandas as pd

from dagster_project.methods import input_output as io


def model(dbt, session):
    dbt.config(materialized="table")
    coefficients = dbt.ref("fct_technical_coefficients").df()
    industries = dbt.ref("dim_io_industry").df()
    frames = []
    for table_id, part in coefficients.groupby("table_id", sort=True):
        labels = (
            industries[(industries["table_id"] == table_id) & industries["in_model"]]
            .sort_values("position")["industry_code"]
            .tolist()
        )
        A = io.long_to_square(
            part,
            labels,
            row_column="from_industry_code",
            column_column="to_industry_code",
            value_column="technical_coefficient",
        )
        L = io.leontief_inverse(A, table=table_id, labels=labels)
        long = io.square_to_long(
            L,
            labels,
            "leontief_coefficient",
            row_name="from_industry_code",
            column_name="to_industry_code",
        )
        long.insert(0, "year", int(part["year"].iloc[0]))
        long.insert(0, "table_id", table_id)
        long.insert(0, "economy_code", part["economy_code"].iloc[0])
        frames.append(long)
    return pd.concat(frames, ignore_index=True)
