-- Seed 003 Table 2 reproduced on BNS's 2023 table of domestic flows, one row per
-- published component, as computed by int_template_comparison_computed (the method
-- and Tucker's congruence there), with the types the mart publishes.
with

computed as (
    select * from {{ ref('int_template_comparison_computed') }}
),

final as (
    select
        cast(published_table_id as varchar) as published_table_id,
        cast(source_table_id as varchar) as source_table_id,
        cast(published_component as bigint) as published_component,
        cast(recomputed_component as bigint) as recomputed_component,
        cast(sign_flipped as boolean) as sign_flipped,
        cast(congruence as double) as congruence,
        cast(congruence_class as varchar) as congruence_class,
        cast(published_variance_share as double) as published_variance_share,
        cast(recomputed_variance_share as double) as recomputed_variance_share,
        cast(published_primary_members as varchar) as published_primary_members,
        cast(recomputed_primary_members as varchar) as recomputed_primary_members,
        cast(published_secondary_members as varchar) as published_secondary_members,
        cast(recomputed_secondary_members as varchar) as recomputed_secondary_members,
        cast(is_mining_metallurgical as boolean) as is_mining_metallurgical,
        cast(mining_metallurgical_members_recomputed as varchar) as mining_metallurgical_members_recomputed,
        cast(mining_metallurgical_reemerges as boolean) as mining_metallurgical_reemerges,
        cast(published_cumulative_variance_share as double) as published_cumulative_variance_share,
        cast(published_variance_stated as double) as published_variance_stated,
        cast(recomputed_cumulative_variance_share as double) as recomputed_cumulative_variance_share,
        cast(products_left_out as varchar) as products_left_out,
    from computed
)

select * from final
