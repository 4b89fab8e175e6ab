"""Kazakhstan's published templates: the rotated loadings of seed 003's Table 2
(20 industries x 7 components, as printed) through the same membership step
as the computed templates (primary = largest absolute loading, secondary =
others at or above the cut-off). The loadings are not recomputed: no
Kazakhstan input-output table is available."""

from dagster_project.methods.cluster_templates import assign_membership


def model(dbt, session):
    dbt.config(materialized="table")
    loadings = dbt.ref("stg_seeds__s003_t2_component_loadings").df()
    missing = loadings[loadings["loading"].isna()]
    if not missing.empty:
        row = missing.iloc[0]
        raise ValueError(
            f"seed 003 Table 2, industry {row['industry_code']!r}, component "
            f"{row['component']}: no published loading (a gap cannot be a member)"
        )
    matrix = loadings.pivot(index="industry_code", columns="component", values="loading")
    matrix = matrix.reindex(
        loadings.drop_duplicates("industry_code").sort_values("row_no")["industry_code"]
    )
    membership = assign_membership(matrix, float(dbt.config.get("template_loading_cutoff")))
    membership = membership.rename(columns={"template": "template_number"})
    membership.insert(0, "table_id", loadings["table_id"].iloc[0])
    return membership
