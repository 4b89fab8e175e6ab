-- Rasmussen backward and forward linkages of every industry. Computed by the dbt Python model
-- int_linkages_computed (the method is stated there); this mart is its typed, contract-
-- enforced face, so what analysts read has the columns and types the contract promises.
with

computed as (
    select * from {{ ref('int_linkages_computed') }}
),

final as (
    select
        cast(economy_code as varchar) as economy_code,
        cast(table_id as varchar) as table_id,
        cast(year as bigint) as year,
        cast(industry_code as varchar) as industry_code,
        cast(backward_linkage as double) as backward_linkage,
        cast(forward_linkage as double) as forward_linkage,
        cast(backward_linkage_raw as double) as backward_linkage_raw,
        cast(forward_linkage_raw as double) as forward_linkage_raw,
        cast(is_key_sector as boolean) as is_key_sector,
    from computed
)

select * from final
