"""Share, cluster LQ and the three European-Cluster-Observatory stars of every
regional cluster (dagster_project.methods.regional_clusters). Size is ranked
among the regions of a panel (economy, classification, year, measure) for one
template; focus among all templates of the same input-output table in all
regions of the panel."""

from dagster_project.methods.regional_clusters import score_regional_clusters


def model(dbt, session):
    dbt.config(materialized="table")
    clusters = dbt.ref("int_regional_cluster_employment_aggregated").df()
    return score_regional_clusters(
        clusters,
        top_share=float(dbt.config.get("cluster_star_top_share")),
        star_lq=float(dbt.config.get("cluster_star_lq")),
        panel_keys=["economy_code", "classification", "year", "measure"],
        template_set_keys=["table_id"],
    )
