"""Leontief inverse L = (I - A)^-1 of every table, long: the output of industry
i (from) needed, directly and indirectly, per unit of final demand for
industry j (to).

Large tables stay in the warehouse's hands: DuckDB joins the coefficients to
the industries' model positions, so Python receives integer arrays, scatters
them into one dense matrix per table (numpy indexing), inverts it once
(LAPACK via dagster_project.methods.input_output) and hands back integer
positions that DuckDB joins to codes again. Nothing loops over cells or hashes
industry codes in Python. A singular or non-productive table stops the build
with a message naming the table and the industries whose inputs sum to one
or more."""

import pandas as pd

from dagster_project.methods import input_output as io

TABLE_KEYS = "table_id, economy_code, year, n_industries_in_model, row_number() over (order by table_id) as table_key"


def model(dbt, session):
    dbt.config(materialized="table")
    tables = dbt.ref("dim_io_table").project(TABLE_KEYS).set_alias("t")
    industries = dbt.ref("dim_io_industry").filter("in_model")
    sellers, buyers = industries.set_alias("s"), industries.set_alias("b")
    cells = (
        dbt.ref("fct_technical_coefficients")
        .set_alias("c")
        .join(tables, "c.table_id = t.table_id")
        .join(sellers, "c.table_id = s.table_id and c.from_industry_code = s.industry_code")
        .join(buyers, "c.table_id = b.table_id and c.to_industry_code = b.industry_code")
        .project(
            "t.table_key, s.model_position as i, b.model_position as j, c.technical_coefficient as a"
        )
        .fetchnumpy()
    )
    info = tables.df().set_index("table_key")
    codes = industries.project("table_id, industry_code, model_position").df()
    matrices = io.dense_matrices(
        cells["table_key"],
        cells["i"],
        cells["j"],
        cells["a"],
        info["n_industries_in_model"].to_dict(),
    )
    frames = []
    for key, A in matrices.items():
        table_id = info.loc[key, "table_id"]
        labels = (
            codes[codes["table_id"] == table_id]
            .sort_values("model_position")["industry_code"]
            .tolist()
        )
        L = io.leontief_inverse(A, table=table_id, labels=labels)
        i, j = io.long_positions(len(L))
        frames.append(
            pd.DataFrame({"table_key": key, "i": i, "j": j, "leontief_coefficient": L.reshape(-1)})
        )
    long = session.from_df(pd.concat(frames, ignore_index=True)).set_alias("l")
    return (
        long.join(tables, "l.table_key = t.table_key")
        .join(sellers, "t.table_id = s.table_id and l.i = s.model_position")
        .join(buyers, "t.table_id = b.table_id and l.j = b.model_position")
        .project(
            "t.economy_code, t.table_id, t.year, s.industry_code as from_industry_code, "
            "b.industry_code as to_industry_code, l.leontief_coefficient"
        )
    )
