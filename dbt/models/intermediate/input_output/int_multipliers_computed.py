"""Multipliers of every industry of every table (Miller & Blair 2009, ch. 6):
output, value added, compensation of employees (household income) and
employment, Type I (households exogenous) and Type II (households
endogenous), each as a total effect per unit of final demand and as a ratio
to the direct effect. Measures appear only where the table has the rows they
need (see dim_io_table.has_*).

Household closure (Type II): the household row is compensation / output, the
household column is household final consumption of each industry's output
divided by total compensation of employees (the household sector's income
from industries); the closed inverse comes from L by the partitioned formula
in dagster_project.methods.input_output.household_closure.

Seed 003 Table 3 reports three numbers per industry; they are, here:
output multiplier = (output, type_1).multiplier; value-added multiplier =
(value_added, type_1).total_effect; household-income multiplier =
(compensation, type_2).multiplier.

L arrives from the warehouse as integer positions (see int_leontief_inverse_computed).

The computation only: analysts read marts.fct_multipliers, a typed select of this
table with an enforced contract."""

import pandas as pd

from dagster_project.methods import input_output as io
from dagster_project.methods.warehouse_matrices import square_matrices

TABLE_COLUMNS = (
    "table_id, economy_code, year, unit, has_value_added, has_compensation, "
    "has_employment, has_household_consumption"
)


def _column(vectors: pd.DataFrame, name: str, available: bool):
    """The industries' vector ``name`` if the table has that row, else None."""
    return vectors[name].to_numpy(dtype=float) if available else None


def _effect_unit(measure: str, money: str, employment_unit: str | None) -> str:
    if measure == io.OUTPUT:
        return f"{money} of output per {money} of final demand"
    if measure == io.EMPLOYMENT:
        return f"{employment_unit} per {money} of final demand"
    return f"{money} of {measure.replace('_', ' ')} per {money} of final demand"


def model(dbt, session):
    dbt.config(materialized="table")
    warehouse = square_matrices(
        dbt.ref("int_io_tables_described"),
        dbt.ref("int_io_industries_described"),
        dbt.ref("int_leontief_inverse_computed"),
        value_column="leontief_coefficient",
        table_columns=TABLE_COLUMNS,
    )
    info = warehouse.info
    accounts = dbt.ref("int_io_industry_accounts").df()
    layout = dbt.ref("stg_io__table_layout").df()
    register = dbt.ref("stg_io__tables").df().set_index("table_id")
    frames = []
    for key, L in warehouse.matrices.items():
        row = info.loc[key]
        table_id = row["table_id"]
        labels = warehouse.members(table_id)["industry_code"].tolist()
        vectors = accounts[accounts["table_id"] == table_id].set_index("industry_code").loc[labels]
        multipliers, _ = io.multiplier_table(
            L,
            vectors["output"].to_numpy(dtype=float),
            labels,
            value_added=_column(vectors, "value_added", row["has_value_added"]),
            compensation=_column(vectors, "compensation", row["has_compensation"]),
            employment=_column(vectors, "employment", row["has_employment"]),
            household_consumption=_column(
                vectors, "household_consumption", row["has_household_consumption"]
            ),
        )
        raw = register.loc[table_id, "symmetric_raw_table"]
        employment_units = layout.loc[
            (layout["source_table"] == raw) & (layout["role"] == "employment"), "unit"
        ]
        employment_unit = employment_units.iloc[0] if len(employment_units) else None
        multipliers["effect_unit"] = [
            _effect_unit(m, row["unit"], employment_unit) for m in multipliers["measure"]
        ]
        multipliers.insert(0, "year", int(row["year"]))
        multipliers.insert(0, "table_id", table_id)
        multipliers.insert(0, "economy_code", row["economy_code"])
        frames.append(multipliers)
    # NaN (undefined: no direct effect, or a non-productive closed model) becomes NULL.
    return pd.concat(frames, ignore_index=True)
