"""Leontief inverse L = (I - A)^-1 of every table, long: the output of industry
i (from) needed, directly and indirectly, per unit of final demand for
industry j (to).

Large tables stay in the warehouse's hands: the coefficients arrive as
integer positions scattered into one dense matrix per table
(dagster_project.methods.warehouse_matrices), each is inverted once (LAPACK
via dagster_project.methods.input_output) and handed back as integer
positions that DuckDB joins to codes again. Nothing loops over cells or hashes
industry codes in Python. A singular or non-productive table stops the build
with a message naming the table and the industries whose inputs sum to one
or more.

The computation only: analysts read marts.fct_leontief_inverse, a typed select of this
table with an enforced contract."""

import pandas as pd

from dagster_project.methods import input_output as io
from dagster_project.methods.warehouse_matrices import square_matrices


def model(dbt, session):
    dbt.config(materialized="table")
    warehouse = square_matrices(
        dbt.ref("int_io_tables_described"),
        dbt.ref("int_io_industries_described"),
        dbt.ref("int_io_technical_coefficients_computed"),
        value_column="technical_coefficient",
    )
    frames = []
    for key, A in warehouse.matrices.items():
        table_id = warehouse.info.loc[key, "table_id"]
        labels = warehouse.members(table_id)["industry_code"].tolist()
        L = io.leontief_inverse(A, table=table_id, labels=labels)
        i, j = io.long_positions(len(L))
        frames.append(
            pd.DataFrame({"table_key": key, "i": i, "j": j, "leontief_coefficient": L.reshape(-1)})
        )
    long = session.from_df(pd.concat(frames, ignore_index=True)).set_alias("l")
    sellers, buyers = warehouse.industries.set_alias("s"), warehouse.industries.set_alias("b")
    return (
        long.join(warehouse.tables, "l.table_key = t.table_key")
        .join(sellers, "t.table_id = s.table_id and l.i = s.model_position")
        .join(buyers, "t.table_id = b.table_id and l.j = b.model_position")
        .project(
            "t.economy_code, t.table_id, t.year, s.industry_code as from_industry_code, "
            "b.industry_code as to_industry_code, l.leontief_coefficient"
        )
    )
