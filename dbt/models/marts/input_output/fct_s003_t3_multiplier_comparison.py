"""Seed 003 Table 3 (multipliers of the East Kazakhstan mining-metallurgical
cluster, as published) beside the same three multipliers of BNS's 2023
national table of domestic flows, for the same industries.

National side: the 68-product domestic table with its producing products
grouped into seed 003's 20 industries (bns_io_oked_crosswalk.csv) and the
service products kept one by one, so that services stay inside the model as
they would in any national table; then L = (I - A)^-1 and
(dagster_project.methods.input_output.multiplier_table):
- output multiplier = column sum of L (Type I);
- value-added multiplier = v L, v = GVA / output (Type I total effect);
- household-income multiplier = Type II compensation multiplier: households
  closed with the household row compensation / output and the household
  column household final consumption of each product / total compensation
  (Miller & Blair 2009, 6.1), total income effect divided by the direct
  compensation coefficient.
The regional side (an FLQ regionalisation for East Kazakhstan from the BNS
employment by oblast) is not computed here: see the report."""

import numpy as np
import pandas as pd

from dagster_project.methods import input_output as io
from dagster_project.methods.template_comparison import aggregate_flows

SOURCE_TABLE = "kz_2023_pxp_68_domestic"


def _vector(long: pd.DataFrame, account: str, row_code: str, codes: list[str]) -> np.ndarray:
    part = long[(long["account"] == account) & (long["row_code"] == row_code)]
    return part.set_index("column_code")["value"].reindex(codes).to_numpy(dtype=float)


def model(dbt, session):
    dbt.config(materialized="table")
    long = dbt.ref("int_io_symmetric_tables").filter(f"table_id = '{SOURCE_TABLE}'").df()
    industries = dbt.ref("dim_io_industry").filter(f"table_id = '{SOURCE_TABLE}'").df()
    crosswalk = (
        dbt.ref("stg_kazakhstan_frame__bns_io_oked_crosswalk").filter("classification = 'BNS_IO_PRODUCT'").df()
    )
    published = dbt.ref("stg_seeds__s003_t3_multipliers").df()
    codes = industries.sort_values("position")["industry_code"].tolist()
    groups = {
        row.code: (row.s003_industry_code if isinstance(row.s003_industry_code, str) else row.code)
        for row in crosswalk.itertuples(index=False)
    }
    order = list(dict.fromkeys(groups[c] for c in codes))
    flows = long[long["account"] == "intermediate"].pivot(
        index="row_code", columns="column_code", values="value"
    )
    Z = aggregate_flows(flows.loc[codes, codes].to_numpy(dtype=float), codes, groups, order)

    def grouped(vector: np.ndarray) -> np.ndarray:
        return aggregate_flows(np.diag(vector), codes, groups, order).diagonal().copy()

    x = grouped(_vector(long, "output", "output", codes))
    value_added = grouped(_vector(long, "primary_input", "value_added", codes))
    compensation = grouped(_vector(long, "primary_input", "compensation", codes))
    household = grouped(
        long[long["account"] == "household_consumption"].set_index("column_code")["value"].reindex(codes).to_numpy()
    )
    A = io.technical_coefficients(Z, x, table=f"{SOURCE_TABLE} aggregated", labels=order)
    L = io.leontief_inverse(A, table=f"{SOURCE_TABLE} aggregated", labels=order)
    table, _ = io.multiplier_table(
        L, x, order, value_added=value_added, compensation=compensation, household_consumption=household
    )

    def pick(measure: str, model_type: str, column: str) -> pd.Series:
        part = table[(table["measure"] == measure) & (table["model_type"] == model_type)]
        return part.set_index("industry_code")[column]

    national = pd.DataFrame(
        {
            "national_output_multiplier": pick(io.OUTPUT, io.TYPE_I, "multiplier"),
            "national_value_added_multiplier": pick(io.VALUE_ADDED, io.TYPE_I, "total_effect"),
            "national_household_income_multiplier": pick(io.COMPENSATION, io.TYPE_II, "multiplier"),
            "national_output_multiplier_type_2": pick(io.OUTPUT, io.TYPE_II, "multiplier"),
            "national_value_added_ratio": pick(io.VALUE_ADDED, io.TYPE_I, "direct_coefficient"),
            "national_compensation_ratio": pick(io.COMPENSATION, io.TYPE_I, "direct_coefficient"),
        }
    )
    products = (
        crosswalk.dropna(subset=["s003_industry_code"])
        .groupby("s003_industry_code")["code"]
        .agg(lambda c: ", ".join(c))
        .rename("bns_product_codes")
    )
    wide = published.pivot_table(
        index=["industry_code", "row_no", "label_printed"], columns="multiplier_type", values="value"
    ).reset_index()
    wide = wide.rename(
        columns={
            "output": "published_output_multiplier",
            "value_added": "published_value_added_multiplier",
            "household_income": "published_household_income_multiplier",
        }
    )
    out = wide.merge(national, left_on="industry_code", right_index=True, how="left").merge(
        products, left_on="industry_code", right_index=True, how="left"
    )
    out.columns.name = None
    out.insert(0, "national_table_id", SOURCE_TABLE)
    out.insert(0, "published_table_id", "s003_t3")
    out["published_territory"] = "East Kazakhstan oblast (seed 003, regionalised table of its time)"
    out["national_territory"] = "Republic of Kazakhstan, 2023"
    out["n_model_industries"] = len(order)
    return out.sort_values("row_no").reset_index(drop=True)
