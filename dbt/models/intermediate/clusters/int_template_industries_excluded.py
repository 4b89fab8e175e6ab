"""Industries of an input-output table that have no purchase or sale pattern
(no intermediate flows with other industries) and so cannot enter a template."""

from dagster_project.methods.cluster_templates import excluded_industries, templates_for_tables


def model(dbt, session):
    dbt.config(materialized="table")
    flows = dbt.ref("int_io_industry_flows_filtered").df()
    results = templates_for_tables(
        flows,
        rule=str(dbt.config.get("template_components_rule")),
        variance_target=float(dbt.config.get("template_variance_target")),
        cutoff=float(dbt.config.get("template_loading_cutoff")),
    )
    return excluded_industries(results)
