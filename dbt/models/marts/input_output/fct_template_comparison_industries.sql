-- Seed 003 Table 2 reproduced on BNS's 2023 table of domestic flows, one row per
-- industry, as computed by int_template_comparison_industries_computed, with the
-- types the mart publishes.
with

computed as (
    select * from {{ ref('int_template_comparison_industries_computed') }}
),

final as (
    select
        cast(published_table_id as varchar) as published_table_id,
        cast(source_table_id as varchar) as source_table_id,
        cast(industry_code as varchar) as industry_code,
        cast(published_primary_component as bigint) as published_primary_component,
        cast(recomputed_primary_component as bigint) as recomputed_primary_component,
        cast(recomputed_primary_as_published as bigint) as recomputed_primary_as_published,
        cast(same_primary as boolean) as same_primary,
        cast(published_loading as double) as published_loading,
        cast(recomputed_loading_aligned as double) as recomputed_loading_aligned,
        cast(published_communality as double) as published_communality,
        cast(recomputed_communality as double) as recomputed_communality,
        cast(position as integer) as position,
        cast(label_kk as varchar) as label_kk,
        cast(label_ru as varchar) as label_ru,
        cast(label_en as varchar) as label_en,
        cast(bns_product_codes as varchar) as bns_product_codes,
    from computed
)

select * from final
