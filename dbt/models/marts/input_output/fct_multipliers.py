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

L arrives from the warehouse as integer positions (see fct_leontief_inverse)."""

import pandas as pd

from dagster_project.methods import input_output as io

TABLE_KEYS = (
    "table_id, economy_code, year, unit, n_industries_in_model, has_value_added, has_compensation, "
    "has_employment, has_household_consumption, row_number() over (order by table_id) as table_key"
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
    members = industries.project("table_id, industry_code, model_position").df()
    accounts = dbt.ref("int_io_industry_accounts").df()
    layout = dbt.ref("stg_io__table_layout").df()
    register = dbt.ref("stg_io__tables").df().set_index("table_id")
    matrices = io.dense_matrices(
        cells["table_key"],
        cells["i"],
        cells["j"],
        cells["v"],
        info["n_industries_in_model"].to_dict(),
    )
    frames = []
    for key, L in matrices.items():
        row = info.loc[key]
        table_id = row["table_id"]
        labels = (
            members[members["table_id"] == table_id]
            .sort_values("model_position")["industry_code"]
            .tolist()
        )
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
