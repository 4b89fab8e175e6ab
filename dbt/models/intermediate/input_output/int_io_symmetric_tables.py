"""Industry-by-industry tables, long: the published symmetric tables as they
are, and the supply/use tables converted under the fixed product-sales
structure (dagster_project.methods.supply_use). Every table is checked for
balance first; a table that fails stops the build with a message naming the
table, the check and the offending rows."""

import pandas as pd

from dagster_project.methods.supply_use import assemble_tables, table_to_long


def model(dbt, session):
    dbt.config(materialized="table")
    tolerance = float(dbt.config.get("io_balance_relative_tolerance"))
    cells = dbt.ref("int_io_source_cells_labelled").df()
    register = dbt.ref("stg_io__tables").df()
    tables = assemble_tables(cells, register, relative_tolerance=tolerance)
    return pd.concat([table_to_long(t) for t in tables.values()], ignore_index=True)
