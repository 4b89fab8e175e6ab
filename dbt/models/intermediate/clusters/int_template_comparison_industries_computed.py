"""Seed 003 Table 2 reproduced on BNS's 2023 table of domestic flows, one row
per industry: its primary component as published and as recomputed (in the
published numbering, through the one-to-one matching of
int_template_comparison_computed), its loading on the published primary
component in both, communalities, and the industry's labels in kk/ru/en.
Published as fct_template_comparison_industries (a typed SQL select)."""

import pandas as pd

from dagster_project.methods.template_comparison import reproduce_from_frames

SOURCE_TABLE = "kz_2023_pxp_68_domestic"


def model(dbt, session):
    dbt.config(materialized="table")
    flows = dbt.ref("int_io_industry_flows_filtered").filter(f"table_id = '{SOURCE_TABLE}'").df()
    crosswalk = (
        dbt.ref("stg_kazakhstan_frame__bns_io_oked_crosswalk").filter("classification = 'BNS_IO_PRODUCT'").df()
    )
    published = dbt.ref("stg_seeds__s003_t2_component_loadings").df()
    labels = dbt.ref("stg_kazakhstan_frame__s003_io_industries").df()
    reproduction = reproduce_from_frames(flows, crosswalk, published)
    products = (
        crosswalk.dropna(subset=["s003_industry_code"])
        .groupby("s003_industry_code")["code"]
        .agg(lambda codes: ", ".join(codes))
        .rename("bns_product_codes")
    )
    out = reproduction.industries.merge(
        labels[["industry_code", "position", "label_kk", "label_ru", "label_en"]], on="industry_code"
    ).merge(products, left_on="industry_code", right_index=True)
    out.insert(0, "source_table_id", SOURCE_TABLE)
    out.insert(0, "published_table_id", "s003_t2")
    return pd.DataFrame(out.sort_values("position"))
