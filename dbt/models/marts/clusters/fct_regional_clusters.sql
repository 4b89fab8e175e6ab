-- Regional clusters: each template's primary member industries as they
-- appear in each region of each employment panel (through NACE Rev.2
-- sections), scored with employment, share of the region, cluster LQ, how
-- many of its panel industries are specialised, and European-Cluster-
-- Observatory stars (size, specialisation, focus).
with

scored as (
    select * from {{ ref('int_regional_clusters_scored') }}
),

final as (
    select
        cast(economy_code as varchar) as economy_code,
        cast(classification as varchar) as classification,
        cast(year as integer) as year,
        cast(measure as varchar) as measure,
        cast(region_code as varchar) as region_code,
        cast(cluster_id as varchar) as cluster_id,
        cast(template_economy_code as varchar) as template_economy_code,
        cast(table_id as varchar) as table_id,
        cast(template_members as integer) as template_members,
        cast(panel_industries as integer) as panel_industries,
        cast(panel_industry_codes as varchar) as panel_industry_codes,
        cast(shared_panel_industries as integer) as shared_panel_industries,
        cast(panel_industries_without_value as integer) as panel_industries_without_value,
        cast(cluster_employment as double) as cluster_employment,
        cast(region_employment as double) as region_employment,
        cast(share_of_region as double) as share_of_region,
        cast(national_cluster_employment as double) as national_cluster_employment,
        cast(national_employment as double) as national_employment,
        cast(cluster_lq as double) as cluster_lq,
        cast(specialised_panel_industries as integer) as specialised_panel_industries,
        cast(size_star as boolean) as size_star,
        cast(specialisation_star as boolean) as specialisation_star,
        cast(focus_star as boolean) as focus_star,
        cast(stars as integer) as stars,
    from scored
)

select * from final
