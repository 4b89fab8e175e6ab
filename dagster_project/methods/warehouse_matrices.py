"""Square industry x industry matrices of every I-O table, read from the
warehouse for the dbt Python models (fct_leontief_inverse, fct_linkages,
fct_multipliers).

DuckDB joins the long cells to the industries' model positions, so Python
receives integer arrays and scatters them into one dense matrix per table
(``input_output.dense_matrices``); nothing loops over cells or hashes industry
codes in Python. The models pass their ``dbt.ref`` relations in: dbt finds a
Python model's dependencies by reading its own ``dbt.ref`` calls.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from dagster_project.methods.input_output import dense_matrices

TABLE_KEY = "row_number() over (order by table_id) as table_key"


@dataclass(frozen=True)
class TableMatrices:
    tables: Any  # DuckDB relation of dim_io_table, aliased "t", with table_key
    industries: Any  # DuckDB relation of the in-model rows of dim_io_industry
    info: pd.DataFrame  # the tables, indexed by table_key
    matrices: dict[int, np.ndarray]  # table_key -> dense n x n matrix
    _members: pd.DataFrame

    def members(self, table_id: str) -> pd.DataFrame:
        """The table's industries in model order (row/column order of its matrix)."""
        return self._members[self._members["table_id"] == table_id].sort_values("model_position")


def square_matrices(
    dim_io_table: Any,
    dim_io_industry: Any,
    cells: Any,
    value_column: str,
    table_columns: str = "table_id, economy_code, year",
    industry_columns: str = "table_id, industry_code, model_position",
) -> TableMatrices:
    """Dense matrices of ``cells.value_column`` (long, from/to industry codes)
    for every table of ``dim_io_table``; the industries' ``industry_columns``
    and the tables' ``table_columns`` come along for the models' outputs."""
    tables = dim_io_table.project(f"{table_columns}, n_industries_in_model, {TABLE_KEY}").set_alias("t")
    industries = dim_io_industry.filter("in_model")
    sellers, buyers = industries.set_alias("s"), industries.set_alias("b")
    long = (
        cells.set_alias("c")
        .join(tables, "c.table_id = t.table_id")
        .join(sellers, "c.table_id = s.table_id and c.from_industry_code = s.industry_code")
        .join(buyers, "c.table_id = b.table_id and c.to_industry_code = b.industry_code")
        .project(f"t.table_key, s.model_position as i, b.model_position as j, c.{value_column} as v")
        .fetchnumpy()
    )
    info = tables.df().set_index("table_key")
    matrices = dense_matrices(
        long["table_key"], long["i"], long["j"], long["v"], info["n_industries_in_model"].to_dict()
    )
    return TableMatrices(tables, industries, info, matrices, industries.project(industry_columns).df())
