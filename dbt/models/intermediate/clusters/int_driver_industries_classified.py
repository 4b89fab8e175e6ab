"""Hill-Brennan driver industries of every region of every panel
(dagster_project.methods.driver_industries): Ward groups of the region's
industries on their standardised indicators, the rule mapping groups to
non_basic / middle / competitive, then linear discriminant analysis."""

import pandas as pd

from dagster_project.methods.driver_industries import CLASSES, driver_industries

# Rates rather than shift levels: levels scale with the industry's size, which
# the employment share already measures.
INDICATORS = [
    "lq",
    "employment_share",
    "growth_rate",
    "industry_mix_rate",
    "competitive_shift_rate",
    "productivity_ratio",
]
KEYS = ["unit_basis", "economy_code", "classification", "year", "region_code"]


def model(dbt, session):
    dbt.config(materialized="table")
    indicators = dbt.ref("int_driver_indicators_joined").df()
    n_groups = int(dbt.config.get("driver_ward_groups"))
    basic_lq = float(dbt.config.get("driver_basic_lq"))
    specialised_lq = float(dbt.config.get("lq_specialised_threshold"))
    parts = []
    for key, region in indicators.groupby(KEYS, sort=True):
        block = region.set_index("industry_code")[INDICATORS]
        result = driver_industries(block, n_groups, "lq", basic_lq, specialised_lq)
        placed = result.industries.reset_index()
        groups = result.groups.reset_index()[["ward_group", "group_mean_lq", "group_other_z"]]
        placed = placed.merge(groups, on="ward_group", how="left")
        placed["indicators_used"] = ",".join(result.indicators_used)
        placed["lda_fitted"] = result.lda_fitted
        placed["lda_note"] = result.lda_note or None
        dropped = pd.DataFrame(
            {"industry_code": [c for c in result.dropped if c in set(block.index)]}
        )
        dropped["excluded_reason"] = dropped["industry_code"].map(result.dropped)
        out = pd.concat([placed, dropped], ignore_index=True)
        for name, value in zip(KEYS, key, strict=True):
            out[name] = value
        parts.append(out)
    columns = (
        KEYS
        + ["industry_code", "ward_group", "ward_groups_used", "group_mean_lq", "group_other_z"]
        + ["group_class", "lda_class"]
        + [f"posterior_{c}" for c in CLASSES]
        + ["driver_class", "is_driver_candidate", "indicators_used", "lda_fitted", "lda_note"]
        + ["excluded_reason"]
    )
    if not parts:
        return pd.DataFrame(columns=columns)
    return pd.concat(parts, ignore_index=True).reindex(columns=columns)
