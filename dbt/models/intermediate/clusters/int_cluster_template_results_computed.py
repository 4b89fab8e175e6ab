"""Feser-Bergman templates of every input-output table, computed once: one run
of dagster_project.methods.cluster_templates per table, its four results in one
long table (column result: membership, variance, correlation, excluded; each
kind fills its own columns). The SQL models int_cluster_templates_computed,
int_template_variance_computed, int_io_pattern_correlations_computed and
int_template_industries_excluded select each result from it."""

from dagster_project.methods.cluster_templates import results_long, templates_for_tables


def model(dbt, session):
    dbt.config(materialized="table")
    flows = dbt.ref("int_io_industry_flows_filtered").df()
    results = templates_for_tables(
        flows,
        rule=str(dbt.config.get("template_components_rule")),
        variance_target=float(dbt.config.get("template_variance_target")),
        cutoff=float(dbt.config.get("template_loading_cutoff")),
    )
    return results_long(results)
