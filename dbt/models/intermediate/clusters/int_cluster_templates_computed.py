"""Feser-Bergman templates of every input-output table: rotated loadings of
every industry on every retained component and its role (primary, secondary,
not_member). Computation: dagster_project.methods.cluster_templates."""

from dagster_project.methods.cluster_templates import membership_long, templates_for_tables


def model(dbt, session):
    dbt.config(materialized="table")
    flows = dbt.ref("int_io_industry_flows_filtered").df()
    results = templates_for_tables(
        flows,
        rule=str(dbt.config.get("template_components_rule")),
        variance_target=float(dbt.config.get("template_variance_target")),
        cutoff=float(dbt.config.get("template_loading_cutoff")),
    )
    return membership_long(results).rename(columns={"template": "template_number"})
