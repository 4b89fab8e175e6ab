"""What each table's balance checks found: the largest relative gap between a
published total and the sum of its cells, per check, and the notes of the
derivation (suppressed cells used as zero, n.p. cells imputed). The checks
raise when a gap exceeds the tolerance, so every row here passed; the gaps
are kept so an analyst sees how close each table came."""

import pandas as pd

from dagster_project.methods.supply_use import assemble_tables


def model(dbt, session):
    dbt.config(materialized="table")
    tolerance = float(dbt.config.get("io_balance_relative_tolerance"))
    cells = dbt.ref("int_io_source_cells_labelled").df()
    register = dbt.ref("stg_io__tables").df()
    tables = assemble_tables(cells, register, relative_tolerance=tolerance)
    rows = [
        {
            "table_id": table.table_id,
            "check_name": check,
            "max_relative_gap": gap,
            "relative_tolerance": tolerance,
            "enforced": check != "derived_row_gap",
            "derivation": table.derivation,
            "notes": "; ".join(table.notes) or None,
        }
        for table in tables.values()
        for check, gap in table.balance.items()
    ]
    return pd.DataFrame(rows)
