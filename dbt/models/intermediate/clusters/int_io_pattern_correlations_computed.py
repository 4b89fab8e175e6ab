"""The four Feser-Bergman pattern correlations between every ordered pair of
industries of every input-output table, and their maximum (the matrix the
templates factor-analyse). Computation: dagster_project.methods.cluster_templates."""

from dagster_project.methods.cluster_templates import correlations_long, templates_for_tables


def model(dbt, session):
    dbt.config(materialized="table")
    flows = dbt.ref("int_io_industry_flows_filtered").df()
    results = templates_for_tables(
        flows,
        rule=str(dbt.config.get("template_components_rule")),
        variance_target=float(dbt.config.get("template_variance_target")),
        cutoff=float(dbt.config.get("template_loading_cutoff")),
    )
    return correlations_long(results)
