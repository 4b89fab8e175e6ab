"""Eigenvalues, explained and cumulative variance of the pattern-correlation
matrix of every input-output table, with the variance each retained component
carries after varimax. Computation: dagster_project.methods.cluster_templates."""

from dagster_project.methods.cluster_templates import templates_for_tables, variance_long


def model(dbt, session):
    dbt.config(materialized="table")
    flows = dbt.ref("int_io_industry_flows_filtered").df()
    rule = str(dbt.config.get("template_components_rule"))
    target = float(dbt.config.get("template_variance_target"))
    results = templates_for_tables(
        flows,
        rule=rule,
        variance_target=target,
        cutoff=float(dbt.config.get("template_loading_cutoff")),
    )
    variance = variance_long(results).rename(columns={"component": "component_number"})
    variance["components_rule"] = rule
    variance["variance_target"] = target if rule == "variance" else None
    return variance
