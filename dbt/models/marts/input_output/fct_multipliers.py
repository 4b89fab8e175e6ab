"""Multipliers of every industry of every table (Miller & Blair 2009, ch. 6):
output, value added, compensation of employees (household income) and
employment, Type I (households exogenous) and Type II (households
endogenous), each as a total effect per unit of final demand and as a ratio
to the direct effect. Measures appear only where the table has the rows they
need (see dim_io_table.has_*).

Household closure (Type II): the household row is compensation / output, the
household column is household final consumption of each industry's output
divided by total compensation of employees (the household sector's income
from industries); the closed inverse is computed from L by the partitioned
formula in dagster_project.methods.input_output.household_closure.

Seed 003 Table 3 reports three numbers per industry; they are, in this table:
output multiplier = (output, type_1).multiplier; value-added multiplier =
(value_added, type_1).total_effect; household-income multiplier =
(compensation, type_2).multiplier."""

import pandas as pd

from dagster_project.methods import input_output as io


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
    leontief = dbt.ref("fct_leontief_inverse").df()
    industries = dbt.ref("dim_io_industry").df()
    accounts = dbt.ref("int_io_industry_accounts").df()
    tables = dbt.ref("dim_io_table").df().set_index("table_id")
    layout = dbt.ref("stg_io__table_layout").df()
    register = dbt.ref("stg_io__tables").df().set_index("table_id")
    frames = []
    for table_id, part in leontief.groupby("table_id", sort=True):
        labels = (
            industries[(industries["table_id"] == table_id) & industries["in_model"]]
            .sort_values("position")["industry_code"]
            .tolist()
        )
        L = io.long_to_square(
            part,
            labels,
            row_column="from_industry_code",
            column_column="to_industry_code",
            value_column="leontief_coefficient",
        )
        vectors = accounts[accounts["table_id"] == table_id].set_index("industry_code").loc[labels]
        info = tables.loc[table_id]

        multipliers, _ = io.multiplier_table(
            L,
            vectors["output"].to_numpy(dtype=float),
            labels,
            value_added=_column(vectors, "value_added", info["has_value_added"]),
            compensation=_column(vectors, "compensation", info["has_compensation"]),
            employment=_column(vectors, "employment", info["has_employment"]),
            household_consumption=_column(
                vectors, "household_consumption", info["has_household_consumption"]
            ),
        )
        raw = register.loc[table_id, "symmetric_raw_table"]
        employment_units = layout.loc[
            (layout["source_table"] == raw) & (layout["role"] == "employment"), "unit"
        ].tolist()
        employment_unit = employment_units[0] if employment_units else None
        multipliers["effect_unit"] = [
            _effect_unit(m, info["unit"], employment_unit) for m in multipliers["measure"]
        ]
        multipliers.insert(0, "year", int(info["year"]))
        multipliers.insert(0, "table_id", table_id)
        multipliers.insert(0, "economy_code", info["economy_code"])
        frames.append(multipliers)
    # NaN (undefined: no direct effect, or a non-productive closed model) becomes NULL.
    return pd.concat(frames, ignore_index=True)
