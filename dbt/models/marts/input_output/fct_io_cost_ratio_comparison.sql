-- BNS's published cost ratios of 2023 beside the recomputed ones and the warehouse's
-- coefficients. Computed by the dbt Python model int_io_cost_ratio_comparison_computed (the
-- method is stated there); this mart is its typed, contract-enforced face, so what analysts
-- read has the columns and types the contract promises.
with

computed as (
    select * from {{ ref('int_io_cost_ratio_comparison_computed') }}
),

final as (
    select
        cast(economy_code as varchar) as economy_code,
        cast(release_id as varchar) as release_id,
        cast(year as bigint) as year,
        cast(from_product_code as varchar) as from_product_code,
        cast(to_product_code as varchar) as to_product_code,
        cast(published_direct_cost_ratio as double) as published_direct_cost_ratio,
        cast(recomputed_direct_cost_ratio as double) as recomputed_direct_cost_ratio,
        cast(direct_cost_ratio_difference as double) as direct_cost_ratio_difference,
        cast(total_flow_coefficient as double) as total_flow_coefficient,
        cast(domestic_coefficient as double) as domestic_coefficient,
        cast(published_total_cost_ratio as double) as published_total_cost_ratio,
        cast(recomputed_total_cost_ratio as double) as recomputed_total_cost_ratio,
        cast(total_cost_ratio_difference as double) as total_cost_ratio_difference,
        cast(leontief_total_flows as double) as leontief_total_flows,
        cast(leontief_domestic as double) as leontief_domestic,
    from computed
)

select * from final
