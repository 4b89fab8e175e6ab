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

Regional side: the same aggregated table regionalised for East Kazakhstan
(КАТО 630000000, borders of 2023, i.e. without Abai oblast) by Flegg's LQ
from the BNS employment by oblast and ОКЭД section (int_location_quotients_computed,
2023): SLQ of an industry = employment-weighted SLQ of the sections its
products belong to; FLQ_ij = lambda SLQ_i / SLQ_j, FLQ_ii = lambda SLQ_i,
lambda = [log2(1 + e_r / E)]^delta; a^r_ij = a_ij min(FLQ_ij, 1). Value-added
and compensation ratios are the national ones (no regional table exists),
the household column is regionalised like a buyer with SLQ 1
(h^r_ci = h_ci min(lambda SLQ_i, 1)). Without the employment panel in the
warehouse the regional columns are NULL and regional_note says so.

The computation only: analysts read marts.fct_s003_t3_multiplier_comparison, a typed select of this
table with an enforced contract."""

import numpy as np
import pandas as pd

from dagster_project.methods import input_output as io
from dagster_project.methods.location_quotients import flegg_lambda, flq_matrix
from dagster_project.methods.template_comparison import aggregate_flows

SOURCE_TABLE = "kz_2023_pxp_68_domestic"
EAST_KAZAKHSTAN = "630000000"
PANEL_YEAR = 2023


def _vector(long: pd.DataFrame, account: str, row_code: str, codes: list[str]) -> np.ndarray:
    part = long[(long["account"] == account) & (long["row_code"] == row_code)]
    return part.set_index("column_code")["value"].reindex(codes).to_numpy(dtype=float)


def _regional(lq: pd.DataFrame, sections: dict[str, list[str]], A, x, value_added, compensation,
              household, order: list[str], delta: float):
    """Type I/II multipliers of the FLQ-regionalised table, or a reason why not."""
    region = lq[lq["region_code"] == EAST_KAZAKHSTAN]
    if region.empty:
        return None, f"no {PANEL_YEAR} employment by ОКЭД section for East Kazakhstan in fct_location_quotients"
    regional = dict(zip(region["industry_code"], region["value"], strict=True))
    national = dict(zip(region["industry_code"], region["industry_total"], strict=True))
    e_r, e = float(region["region_total"].iloc[0]), float(region["economy_total"].iloc[0])
    slq = io.grouped_location_quotients(regional, national, e_r, e, sections).reindex(order)
    missing = np.flatnonzero(slq.isna().to_numpy())
    # An industry without an employment figure (households as employers, section T, is not
    # in the panel) can only be let through when it has no intermediate flows at all: then
    # its FLQ multiplies zeros. Anything else would invent a regional structure.
    if missing.size and (np.abs(A[missing]).sum() + np.abs(A[:, missing]).sum() > 0):
        return None, "industries without an employment figure but with intermediate flows: " + ", ".join(
            slq.index[missing]
        )
    flq = flq_matrix(slq.fillna(1.0), e_r / e, delta).to_numpy()
    A_r = io.regionalise_coefficients(A, flq)
    household_r = household * np.minimum(float(flegg_lambda(e_r / e, delta)) * slq.fillna(1.0).to_numpy(), 1.0)
    L_r = io.leontief_inverse(A_r, table="East Kazakhstan (FLQ)", labels=order)
    table, _ = io.multiplier_table(
        L_r, x, order, value_added=value_added, compensation=compensation, household_consumption=household_r
    )
    note = (
        f"FLQ, employment {PANEL_YEAR}, East Kazakhstan share {e_r / e:.4f}, "
        f"lambda {float(flegg_lambda(e_r / e, delta)):.4f}, delta {delta}"
        + (f"; no employment figure (no intermediate flows, kept national): {', '.join(slq.index[missing])}"
           if missing.size else "")
    )
    return table, note


def model(dbt, session):
    dbt.config(materialized="table")
    long = dbt.ref("int_io_symmetric_tables").filter(f"table_id = '{SOURCE_TABLE}'").df()
    industries = dbt.ref("int_io_industries_described").filter(f"table_id = '{SOURCE_TABLE}'").df()
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

    def pick(measure: str, model_type: str, column: str, table=table) -> pd.Series:
        if table is None:
            return pd.Series(np.nan, index=order)
        part = table[(table["measure"] == measure) & (table["model_type"] == model_type)]
        return part.set_index("industry_code")[column]

    lq = (
        dbt.ref("int_location_quotients_computed")
        .filter(
            f"economy_code = 'KZ' and classification = 'OKED_SECTION' and measure = 'employment' "
            f"and year = {PANEL_YEAR} and in_partition"
        )
        .project("region_code, industry_code, value, industry_total, region_total, economy_total")
        .df()
    )
    sections = {}
    for row in crosswalk.itertuples(index=False):
        sections.setdefault(groups[row.code], [])
        if row.oked_section not in sections[groups[row.code]]:
            sections[groups[row.code]].append(row.oked_section)
    regional_table, regional_note = _regional(
        lq, sections, A, x, value_added, compensation, household, order, float(dbt.config.get("flq_delta"))
    )

    national = pd.DataFrame(
        {
            "national_output_multiplier": pick(io.OUTPUT, io.TYPE_I, "multiplier"),
            "national_value_added_multiplier": pick(io.VALUE_ADDED, io.TYPE_I, "total_effect"),
            "national_household_income_multiplier": pick(io.COMPENSATION, io.TYPE_II, "multiplier"),
            "national_output_multiplier_type_2": pick(io.OUTPUT, io.TYPE_II, "multiplier"),
            "national_value_added_ratio": pick(io.VALUE_ADDED, io.TYPE_I, "direct_coefficient"),
            "national_compensation_ratio": pick(io.COMPENSATION, io.TYPE_I, "direct_coefficient"),
            "regional_output_multiplier": pick(io.OUTPUT, io.TYPE_I, "multiplier", regional_table),
            "regional_value_added_multiplier": pick(io.VALUE_ADDED, io.TYPE_I, "total_effect", regional_table),
            "regional_household_income_multiplier": pick(io.COMPENSATION, io.TYPE_II, "multiplier", regional_table),
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
    out["regional_territory"] = "East Kazakhstan oblast, borders of 2023 (КАТО 630000000), FLQ from the national table"
    out["regional_note"] = regional_note
    out["n_model_industries"] = len(order)
    return out.sort_values("row_no").reset_index(drop=True)
